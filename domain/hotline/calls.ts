/**
 * Calls that file no case: a consultation answered on the spot (直办), or a call joined to an open case
 * of the same problem (并单 before filing). Both are kept in `hotline_calls` (migration 0024).
 */
import { QueryTypes } from 'sequelize';
import { Case } from '../../db/models/index.js';
import { insertRow } from '../../db/rows.js';
import { changeCase } from '../cases/change-case.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { DomainError } from '../shared/errors.js';
import type { Actor } from '../auth/sessions.js';

export interface Caller { callerName?: string | null; callerPhone?: string | null }
export interface HotlineCall { id: string; kind: 'consultation' | 'merged'; callerName: string | null; callerPhone: string | null; content: string; answer: string | null; caseId: string | null; caseNo: string | null; operator: string; createdAt: string }

const db = () => Case.sequelize!;

/** 直办: the question and the answer given, recorded; no case, no process. */
export async function recordConsultation(actor: Actor, input: Caller & { question: string; answer: string }, now = new Date()): Promise<{ id: string }> {
  const id = await insertRow(db(), 'hotline_calls', {
    kind: 'consultation', caller_name: input.callerName ?? null, caller_phone: input.callerPhone ?? null,
    content: input.question, answer: input.answer, case_id: null, operator: actor.username, created_at: now,
  });
  return { id };
}

/**
 * 并单 before filing: the call joins an open case. The case counts one more report and its audit log says
 * a call was joined (by which operator, which call row); the caller's number stays in hotline_calls.
 */
export async function joinCallToCase(actor: Actor, input: Caller & { caseId: string; content: string }, now = new Date()): Promise<{ id: string; caseNo: string; duplicateCount: number }> {
  let callId = '';
  const change = await changeCase(input.caseId, 'call_joined', { actor: actor.username, actorRole: actor.role, at: now }, async (c, chain) => {
    if (!OPEN_STATUSES.includes(c.status)) throw new DomainError('CONFLICT', `case ${c.caseNo} is ${c.status}: file a new case`, { apiCode: 'case_not_open' });
    c.duplicateCount += 1;
    callId = await insertRow(db(), 'hotline_calls', {
      kind: 'merged', caller_name: input.callerName ?? null, caller_phone: input.callerPhone ?? null,
      content: input.content, answer: null, case_id: c.id, operator: actor.username, created_at: now,
    }, { transaction: chain.transaction });
    return { callId, duplicateCount: c.duplicateCount };
  });
  return { id: callId, caseNo: change.case.caseNo, duplicateCount: change.case.duplicateCount };
}

interface CallRow { id: number | string; kind: 'consultation' | 'merged'; caller_name: string | null; caller_phone: string | null; content: string; answer: string | null; case_id: number | string | null; case_no: string | null; operator: string; created_at: Date | string }

/** The operator's latest calls without a case of their own, newest first. */
export async function recentCalls(operator: string, limit = 20): Promise<HotlineCall[]> {
  const rows = await db().query<CallRow>(
    'SELECT h.id, h.kind, h.caller_name, h.caller_phone, h.content, h.answer, h.case_id, c.case_no, h.operator, h.created_at FROM hotline_calls h LEFT JOIN cases c ON c.id = h.case_id WHERE h.operator = ? ORDER BY h.id DESC LIMIT ?',
    { replacements: [operator, limit], type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    id: String(r.id), kind: r.kind, callerName: r.caller_name, callerPhone: r.caller_phone, content: r.content, answer: r.answer,
    caseId: r.case_id === null ? null : String(r.case_id), caseNo: r.case_no, operator: r.operator, createdAt: new Date(r.created_at).toISOString(),
  }));
}
