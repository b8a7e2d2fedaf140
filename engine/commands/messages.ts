import { EngineError } from '../errors.js';
import { createInstance } from '../behaviours/process.js';
import { broadcastSignal as broadcast } from '../behaviours/signals.js';
import { triggerSubscription } from '../runtime/event-subscriptions.js';
import { hasActiveInstanceWithStartKey } from '../store/instances.js';
import * as messages from '../store/messages.js';
import { messageStartsByName, messageSubscriptions } from '../store/subscriptions.js';
import { checkVariables, type CommandContext, type Variables } from './context.js';

/**
 * Publishes a message: it correlates to the open subscriptions with its name and correlation key (once
 * per process id, oldest subscription first), starts message-start processes (not while an instance
 * started with the same correlation key is active), and is buffered for `timeToLiveMs` for subscriptions
 * opened later (runtime/event-subscriptions.ts takes it from the buffer).
 */
export async function publishMessage(
  ctx: CommandContext,
  m: { name: string; correlationKey?: string; variables?: Variables; timeToLiveMs?: number; messageId?: string },
): Promise<{ messageKey: string }> {
  if (!m.name) throw new EngineError('INVALID_ARGUMENT', 'a message needs a name');
  checkVariables(m.variables);
  const ttl = m.timeToLiveMs ?? 0;
  if (!(ttl >= 0)) throw new EngineError('INVALID_ARGUMENT', 'timeToLiveMs must be zero or more');
  const correlationKey = m.correlationKey ?? '';
  const vars = m.variables ?? {};
  const db = ctx.driver;
  return ctx.command(async (run) => {
    const now = ctx.clock.now();
    if (m.messageId && (await messages.isBuffered(db, m.name, correlationKey, m.messageId, now))) {
      throw new EngineError('ALREADY_EXISTS', `a message '${m.name}' with id '${m.messageId}' and correlation key '${correlationKey}' is already buffered`);
    }
    const messageKey = ctx.keys.nextKey();
    const correlated = new Set<string>();
    for (const sub of await messageSubscriptions(db, m.name, correlationKey)) {
      if (correlated.has(sub.process_id)) continue; // once per process
      if (await triggerSubscription(run, sub, vars, messageKey)) correlated.add(sub.process_id);
    }
    for (const s of await messageStartsByName(db, m.name)) {
      if (correlated.has(s.process_id)) continue;
      if (correlationKey && (await hasActiveInstanceWithStartKey(db, s.process_id, correlationKey))) continue;
      const key = await createInstance(run, ctx.definitions.get(s.def_key), {}, s.element_id, { start_correlation_key: correlationKey || null }, vars);
      await run.history(null, 'MESSAGE_CORRELATED', { name: m.name, correlationKey, messageKey, startEvent: s.element_id }, key);
      correlated.add(s.process_id);
    }
    if (ttl > 0) {
      await messages.insertMessage(db, {
        message_key: messageKey,
        name: m.name,
        correlation_key: correlationKey,
        message_id: m.messageId ?? null,
        variables: JSON.stringify(vars),
        expires_at: now + ttl,
        published_at: now,
      });
      for (const p of correlated) await messages.recordCorrelation(db, messageKey, p);
      if (run.effects.earliestDue === null || now + ttl < run.effects.earliestDue) run.effects.earliestDue = now + ttl;
    }
    return { messageKey };
  });
}

export async function broadcastSignal(ctx: CommandContext, s: { name: string; variables?: Variables }): Promise<void> {
  if (!s.name) throw new EngineError('INVALID_ARGUMENT', 'a signal needs a name');
  checkVariables(s.variables);
  await ctx.command((run) => broadcast(run, s.name, s.variables ?? {}));
}
