import { ALL_UNITS } from '../../db/rollups/index.js';

/**
 * Reading the case rollups (db/rollups): SELECTs over tables whose size follows the district's
 * units, days and open cases, never the number of cases ever filed.
 */

/** SUM and COUNT come back as numbers from SQLite and as decimal strings from MySQL. */
export const num = (v: unknown): number => Number(v ?? 0);

/** The rollups' key for 0 / '' (nothing) back to null. */
export const idOrNull = (v: unknown): number | null => (num(v) === 0 ? null : num(v));

/**
 * The dashboard's scope as a rollup unit key: the district (null) reads the ALL_UNITS rows; a unit its
 * own. A unit-scoped account without a unit (scope ≤ 0) sees nothing: null here.
 */
export function unitKey(unitId: number | null): number | null {
  if (unitId === null) return ALL_UNITS;
  return unitId > 0 ? unitId : null;
}
