import type { FlowNode } from '../model/types.js';
import { deleteSubscriptionsOf } from '../store/subscriptions.js';
import { deleteTimersOf } from '../store/timers.js';
import type { Prepared } from '../runtime/activation.js';
import { planEventSubscription } from '../runtime/event-subscriptions.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { visible } from '../runtime/variables.js';

/**
 * Event sub-processes (timer, message, signal, error, escalation start; interrupting or not): their
 * start events listen while the enclosing scope (process or sub-process) is active; the subscriptions
 * belong to that scope.
 */

/**
 * Evaluates the start-event subscriptions of the scope's event sub-processes as the scope becomes active
 * (`context`: the scope's variables with its input mappings) and returns the writes that open them. A failing
 * expression (a correlation key, a timer) throws the Incident before anything is written, so the scope stays
 * activating with its incident, as in Zeebe, and resolving it evaluates again.
 */
export async function planEventSubProcessSubscriptions(run: Run, scope: ElementRow, node: FlowNode, context?: Vars): Promise<Prepared> {
  if (!node.eventSubProcesses.length) return async () => undefined;
  const model = (await run.definitionOf(scope)).model;
  const ctx = context ?? (await visible(run, scope.key));
  const opens: Array<() => Promise<void>> = [];
  for (const espId of node.eventSubProcesses) {
    const start = model.nodes[model.nodes[espId]!.startEvents[0]!]!;
    const open = await planEventSubscription(run, scope, start, ctx, start.id);
    if (open) opens.push(open);
  }
  return async () => {
    for (const open of opens) await open();
  };
}

/** A start event of an event sub-process happened: an interrupting one ends the rest of the scope first. */
export async function triggerEventSubProcess(run: Run, scope: ElementRow, start: FlowNode, esp: FlowNode, vars: Vars): Promise<boolean> {
  if (start.interrupting) await interruptScope(run, scope);
  const el = await run.newElement(scope, esp.id, 'eventSubProcess', Object.keys(vars).length ? { triggerVariables: vars } : {});
  run.enqueue('activate', el.key);
  return true;
}

/** An interrupting event sub-process takes over: everything else in the scope ends. */
async function interruptScope(run: Run, scope: ElementRow): Promise<void> {
  for (const child of await run.children(scope.key)) await terminate(run, child);
  await deleteTimersOf(run.db, scope.key);
  await deleteSubscriptionsOf(run.db, scope.key);
  scope.data.joins = {};
  scope.data.interrupted = true;
  await run.saveElement(scope);
}

/** Activated: its own event sub-processes listen, and its start event runs with the trigger's variables. */
export async function prepareEventSubProcess(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const openSubscriptions = await planEventSubProcessSubscriptions(run, el, node, context);
  return async () => {
    await openSubscriptions();
    const start = await run.newElement(el, node.startEvents[0]!, 'startEvent');
    if (el.data.triggerVariables) {
      start.data.triggerVariables = el.data.triggerVariables;
      delete el.data.triggerVariables;
      await run.saveElement(start);
      await run.saveElement(el);
    }
    run.enqueue('activate', start.key);
  };
}
