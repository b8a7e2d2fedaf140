import { AuditRecord, Case } from '../../db/models/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { MESSAGES } from '../../processes/contract.js';
import { DomainError } from '../shared/errors.js';

/** What a reporter sees through the tracking token: progress, never other people's data. */
export interface PublicCaseView {
  caseNo: string;
  status: string;
  description: string;
  address: string | null;
  reportedAt: string;
  acceptedAt: string | null;
  dispatchedAt: string | null;
  handledAt: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  canRate: boolean;
}

/** How long a rating waits for the 回访 step to be reached (the process may still be busy). */
export const RATING_TTL_MS = 7 * 24 * 3600_000;
const RATEABLE = new Set(['dispatched', 'handling', 'verifying', 'closed']);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function byToken(token: string): Promise<Case> {
  const row = token.length <= 64 ? await Case.findOne({ where: { trackingToken: token } }) : null;
  if (!row) throw new DomainError('NOT_FOUND', 'no case with this tracking token', { apiCode: 'not_found' });
  return row;
}

export async function followCase(token: string): Promise<PublicCaseView> {
  const c = await byToken(token);
  return {
    caseNo: c.caseNo, status: c.status, description: c.description, address: c.address, reportedAt: c.createdAt.toISOString(),
    acceptedAt: iso(c.acceptedAt), dispatchedAt: iso(c.dispatchedAt), handledAt: iso(c.handledAt), closedAt: iso(c.closedAt),
    satisfaction: c.satisfaction, canRate: RATEABLE.has(c.status) && !c.satisfaction,
  };
}

/**
 * The reporter's 回访: publishes `case-rating` (correlation key = caseId) with a TTL, so a rating given
 * before the process waits for it is kept; the message id (one per round: each 重办 starts a new one) makes a
 * second rating of one round a no-op on the engine, and the API refuses it.
 */
export async function rateCase(port: WorkflowEngine, token: string, rating: { satisfied: boolean; rating: number; comment?: string | null }): Promise<{ caseNo: string }> {
  const c = await byToken(token);
  if (c.satisfaction) throw new DomainError('CONFLICT', 'already rated', { apiCode: 'already_rated' });
  if (!RATEABLE.has(c.status)) throw new DomainError('CONFLICT', `a ${c.status} case cannot be rated`, { apiCode: 'not_rateable' });
  await port.publishMessage({
    name: MESSAGES.caseRating.name, correlationKey: c.id, timeToLiveMs: RATING_TTL_MS, messageId: `${MESSAGES.caseRating.name}-${c.id}-${await AuditRecord.count({ where: { caseId: c.id, action: 'reopened' } })}`,
    variables: { satisfied: rating.satisfied, rating: rating.rating, ratingComment: rating.comment ?? null },
  });
  return { caseNo: c.caseNo };
}
