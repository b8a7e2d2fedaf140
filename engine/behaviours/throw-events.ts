import type { FlowNode, ProcessModel } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluateString } from '../runtime/expressions.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { localVariables } from '../runtime/variables.js';
import { prepareCompensationThrow } from './compensation.js';
import { throwError, throwEscalation } from './errors-and-escalations.js';
import { prepareJob } from './service-task.js';
import { broadcastSignal } from './signals.js';

/**
 * Intermediate throw and end events: none, message (a job, like a send task), signal, error,
 * escalation, terminate, link, compensation (compensation.ts). An end event's scope completes when nothing else is left in it.
 */
export async function prepareThrowEvent(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const ev = node.event!;
  if (ev.kind === 'message' && node.job) return prepareJob(run, el, node, context);
  if (ev.kind === 'signal') {
    const name = await evaluateString(run, el, ev.signalName, `signal name of ${node.id}`, context);
    return async () => {
      const vars = await localVariables(run, el.key); // Zeebe: the throw event's input mappings travel with the signal
      await run.history(el, 'SIGNAL_THROWN', { name });
      await broadcastSignal(run, name, vars);
      if (await run.element(el.key)) run.enqueue('complete', el.key);
    };
  }
  if (ev.kind === 'error') {
    const code = ev.codeExpr ? await evaluateString(run, el, ev.codeExpr, `error code of ${node.id}`, context) : ev.errorCode!;
    return async () => {
      const caught = await throwError(run, el, code, '', {});
      if (!caught) throw new Incident('UNHANDLED_ERROR_EVENT', `error '${code}' thrown by ${node.id} was not caught`);
    };
  }
  if (ev.kind === 'escalation') {
    const code = ev.codeExpr ? await evaluateString(run, el, ev.codeExpr, `escalation code of ${node.id}`, context) : ev.escalationCode!;
    return async () => {
      await throwEscalation(run, el, code);
      if (await run.element(el.key)) run.enqueue('complete', el.key);
    };
  }
  if (ev.kind === 'compensation') return prepareCompensationThrow(run, el, node);
  if (ev.kind === 'terminate') {
    return async () => {
      const scope = (await run.element(el.scopeKey!))!;
      for (const child of await run.children(scope.key)) if (child.key !== el.key) await terminate(run, child);
      scope.data.joins = {};
      await run.saveElement(scope);
      run.enqueue('complete', el.key);
    };
  }
  return async () => run.enqueue('complete', el.key);
}

export function isLinkThrow(node: FlowNode): boolean {
  return node.type === 'intermediateThrowEvent' && node.event?.kind === 'link';
}

/** A link throw event completed: the flow continues at the catch event with the same link name in its scope. */
export async function jumpToLinkCatch(run: Run, scope: ElementRow, node: FlowNode, model: ProcessModel): Promise<void> {
  const linkName = node.event?.kind === 'link' ? node.event.linkName : '';
  const target = model.linkCatches[`${node.scopeId}/${linkName}`]!;
  const catchEl = await run.newElement(scope, target, 'intermediateCatchEvent');
  run.enqueue('activate', catchEl.key);
}
