import { appSql } from '../../db/sql/current.js';
import { appendAudit, findAuditByDedupKey } from '../audit/audit-log.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { MESSAGES } from '../../processes/contract.js';
import { DomainError } from '../shared/errors.js';
import { maskPersonalNumbers } from '../shared/mask-personal.js';
import type { PublicCaseView } from './public-case-type.js';

/** How long a rating waits for the 回访 step to be reached (the process may still be busy). */
export const RATING_TTL_MS = 7 * 24 * 3600_000;
/** 回访 is of a finished case: a case still being handled has nothing to rate yet. */
const RATEABLE = new Set(['closed']);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What the reporter's view and rating need of the case. */
interface TrackedCase {
  id: string;
  caseNo: string;
  status: string;
  description: string;
  address: string | null;
  satisfaction: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  handledAt: Date | null;
  closedAt: Date | null;
}

async function byToken(token: string): Promise<TrackedCase> {
  const row =
    token.length <= 64
      ? await appSql()
          .selectFrom('cases')
          .select(['id', 'caseNo', 'status', 'description', 'address', 'satisfaction', 'createdAt', 'acceptedAt', 'dispatchedAt', 'handledAt', 'closedAt'])
          .where('trackingToken', '=', token)
          .limit(1)
          .executeTakeFirst()
      : null;
  if (!row) throw new DomainError('NOT_FOUND', 'no case with this tracking token', { apiCode: 'not_found' });
  return row;
}

/**
 * The round's rating: one per round (each 重办 starts a new one). It is recorded in the audit log when the
 * reporter gives it, since the process records the satisfaction on the case only when it takes the message.
 */
async function ratingOfRound(c: TrackedCase): Promise<{ messageId: string; given: boolean }> {
  const reopened = await appSql()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('caseId', '=', c.id)
    .where('action', '=', 'reopened')
    .executeTakeFirstOrThrow();
  const messageId = `case-rating-${c.id}-${Number(reopened.n)}`;
  return { messageId, given: !!c.satisfaction || !!(await findAuditByDedupKey(messageId)) };
}

/** The result the unit gave with its last 办结 (the 处置 task completed as done), if the case got that far. */
async function handleResultOf(c: TrackedCase): Promise<string | null> {
  if (c.status === 'reported' || c.status === 'accepted' || c.status === 'rejected' || c.status === 'merged') return null;
  const done = await appSql()
    .selectFrom('audit_log')
    .select('detail')
    .where('caseId', '=', c.id)
    .where('action', '=', 'task_completed')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  for (const a of done) {
    // detail is JSON kept in TEXT
    const detail = a.detail === null ? null : (JSON.parse(a.detail) as Record<string, unknown> | null);
    const data = (detail?.['data'] ?? {}) as Record<string, unknown>;
    if (detail?.['elementId'] === 'handle' && data['handleOutcome'] === 'done' && typeof data['handleResult'] === 'string')
      return maskPersonalNumbers(data['handleResult']);
  }
  return null;
}

export async function followCase(token: string): Promise<PublicCaseView> {
  const c = await byToken(token);
  const canRate = RATEABLE.has(c.status) && !(await ratingOfRound(c)).given;
  return {
    // a public answer (whoever holds the token): personal numbers masked as everywhere in public
    caseNo: c.caseNo,
    status: c.status,
    description: maskPersonalNumbers(c.description),
    address: c.address === null ? null : maskPersonalNumbers(c.address),
    reportedAt: c.createdAt.toISOString(),
    acceptedAt: iso(c.acceptedAt),
    dispatchedAt: iso(c.dispatchedAt),
    handledAt: iso(c.handledAt),
    closedAt: iso(c.closedAt),
    satisfaction: c.satisfaction,
    canRate,
    handleResult: await handleResultOf(c),
  };
}

/**
 * The reporter's 回访: publishes `case-rating` (correlation key = caseId) with a TTL, so a rating given
 * before the process waits for it is kept; the message id (one per round: each 重办 starts a new one) makes a
 * second rating of one round a no-op on the engine, and the API refuses it.
 */
export async function rateCase(
  port: WorkflowEngine,
  token: string,
  rating: { satisfied: boolean; rating: number; comment?: string | null },
): Promise<{ caseNo: string }> {
  const c = await byToken(token);
  const round = await ratingOfRound(c);
  if (round.given) throw new DomainError('CONFLICT', 'already rated', { apiCode: 'already_rated' });
  if (!RATEABLE.has(c.status)) throw new DomainError('CONFLICT', `a ${c.status} case cannot be rated`, { apiCode: 'not_rateable' });
  // a second rating racing this one is refused by the engine (same message id: ALREADY_EXISTS → 409)
  await port.publishMessage({
    name: MESSAGES.caseRating.name,
    correlationKey: c.id,
    timeToLiveMs: RATING_TTL_MS,
    messageId: round.messageId,
    variables: { satisfied: rating.satisfied, rating: rating.rating, ratingComment: rating.comment ?? null },
  });
  await appendAudit({
    caseId: c.id,
    actor: 'public',
    action: 'rating_given',
    detail: { rating: rating.rating, satisfied: rating.satisfied },
    dedupKey: round.messageId,
  });
  return { caseNo: c.caseNo };
}
