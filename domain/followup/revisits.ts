/**
 * 回访 by the centre: reporters who called the hotline have no web page, so the operators call them back
 * once the case is closed and record what they said. The answer goes the same way as a citizen's own
 * rating (`rateCase`: the `case-rating` message the 回访 step waits for); a call that reached nobody is
 * noted on the case and the case stays on the list.
 */
import { appSql } from '../../db/sql/current.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import type { Actor } from '../auth/sessions.js';
import { noteOnCase } from '../cases/case-actions.js';
import { rateCase } from '../intake/tracking.js';
import { DomainError } from '../shared/errors.js';
import type { RevisitItem } from './revisit-type.js';

/** Closed cases with a reporter's number and no rating yet, oldest closing first (they wait longest). */
export async function revisitList(limit = 50): Promise<RevisitItem[]> {
  const q = appSql();
  const rows = await q
    .selectFrom('cases')
    .select(['id', 'caseNo', 'description', 'reporterName', 'reporterPhone', 'channel', 'closedAt'])
    .where('status', '=', 'closed')
    .where('satisfaction', 'is', null)
    .where('reporterPhone', 'is not', null)
    .orderBy('closedAt', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  const attempts = new Map<string, number>();
  if (rows.length) {
    const notes = await q
      .selectFrom('audit_log')
      .select('caseId')
      .where(
        'caseId',
        'in',
        rows.map((r) => r.id),
      )
      .where('action', '=', 'revisit_unreached')
      .execute();
    for (const n of notes) attempts.set(String(n.caseId), (attempts.get(String(n.caseId)) ?? 0) + 1);
  }
  return rows.map((c) => ({
    id: String(c.id),
    caseNo: c.caseNo,
    description: c.description,
    reporterName: c.reporterName,
    reporterPhone: c.reporterPhone!,
    channel: c.channel,
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    attempts: attempts.get(String(c.id)) ?? 0,
  }));
}

export type RevisitAnswer = { reached: false; note?: string } | { reached: true; satisfied: boolean; rating: number; comment?: string };

/** Records one call-back: the reporter's rating (as their own would be), or that nobody answered. */
export async function recordRevisit(port: WorkflowEngine, actor: Actor, caseId: string, answer: RevisitAnswer): Promise<{ caseNo: string; rated: boolean }> {
  const c = /^\d{1,19}$/.test(caseId)
    ? await appSql().selectFrom('cases').select(['id', 'caseNo', 'status', 'trackingToken']).where('id', '=', caseId).executeTakeFirst()
    : undefined;
  if (!c) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { apiCode: 'case_not_found' });
  if (c.status !== 'closed') throw new DomainError('CONFLICT', `case ${c.caseNo} is ${c.status}`, { apiCode: 'not_rateable' });
  const ctx = { actor: actor.username, actorRole: actor.role };
  if (!answer.reached) {
    await noteOnCase(c.id, 'revisit_unreached', ctx, { note: answer.note ?? null });
    return { caseNo: c.caseNo, rated: false };
  }
  const rated = await rateCase(port, c.trackingToken, { satisfied: answer.satisfied, rating: answer.rating, comment: answer.comment ?? null });
  await noteOnCase(c.id, 'revisit_called', ctx, { satisfied: answer.satisfied, rating: answer.rating });
  return { caseNo: rated.caseNo, rated: true };
}
