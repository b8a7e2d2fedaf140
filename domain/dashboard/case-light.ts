import { type CaseStatus, type WarningLight } from '../../db/vocabulary.js';
import { OPEN_CASE_STATUSES } from '../../db/rollups/index.js';
import type { CaseCondition } from './case-conditions.js';

/** Statuses of a case still in the loop (its deadlines run); the others are finished one way or another. */
export const OPEN_STATUSES: readonly CaseStatus[] = OPEN_CASE_STATUSES;
export const FINISHED_STATUSES: readonly CaseStatus[] = ['rejected', 'closed', 'shelved', 'merged'];

/** What the light depends on (a case row, read by the model or by db/sql) */
export interface LightFacts {
  status: string;
  warningLight: string;
  escalationLevel: number;
  dueAt: Date | null;
}

export const isOpen = (c: Pick<LightFacts, 'status'>): boolean => OPEN_STATUSES.includes(c.status as CaseStatus);
/** Open and past the running stage's due time. */
export const isOverdue = (c: Pick<LightFacts, 'status' | 'dueAt'>, now: Date): boolean => isOpen(c) && c.dueAt !== null && c.dueAt.getTime() <= now.getTime();

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
export function lightWhere(light: WarningLight, now: Date): CaseCondition {
  return (eb) => {
    const red = eb.or([
      eb('escalationLevel', '>', 0),
      eb('warningLight', '=', 'red'),
      eb.and([eb('status', 'in', [...OPEN_STATUSES]), eb('dueAt', '<=', now)]),
    ]);
    if (light === 'red') return red;
    const notRed = eb.and([
      eb('escalationLevel', '<=', 0),
      eb('warningLight', '!=', 'red'),
      eb.or([eb('status', 'not in', [...OPEN_STATUSES]), eb('dueAt', 'is', null), eb('dueAt', '>', now)]),
    ]);
    return eb.and([notRed, light === 'yellow' ? eb('warningLight', '=', 'yellow') : eb('warningLight', '!=', 'yellow')]);
  };
}
