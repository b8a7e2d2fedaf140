/**
 * Calls that file no case: a consultation answered on the spot (直办), or a call joined to an open case
 * of the same problem (并单 before filing). Both are kept in `hotline_calls` (migration 0024).
 */
import { appSql } from '../../db/sql/current.js';
import { changeCase } from '../cases/change-case.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { DomainError } from '../shared/errors.js';
import type { Actor } from '../auth/sessions.js';

export interface Caller {
  callerName?: string | null;
  callerPhone?: string | null;
}
export interface HotlineCall {
  id: string;
  kind: 'consultation' | 'merged';
  callerName: string | null;
  callerPhone: string | null;
  content: string;
  answer: string | null;
  caseId: string | null;
  caseNo: string | null;
  operator: string;
  createdAt: string;
}

/** 直办: the question and the answer given, recorded; no case, no process. */
export async function recordConsultation(actor: Actor, input: Caller & { question: string; answer: string }, now = new Date()): Promise<{ id: string }> {
  const inserted = await appSql()
    .insertInto('hotline_calls')
    .values({
      kind: 'consultation',
      callerName: input.callerName ?? null,
      callerPhone: input.callerPhone ?? null,
      content: input.question,
      answer: input.answer,
      caseId: null,
      operator: actor.username,
      createdAt: now,
    })
    .executeTakeFirstOrThrow();
  return { id: String(inserted.insertId) };
}

/**
 * 并单 before filing: the call joins an open case. The case counts one more report and its audit log says
 * a call was joined (by which operator, which call row); the caller's number stays in hotline_calls.
 */
export async function joinCallToCase(
  actor: Actor,
  input: Caller & { caseId: string; content: string },
  now = new Date(),
): Promise<{ id: string; caseNo: string; duplicateCount: number }> {
  let callId = '';
  const change = await changeCase(input.caseId, 'call_joined', { actor: actor.username, actorRole: actor.role, at: now }, async (c, chain) => {
    if (!OPEN_STATUSES.includes(c.status)) throw new DomainError('CONFLICT', `case ${c.caseNo} is ${c.status}: file a new case`, { apiCode: 'case_not_open' });
    c.duplicateCount += 1;
    const inserted = await appSql(chain.transaction)
      .insertInto('hotline_calls')
      .values({
        kind: 'merged',
        callerName: input.callerName ?? null,
        callerPhone: input.callerPhone ?? null,
        content: input.content,
        answer: null,
        caseId: String(c.id),
        operator: actor.username,
        createdAt: now,
      })
      .executeTakeFirstOrThrow();
    callId = String(inserted.insertId);
    return { callId, duplicateCount: c.duplicateCount };
  });
  return { id: callId, caseNo: change.case.caseNo, duplicateCount: change.case.duplicateCount };
}

/** The operator's latest calls without a case of their own, newest first. */
export async function recentCalls(operator: string, limit = 20): Promise<HotlineCall[]> {
  const rows = await appSql()
    .selectFrom('hotline_calls as h')
    .leftJoin('cases as c', 'c.id', 'h.caseId')
    .select(['h.id', 'h.kind', 'h.callerName', 'h.callerPhone', 'h.content', 'h.answer', 'h.caseId', 'c.caseNo', 'h.operator', 'h.createdAt'])
    .where('h.operator', '=', operator)
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind as HotlineCall['kind'],
    callerName: r.callerName,
    callerPhone: r.callerPhone,
    content: r.content,
    answer: r.answer,
    caseId: r.caseId === null ? null : String(r.caseId),
    caseNo: r.caseNo,
    operator: r.operator,
    createdAt: r.createdAt.toISOString(),
  }));
}
