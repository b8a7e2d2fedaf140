import { appSql } from '../../db/sql/current.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { NotificationSender, OutgoingNotification } from './senders.js';

/** Senders by channel; `*` catches channels without their own sender. */
export type SenderMap = Record<string, NotificationSender>;

export interface DeliveryOptions {
  /** most messages handled in one call (default 50) */
  batchSize?: number;
  /** attempts before a message is given up as `failed` (default 6) */
  maxAttempts?: number;
  /** first retry delay; doubles each attempt (default 30 s) */
  baseBackoffMs?: number;
  /** longest retry delay (default 1 h) */
  maxBackoffMs?: number;
  /** how long a claimed message is hidden from other dispatchers while it is being sent (default 2 min) */
  leaseMs?: number;
  log?: Log;
}

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
}

/** Delay before the retry after `attempts` failed attempts: base · 2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs = 30_000, maxMs = 3_600_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends the pending notifications that are due at `now`. Each message is first claimed with a
 * conditional update (its next attempt moved a lease ahead), so two dispatchers — two processes,
 * or a slow run overlapping the next tick — never send the same message at the same time.
 * A failure is retried with exponential back-off; after maxAttempts the message is `failed`.
 */
export async function deliverPending(senders: SenderMap, now: Date, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  const log = options.log ?? silentLog;
  const maxAttempts = options.maxAttempts ?? 6;
  const leaseMs = options.leaseMs ?? 120_000;
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  const q = appSql();
  const due = await q
    .selectFrom('notification_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '<=', now)
    .orderBy('nextAttemptAt', 'asc')
    .orderBy('id', 'asc')
    .limit(options.batchSize ?? 50)
    .execute();
  const update = (id: string) => q.updateTable('notification_outbox').where('id', '=', id);
  for (const message of due) {
    const claim = await update(message.id)
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs), updatedAt: new Date() })
      .where('status', '=', 'pending')
      .where('nextAttemptAt', '=', message.nextAttemptAt)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue; // another dispatcher has it
    const attempt = message.attempts + 1;
    const sender = senders[message.channel] ?? senders['*'];
    const outgoing: OutgoingNotification = {
      id: message.id,
      dedupKey: message.dedupKey,
      kind: message.kind,
      channel: message.channel,
      recipient: message.recipient,
      caseId: message.caseId,
      subject: message.subject,
      body: message.body,
      attempt,
    };
    try {
      if (!sender) throw new Error(`no sender for channel ${message.channel}`);
      await sender.send(outgoing);
      await update(message.id).set({ status: 'sent', attempts: attempt, sentAt: now, lastError: null, updatedAt: new Date() }).execute();
      summary.sent++;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const givenUp = attempt >= maxAttempts;
      await update(message.id)
        .set({
          status: givenUp ? 'failed' : 'pending',
          attempts: attempt,
          lastError: error.slice(0, 2000),
          nextAttemptAt: new Date(now.getTime() + backoffMs(attempt, options.baseBackoffMs, options.maxBackoffMs)),
          updatedAt: new Date(),
        })
        .execute();
      if (givenUp) summary.failed++;
      else summary.retrying++;
      log.warn({ outboxId: message.id, channel: message.channel, attempt, error, givenUp }, 'notification not delivered');
    }
  }
  return summary;
}
