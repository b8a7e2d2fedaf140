import { evaluateFeelRaw } from '../feel/feel.js';
import type { FlowNode, ValueSpec } from '../model/types.js';
import * as messages from '../store/messages.js';
import * as subs from '../store/subscriptions.js';
import { deleteTimersOf } from '../store/timers.js';
import { evaluate, evaluateString } from './expressions.js';
import type { ElementRow, SubscriptionRow } from './rows.js';
import { Incident, json, type Run, type Vars } from './run.js';
import { firstDueTime } from './timer-plan.js';
import { insertTimer } from './timers.js';
import { trigger } from './triggers.js';

/**
 * What a waiting event listens for — a timer, a message subscription, a signal subscription — opened
 * for catch events, receive tasks, boundary events, event sub-process starts and the targets of an
 * event-based gateway, and closed when the element that owns it leaves.
 */

/**
 * Evaluates what `event` listens for and returns a thunk that opens it, owned by `owner`: everything
 * that can fail is evaluated before anything is written (an incident leaves no half-done work).
 */
export async function planEventSubscription(
  run: Run,
  owner: ElementRow,
  event: FlowNode,
  context: Vars,
  elementId: string,
): Promise<(() => Promise<void>) | null> {
  const def = event.event;
  if (!def) return null;
  if (def.kind === 'timer') {
    const raw = def.timer.value.feel ? evaluateFeelRaw(def.timer.value.text, context) : { ok: true as const, value: def.timer.value.text };
    if (!raw.ok) throw new Incident('EXTRACT_VALUE_ERROR', `timer of ${event.id}: ${raw.message}`);
    const plan = firstDueTime(def.timer.type, raw.value, run.now);
    if (typeof plan === 'string') throw new Incident('EXTRACT_VALUE_ERROR', `timer of ${event.id}: ${plan}`);
    return () => insertTimer(run, owner, elementId, plan);
  }
  if (def.kind === 'message') {
    const name = await evaluateString(run, owner, def.messageName, `message name of ${event.id}`, context);
    const correlationKey = def.correlationKey ? await evaluateCorrelationKey(run, owner, def.correlationKey, event.id, context) : '';
    return () => openMessageSubscription(run, owner, elementId, name, correlationKey);
  }
  if (def.kind === 'signal') {
    const name = await evaluateString(run, owner, def.signalName, `signal name of ${event.id}`, context);
    return async () => {
      await insertSubscription(run, owner, elementId, 'signal', name, null);
    };
  }
  return null;
}

async function evaluateCorrelationKey(run: Run, el: ElementRow, spec: ValueSpec, id: string, context: Vars): Promise<string> {
  const v = await evaluate(run, el, spec, `correlation key of ${id}`, context);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new Incident('EXTRACT_VALUE_ERROR', `correlation key of ${id}: expected a string or number but '${spec.text}' gave ${json(v)}`);
}

async function insertSubscription(
  run: Run,
  owner: ElementRow,
  elementId: string,
  kind: 'message' | 'signal',
  name: string,
  correlationKey: string | null,
): Promise<string> {
  const key = run.nextKey();
  await subs.insertSubscription(run.db, {
    sub_key: key,
    kind,
    name,
    correlation_key: correlationKey,
    instance_key: owner.instanceKey,
    element_key: owner.key,
    element_id: elementId,
    process_id: (await run.instance(owner.instanceKey)).process_id,
    createdAt: run.now,
  });
  return key;
}

/** Opens a message subscription; a matching buffered message correlates at once (FIFO, once per process). */
async function openMessageSubscription(run: Run, owner: ElementRow, elementId: string, name: string, correlationKey: string): Promise<void> {
  const processId = (await run.instance(owner.instanceKey)).process_id;
  const buffered = await messages.firstBuffered(run.db, name, correlationKey, run.now, processId);
  const subKey = await insertSubscription(run, owner, elementId, 'message', name, correlationKey);
  if (buffered) {
    await messages.recordCorrelation(run.db, buffered.message_key, processId);
    // correlate once the activation has finished, as a follow-up (the element may have other subscriptions to open)
    run.followUp(async () => {
      const sub = await subs.selectSubscription(run.db, subKey);
      if (sub) await triggerSubscription(run, sub, JSON.parse(buffered.variables) as Vars, buffered.message_key);
    });
  }
}

/** The element leaves: its timers and subscriptions (its own, and its boundary events') go. */
export async function closeSubscriptions(run: Run, el: ElementRow): Promise<void> {
  await deleteTimersOf(run.db, el.key);
  await subs.deleteSubscriptionsOf(run.db, el.key);
}

/** A message or signal matched an open subscription: record it and trigger the waiting event. */
export async function triggerSubscription(run: Run, sub: SubscriptionRow, vars: Vars, messageKey?: string): Promise<boolean> {
  const owner = await run.element(sub.element_key);
  if (!owner) return false;
  const model = (await run.definitionOf(owner)).model;
  const event = model.nodes[sub.element_id]!;
  const keepOpen = !event.interrupting && (event.type === 'boundaryEvent' || event.type === 'startEvent');
  if (!keepOpen) await subs.deleteSubscription(run.db, sub.sub_key);
  await run.history(owner, sub.kind === 'message' ? 'MESSAGE_CORRELATED' : 'SIGNAL_RECEIVED', {
    name: sub.name,
    correlationKey: sub.correlation_key,
    messageKey: messageKey ?? null,
    eventId: sub.element_id,
  });
  return trigger(run, sub.element_key, sub.element_id, vars);
}
