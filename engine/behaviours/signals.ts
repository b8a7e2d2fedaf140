import { signalStartsByName, signalSubscriptions } from '../store/subscriptions.js';
import { triggerSubscription } from '../runtime/event-subscriptions.js';
import type { Run, Vars } from '../runtime/run.js';
import { createInstance } from './process.js';

/**
 * A signal (thrown by an event or broadcast by a command) starts every process with a matching signal
 * start event and triggers every open signal subscription, in creation order.
 */
export async function broadcastSignal(run: Run, name: string, vars: Vars): Promise<void> {
  for (const s of await signalStartsByName(run.db, name)) await createInstance(run, run.ctx.definition(s.def_key), vars, s.element_id);
  for (const sub of await signalSubscriptions(run.db, name)) await triggerSubscription(run, sub, vars);
}
