import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import { closeSubscriptions, planEventSubscription } from '../runtime/event-subscriptions.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';

/**
 * Intermediate catch events (timer, message, signal, link) and receive tasks: they wait for their
 * event. A link catch completes at once (throw-events.ts jumps to it).
 */
export async function prepareCatchEvent(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  if (node.event?.kind === 'link') return async () => run.enqueue('complete', el.key);
  const open = await planEventSubscription(run, el, node, context, node.id);
  return async () => {
    if (el.data.triggerVariables !== undefined) {
      // reached through an event-based gateway: the trigger already happened
      const vars = el.data.triggerVariables;
      delete el.data.triggerVariables;
      await applyResultVariables(run, el, node, vars);
      run.enqueue('complete', el.key);
    } else await open!();
  };
}

/** The awaited event happened: the element takes its variables and completes. */
export async function triggerCatchEvent(run: Run, owner: ElementRow, event: FlowNode, vars: Vars): Promise<boolean> {
  await closeSubscriptions(run, owner);
  await applyResultVariables(run, owner, event, vars);
  run.enqueue('complete', owner.key);
  return true;
}
