import { appSql, type Tx } from '../../db/sql/current.js';
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
export async function assignCase(
  port: WorkflowEngine,
  leader: { userId: number; username: string; role: string },
  input: Assignment,
  now = new Date(),
): Promise<FiledCase & { unitCode: string; dueAt: string }> {
  const unit = await appSql().selectFrom('units').select(['id', 'code', 'active']).where('code', '=', input.unitCode).executeTakeFirst();
  if (!unit || unit.active === false) throw new DomainError('INVALID_ARGUMENT', `unknown unit ${input.unitCode}`, { apiCode: 'unknown_unit' });
  if (!(input.dueAt.getTime() > now.getTime())) throw new DomainError('INVALID_ARGUMENT', 'the deadline must lie in the future', { apiCode: 'due_in_past' });
  const report: CaseReport = {
    channel: 'leader',
    description: `${input.description.trim()}\n${INSTRUCTION_MARK}${input.instruction.trim()}`,
    priority: input.priority ?? LEADER_PRIORITY,
    reporterUserId: leader.userId,
    filedBy: { actor: leader.username, role: leader.role },
    eventTypeCode: input.eventTypeCode ?? null,
    gridCode: input.gridCode ?? null,
    address: input.address ?? null,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
  };
  const filed = await fileCase(port, report, now);
  await appSql()
    .insertInto('case_assignments')
    .values({
      caseId: filed.caseId,
      unitId: unit.id,
      dueAt: input.dueAt,
      instruction: input.instruction.trim(),
      leaderUserId: leader.userId,
      createdAt: new Date(),
    })
    .execute();
  return { ...filed, unitCode: unit.code, dueAt: input.dueAt.toISOString() };
}

/** the 交办 rows with their unit */
const assignments = (tx?: Tx | null) =>
  appSql(tx)
    .selectFrom('case_assignments as a')
    .innerJoin('units as u', 'u.id', 'a.unitId')
    .select(['a.caseId', 'a.unitId', 'a.dueAt', 'a.instruction', 'u.code as unitCode', 'u.name as unitName']);

/** The 交办 of a case, or null when it was not filed through 交办. */
export async function assignmentOf(caseId: string, transaction?: Tx): Promise<AssignmentRow | null> {
  return (await assignments(transaction).where('a.caseId', '=', caseId).executeTakeFirst()) ?? null;
}

export interface LeaderAssignment extends AssignmentRow {
  caseNo: string;
  status: string;
  priority: number;
  description: string;
  createdAt: string;
}

/** A leader's own 交办, newest first, with where each case stands. */
export async function assignmentsBy(leaderUserId: number, limit = 50): Promise<LeaderAssignment[]> {
  const rows = await assignments()
    .innerJoin('cases as c', 'c.id', 'a.caseId')
    .select(['c.caseNo', 'c.status', 'c.priority', 'c.description', 'c.createdAt'])
    .where('a.leaderUserId', '=', leaderUserId)
    .orderBy('a.caseId', 'desc')
    .limit(Math.max(1, Math.min(200, Math.floor(limit))))
    .execute();
  return rows.map((r) => ({ ...r, priority: Number(r.priority), createdAt: r.createdAt.toISOString() }));
}
