import { sql, type SqlBool } from 'kysely';
import { isUnitScoped, seesAllUnits } from '../auth/access.js';
import { inPatrolSql } from '../auth/patrol.js';
import type { Actor } from '../auth/sessions.js';
import type { CaseCondition } from './case-conditions.js';

/**
 * One part of what an actor may see: cases matching a condition, read newest first through `index`
 * (migrations 0001, 0013; none for the centre's "everything", where the filters choose it), or the cases
 * holding a task of a unit (read from `inbox_tasks` in the cases' order, see scoped-case-keys.ts).
 */
export type ScopeBranch = { kind: 'cases'; where: CaseCondition; index?: CaseIndex } | { kind: 'unit-tasks'; unitId: number };

/** The indexes on `cases` that yield a filter's or a scope's cases newest first (created_at, then id). */
export const CASE_INDEX = {
  all: 'cases_created_at_idx',
  reporter: 'cases_reporter_user_id_created_at_idx',
  unit: 'cases_unit_id_created_at_idx',
  unitStatus: 'cases_unit_id_status_created_at_idx',
  status: 'cases_status_created_at_idx',
  category: 'cases_category_created_at_idx',
  township: 'cases_township_id_created_at_idx',
  channel: 'cases_channel_created_at_idx',
} as const;
export type CaseIndex = (typeof CASE_INDEX)[keyof typeof CASE_INDEX];

/**
 * The cases an actor may see, as a union of branches — the same rule as `readCase` (domain/cases/case-detail.ts)
 * applies to one case, so a search never lists a case whose detail would be refused:
 * centre roles (admin, operator, leader, auditor) everything; everyone the cases they reported themselves;
 * department staff and leaders the cases sent to their unit or holding a task of their unit; grid workers
 * the cases in 核查 (verifying) with a task in the inbox (their pool, as the task inbox scopes it).
 * A union rather than one OR: each branch has an index that yields it newest first, an OR has none.
 */
export function caseScopeBranches(actor: Actor): ScopeBranch[] {
  if (seesAllUnits(actor)) return [{ kind: 'cases', where: {} }];
  const own: ScopeBranch = { kind: 'cases', where: { reporterUserId: actor.userId }, index: CASE_INDEX.reporter };
  if (isUnitScoped(actor)) {
    if (actor.unitId === null) return [own];
    return [own, { kind: 'cases', where: { unitId: actor.unitId }, index: CASE_INDEX.unit }, { kind: 'unit-tasks', unitId: actor.unitId }];
  }
  if (actor.role === 'grid_worker') {
    // EXISTS per verifying case (few: the cases being checked now), not IN over every task ever created
    const hasTask = sql<SqlBool>`EXISTS (SELECT 1 FROM inbox_tasks t WHERE t.case_id = \`cases\`.\`id\`)`;
    const inPatrol = sql<SqlBool>`${sql.raw(inPatrolSql(actor, '`cases`.`id`'))}`;
    return [own, { kind: 'cases', where: (eb) => eb.and([eb('status', '=', 'verifying'), hasTask, inPatrol]), index: CASE_INDEX.status }];
  }
  return [own];
}

/** Unit-scoped roles see the dashboard of their own unit only; centre roles the whole district. */
export function dashboardUnitScope(actor: Actor): number | null {
  return isUnitScoped(actor) ? (actor.unitId ?? -1) : null;
}
