import { QueryTypes, type Transaction } from 'sequelize';
import { Case, Unit } from '../../db/models/index.js';
import { insertRow } from '../../db/rows.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { DomainError } from '../shared/errors.js';
import { fileCase, LEADER_PRIORITY, type CaseReport, type FiledCase } from './file-case.js';

/** What a leader's 交办 says beyond an ordinary report. */
export interface Assignment {
  description: string;
  instruction: string;
  unitCode: string;
  dueAt: Date;
  priority?: number;
  eventTypeCode?: string | null;
  gridCode?: string | null;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
}

export interface AssignmentRow {
  caseId: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  dueAt: Date;
  instruction: string;
}

/** The leader's instruction travels in the case text too: every page and message that shows a case shows it. */
export const INSTRUCTION_MARK = '【领导批示】';

/**
 * 交办: files a `leader` case (high priority unless the leader sets one) and records the unit named, the
 * deadline and the instruction. The row is written after filing (fileCase owns the case row); nothing reads it
 * before the centre's 受理, a user task, has been completed, so the route and the 处置 deadline always see it.
 */
export async function assignCase(port: WorkflowEngine, leader: { userId: number; username: string; role: string }, input: Assignment, now = new Date()): Promise<FiledCase & { unitCode: string; dueAt: string }> {
  const unit = await Unit.findOne({ where: { code: input.unitCode } });
  if (!unit || unit.active === false) throw new DomainError('INVALID_ARGUMENT', `unknown unit ${input.unitCode}`, { apiCode: 'unknown_unit' });
  if (!(input.dueAt.getTime() > now.getTime())) throw new DomainError('INVALID_ARGUMENT', 'the deadline must lie in the future', { apiCode: 'due_in_past' });
  const report: CaseReport = {
    channel: 'leader', description: `${input.description.trim()}\n${INSTRUCTION_MARK}${input.instruction.trim()}`,
    priority: input.priority ?? LEADER_PRIORITY, reporterUserId: leader.userId, filedBy: { actor: leader.username, role: leader.role },
    eventTypeCode: input.eventTypeCode ?? null, gridCode: input.gridCode ?? null, address: input.address ?? null, lat: input.lat ?? null, lng: input.lng ?? null,
  };
  const filed = await fileCase(port, report, now);
  await insertRow(Case.sequelize!, 'case_assignments', {
    case_id: filed.caseId, unit_id: unit.id, due_at: input.dueAt, instruction: input.instruction.trim(), leader_user_id: leader.userId, created_at: new Date(),
  });
  return { ...filed, unitCode: unit.code, dueAt: input.dueAt.toISOString() };
}

interface RawAssignment { case_id: unknown; unit_id: unknown; due_at: unknown; instruction: string; code: string; name: string }
const toRow = (r: RawAssignment): AssignmentRow => ({
  caseId: String(r.case_id), unitId: Number(r.unit_id), unitCode: r.code, unitName: r.name, dueAt: new Date(r.due_at as string), instruction: r.instruction,
});

/** The 交办 of a case, or null when it was not filed through 交办. */
export async function assignmentOf(caseId: string, transaction?: Transaction): Promise<AssignmentRow | null> {
  const rows = await Case.sequelize!.query<RawAssignment>(
    'SELECT a.case_id, a.unit_id, a.due_at, a.instruction, u.code, u.name FROM case_assignments a JOIN units u ON u.id = a.unit_id WHERE a.case_id = $1',
    { bind: [caseId], type: QueryTypes.SELECT, transaction: transaction ?? null },
  );
  return rows[0] ? toRow(rows[0]) : null;
}

export interface LeaderAssignment extends AssignmentRow { caseNo: string; status: string; priority: number; description: string; createdAt: string }

/** A leader's own 交办, newest first, with where each case stands. */
export async function assignmentsBy(leaderUserId: number, limit = 50): Promise<LeaderAssignment[]> {
  const rows = await Case.sequelize!.query<RawAssignment & { case_no: string; status: string; priority: unknown; description: string; created_at: unknown }>(
    `SELECT a.case_id, a.unit_id, a.due_at, a.instruction, u.code, u.name, c.case_no, c.status, c.priority, c.description, c.created_at
       FROM case_assignments a JOIN units u ON u.id = a.unit_id JOIN cases c ON c.id = a.case_id
      WHERE a.leader_user_id = $1 ORDER BY a.case_id DESC LIMIT ${Math.max(1, Math.min(200, Math.floor(limit)))}`,
    { bind: [leaderUserId], type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    ...toRow(r), caseNo: r.case_no, status: r.status, priority: Number(r.priority),
    description: r.description, createdAt: new Date(r.created_at as string).toISOString(),
  }));
}
