import { UniqueConstraintError, type Transaction } from 'sequelize';
import { OutboxMessage } from '../../db/models/index.js';

export interface NotificationRequest {
  /** once-only key, e.g. `<job type>:<job key>:<recipient>`: a job delivered twice queues one message */
  dedupKey: string;
  /** what it is about: `reporter-accepted`, `remind`, `escalate-1` … */
  kind: string;
  /** `sms`, `wechat`, `app`, `webhook`, `log` — which sender delivers it */
  channel: string;
  recipient: string;
  caseId: string | number | null;
  subject?: string | null;
  body: string;
}

/**
 * Queues a notification in the outbox, in the caller's transaction when given (so the message
 * exists exactly when the change it reports does). The unique dedup key makes it idempotent.
 */
export async function enqueueNotification(
  request: NotificationRequest,
  options: { now?: Date; transaction?: Transaction } = {},
): Promise<{ message: OutboxMessage; created: boolean }> {
  const t = options.transaction ? { transaction: options.transaction } : {};
  const existing = await OutboxMessage.findOne({ where: { dedupKey: request.dedupKey }, ...t });
  if (existing) return { message: existing, created: false };
  try {
    const message = await OutboxMessage.create({
      dedupKey: request.dedupKey, kind: request.kind, channel: request.channel, recipient: request.recipient,
      caseId: request.caseId === null ? null : String(request.caseId), subject: request.subject ?? null, body: request.body,
      status: 'pending', attempts: 0, nextAttemptAt: options.now ?? new Date(), lastError: null, sentAt: null,
    }, t);
    return { message, created: true };
  } catch (err) {
    // Someone else queued it between our look and our insert (only possible outside a transaction).
    if (err instanceof UniqueConstraintError && !options.transaction) {
      const message = await OutboxMessage.findOne({ where: { dedupKey: request.dedupKey } });
      if (message) return { message, created: false };
    }
    throw err;
  }
}
