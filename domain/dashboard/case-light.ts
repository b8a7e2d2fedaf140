import { Op, type WhereOptions } from 'sequelize';
import type { Case, CaseStatus, WarningLight } from '../../db/models/cases.js';
import { OPEN_CASE_STATUSES } from '../../db/rollups/index.js';

/** Statuses of a case still in the loop (its deadlines run); the others are finished one way or another. */
export const OPEN_STATUSES: readonly CaseStatus[] = OPEN_CASE_STATUSES;
export const FINISHED_STATUSES: readonly CaseStatus[] = ['rejected', 'closed', 'shelved', 'merged'];

export type LightFacts = Pick<Case, 'status' | 'warningLight' | 'escalationLevel' | 'dueAt'>;

export const isOpen = (c: Pick<Case, 'status'>): boolean => OPEN_STATUSES.includes(c.status);
/** Open and past the running stage's due time. */
export const isOverdue = (c: Pick<Case, 'status' | 'dueAt'>, now: Date): boolean => isOpen(c) && c.dueAt !== null && c.dueAt.getTime() <= now.getTime();

/**
 * The light of a case (红黄绿灯), one rule for the case search, the dashboard and the map:
 * - red: 督办 or 挂牌督办 raised (escalationLevel ≥ 1), the workers turned it red, or — while open — the
 *   running stage's due time has passed (red at once, not only when the escalation timer has fired);
 * - yellow: 催办 (the remind worker turns it yellow at the stage's warning mark, 80 % of its limit);
 * - green otherwise. A finished case keeps the light it finished with (the record of how it went).
 */
export function caseLight(c: LightFacts, now: Date): WarningLight {
  if (c.escalationLevel > 0 || c.warningLight === 'red' || isOverdue(c, now)) return 'red';
  if (c.warningLight === 'yellow') return 'yellow';
  return 'green';
}

/** The same rule as a query condition on `cases`, so filtering by light pages in SQL. */
export function lightWhere(light: WarningLight, now: Date): WhereOptions<Case> {
  const red: WhereOptions<Case> = {
    [Op.or]: [
      { escalationLevel: { [Op.gt]: 0 } },
      { warningLight: 'red' },
      { status: [...OPEN_STATUSES], dueAt: { [Op.lte]: now } },
    ],
  };
  if (light === 'red') return red;
  const notRed: WhereOptions<Case> = {
    escalationLevel: { [Op.lte]: 0 }, warningLight: { [Op.ne]: 'red' },
    [Op.or]: [{ status: { [Op.notIn]: [...OPEN_STATUSES] } }, { dueAt: null }, { dueAt: { [Op.gt]: now } }],
  };
  return light === 'yellow' ? { [Op.and]: [notRed, { warningLight: 'yellow' }] } : { [Op.and]: [notRed, { warningLight: { [Op.ne]: 'yellow' } }] };
}
