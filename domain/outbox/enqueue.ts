import type { Selectable } from 'kysely';
import { appDialect, appSql, type Tx } from '../../db/sql/current.js';
import type { NotificationOutboxTable } from '../../db/sql/schema.js';

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

export type OutboxMessage = Selectable<NotificationOutboxTable>;

async function queued(dedupKey: string, transaction?: Tx): Promise<OutboxMessage | undefined> {
  return appSql(transaction).selectFrom('notification_outbox').selectAll().where('dedupKey', '=', dedupKey).executeTakeFirst();
}

/**
 * Queues a notification in the outbox, in the caller's transaction when given (so the message
 * exists exactly when the change it reports does). The unique dedup key makes it idempotent.
 */
export async function enqueueNotification(
  request: NotificationRequest,
  options: { now?: Date; transaction?: Tx } = {},
): Promise<{ message: OutboxMessage; created: boolean }> {
  const existing = await queued(request.dedupKey, options.transaction);
  if (existing) return { message: existing, created: false };
  const at = new Date();
  const row = {
    dedupKey: request.dedupKey,
    kind: request.kind,
    channel: request.channel,
    recipient: request.recipient,
    caseId: request.caseId === null ? null : String(request.caseId),
    subject: request.subject ?? null,
    body: request.body,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: options.now ?? new Date(),
    lastError: null,
    sentAt: null,
    createdAt: at,
    updatedAt: at,
  };
  const q = appSql(options.transaction);
  // someone else may queue it between our look and our insert: theirs stays, and is the one returned
  const insert = appDialect() === 'sqlite' ? q.insertInto('notification_outbox').orIgnore() : q.insertInto('notification_outbox').ignore();
  const result = await insert.values(row).executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1 && result.insertId !== undefined)
    return { message: { ...row, id: String(result.insertId) }, created: true };
  const message = await queued(request.dedupKey, options.transaction);
  if (!message) throw new Error(`outbox message ${request.dedupKey} was neither queued nor found`);
  return { message, created: false };
}
