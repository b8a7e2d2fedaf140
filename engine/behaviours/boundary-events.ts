import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import { planEventSubscription } from '../runtime/event-subscriptions.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { applyResultVariables, setLocal } from '../runtime/variables.js';

/**
 * Boundary events (timer, message, signal, error, escalation; interrupting or not). Their timers and
 * subscriptions belong to the activity they are attached to and close when it leaves; error and
 * escalation boundaries are found by errors-and-escalations.ts.
 */

/** The activity's boundary-event subscriptions, evaluated now and opened by the returned thunks. */
export async function planBoundaryEvents(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared[]> {
  const model = (await run.definitionOf(el)).model;
  const plans: Prepared[] = [];
  for (const id of node.boundaryEvents) {
    const b = model.nodes[id]!;
    const plan = await planEventSubscription(run, el, b, context, id);
    if (plan) plans.push(plan);
  }
  return plans;
}

/** The event happened: an interrupting one ends the activity; the boundary event starts in the activity's scope. */
export async function triggerBoundaryEvent(run: Run, owner: ElementRow, event: FlowNode, vars: Vars): Promise<boolean> {
  const scope = (await run.element(owner.scopeKey!))!;
  if (event.interrupting) await terminate(run, owner);
  const b = await run.newElement(scope, event.id, 'boundaryEvent', Object.keys(vars).length ? { triggerVariables: vars } : {});
  run.enqueue('activate', b.key);
  return true;
}

/** Activated with the trigger's variables, it completes at once and the flow goes on from it. */
export async function prepareBoundaryEvent(run: Run, el: ElementRow, node: FlowNode): Promise<Prepared> {
  return async () => {
    const vars = el.data.triggerVariables;
    delete el.data.triggerVariables;
    if (vars && node.event?.kind === 'error') {
      // Zeebe: an error boundary keeps the error variables to itself; only output mappings carry them on
      for (const [name, value] of Object.entries(vars)) await setLocal(run, el.key, el.instanceKey, name, value, false);
    } else await applyResultVariables(run, el, node, vars);
    run.enqueue('complete', el.key);
  };
}
