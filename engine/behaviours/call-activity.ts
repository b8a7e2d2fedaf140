import type { CallSpec, FlowNode } from '../model/types.js';
import { activeCalledInstance } from '../store/instances.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluateString } from '../runtime/expressions.js';
import type { ElementRow, InstanceRow } from '../runtime/rows.js';
import { Incident, type Definition, type Run, type Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { applyResultVariables, localVariables, visible } from '../runtime/variables.js';
import { createInstance } from './process.js';

/**
 * Call activity: starts the bound version of the called process (Camunda 8 docs, *Call activities*: `bindingType`
 * latest, deployment or versionTag) with the caller's variables (all visible ones, or only its local ones when
 * `propagateAllParentVariables` is off) and completes when that instance completes, taking its variables back
 * (all, or only through output mappings). The called process is looked up when the activity runs: one not
 * deployed is a CALLED_ELEMENT_ERROR incident (in Zeebe's wording), resolved once it is deployed.
 *
 * A process may call itself. Each called instance's root remembers its depth; a call that would go deeper than
 * `maxProcessDepth` (Zeebe's limit, 1000 by default) is a CALLED_ELEMENT_ERROR incident, so a recursion with no
 * wait state (which runs inside the one command that started it) stops there instead of running until keys
 * run out.
 */
export async function prepareCallActivity(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const depth = ((await run.element(el.instanceKey))?.data.depth ?? 0) + 1;
  const max = run.ctx.maxProcessDepth;
  if (depth > max) {
    throw new Incident(
      'CALLED_ELEMENT_ERROR',
      `The call activity has reached the maximum depth of ${max}. This is likely due to a recursive call. Cancel the root process instance if this was unintentional. Otherwise, consider increasing the maximum depth, or use process instance modification to adjust the process instance.`,
    );
  }
  const processId = await evaluateString(run, el, node.call!.processId, `called process of ${node.id}`, context);
  const def = await calledVersion(run, el, node.call!, processId);
  if (!def.model.noneStart)
    throw new Incident('CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId}' to have a none start event, but not found.`);
  return async () => {
    const vars = node.call!.propagateAllParentVariables ? await visible(run, el.key) : await localVariables(run, el.key);
    const child = await createInstance(run, def, vars, null, { parent_instance_key: el.instanceKey, parent_element_key: el.key }, undefined, depth);
    await run.history(el, 'CALLED_INSTANCE_CREATED', { childInstanceKey: child, processId, version: def.version, bindingType: node.call!.bindingType });
  };
}

/** The process version the binding names; incident messages in Zeebe's wording (CallActivityProcessor). */
async function calledVersion(run: Run, el: ElementRow, call: CallSpec, processId: string): Promise<Definition> {
  if (call.bindingType === 'versionTag') {
    const found = run.ctx.withVersionTag(processId, call.versionTag ?? '');
    if (found) return found;
    throw new Incident(
      'CALLED_ELEMENT_ERROR',
      `Expected to call process with BPMN process id '${processId}' and version tag '${call.versionTag}', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.`,
    );
  }
  if (call.bindingType === 'deployment') {
    const key = (await run.definitionOf(el)).processKeys?.[processId];
    if (key) return run.ctx.definition(key);
    throw new Incident(
      'CALLED_ELEMENT_ERROR',
      `Expected to call process with BPMN process id '${processId}' with binding type 'deployment', but no such process found in the deployment which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended process definition to call.`,
    );
  }
  const latest = run.ctx.latest(processId);
  if (latest) return latest;
  throw new Incident('CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId}' to be deployed, but not found.`);
}

/** A called instance completed (with these root variables): its caller goes on. */
export async function returnToCaller(run: Run, called: InstanceRow, rootVars: Vars): Promise<void> {
  if (!called.parent_element_key) return;
  const caller = await run.element(called.parent_element_key);
  if (!caller) return;
  const node = await run.nodeOf(caller);
  // with output mappings the child's variables are there for the mappings to read; only mapped ones go on
  const vars = node.call!.propagateAllChildVariables || node.outputs.length ? rootVars : {};
  await applyResultVariables(run, caller, node, vars);
  run.enqueue('complete', caller.key);
}

/** The call activity is terminated: so is the instance it called. */
export async function terminateCalledInstance(run: Run, caller: ElementRow): Promise<void> {
  const child = await activeCalledInstance(run.db, caller.key);
  if (!child) return;
  const root = await run.element(child);
  if (root) await terminate(run, root);
}
