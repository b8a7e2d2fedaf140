import { Op, literal, type WhereOptions } from 'sequelize';
import type { Case } from '../../db/models/cases.js';
import { isUnitScoped, seesAllUnits } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';

/**
 * The cases an actor may see, as a query condition — the same rule as `readCase` (domain/cases/case-detail.ts)
 * applies to one case, so a search never lists a case whose detail would be refused:
 * centre roles (admin, operator, leader, auditor) everything; everyone the cases they reported themselves;
 * department staff and leaders the cases sent to their unit or holding a task of their unit; grid workers
 * the cases in 核查 (verifying) with a task in the inbox (their pool, as the task inbox scopes it).
 */
export function caseScopeWhere(actor: Actor): WhereOptions<Case> {
  if (seesAllUnits(actor)) return {};
  const own = { reporterUserId: actor.userId };
  if (isUnitScoped(actor)) {
    if (actor.unitId === null) return own;
    const unitId = Number(actor.unitId); // an integer: safe to put in the sub-query
    return {
      [Op.or]: [own, { unitId }, { id: { [Op.in]: literal(`(SELECT case_id FROM inbox_tasks WHERE unit_id = ${unitId} AND case_id IS NOT NULL)`) } }],
    };
  }
  if (actor.role === 'grid_worker') {
    return { [Op.or]: [own, { status: 'verifying', id: { [Op.in]: literal('(SELECT case_id FROM inbox_tasks WHERE case_id IS NOT NULL)') } }] };
  }
  return own;
}

/** Unit-scoped roles see the dashboard of their own unit only; centre roles the whole district. */
export function dashboardUnitScope(actor: Actor): number | null {
  return isUnitScoped(actor) ? (actor.unitId ?? -1) : null;
}
