import type { Dialect } from '../sql/values.js';

/**
 * The few SQL expressions the rollups need that SQLite and MySQL write differently. Times: the application
 * stores a DATE on SQLite as text `YYYY-MM-DD HH:MM:SS.SSS +00:00` (UTC) and on MySQL as a DATETIME in
 * UTC (db/sql/values.ts), so on SQLite the first 23 characters compare as the instant does.
 */
export interface RollupSql {
  dialect: Dialect;
  /** `YYYY-MM-DD` of the instant in local time */
  localDay(at: string): string;
  /** `YYYY-MM` of the instant in local time */
  localMonth(at: string): string;
  /** the instant `a` is before or at `b` (both non-null) */
  atOrBefore(a: string, b: string): string;
  /** the upsert tail: add the inserted values to an existing row's */
  addOnConflict(keys: readonly string[], values: readonly string[]): string;
  /** what a SELECT without a table needs (MySQL's `FROM DUAL` before a WHERE) */
  noTable: string;
}

const signed = (minutes: number) => `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`;

export function rollupSql(dialect: Dialect, offsetMinutes: number): RollupSql {
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60)
    throw new Error(`offset must be whole minutes within ±14 h (got ${offsetMinutes})`);
  if (dialect === 'sqlite') {
    return {
      dialect,
      localDay: (at) => `date(substr(${at}, 1, 19), '${signed(offsetMinutes)}')`,
      localMonth: (at) => `strftime('%Y-%m', substr(${at}, 1, 19), '${signed(offsetMinutes)}')`,
      atOrBefore: (a, b) => `substr(${a}, 1, 23) <= substr(${b}, 1, 23)`,
      addOnConflict: (keys, values) => `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${values.map((v) => `${v} = ${v} + excluded.${v}`).join(', ')}`,
      noTable: '',
    };
  }
  return {
    dialect,
    localDay: (at) => `DATE_FORMAT(DATE_ADD(${at}, INTERVAL ${offsetMinutes} MINUTE), '%Y-%m-%d')`,
    localMonth: (at) => `DATE_FORMAT(DATE_ADD(${at}, INTERVAL ${offsetMinutes} MINUTE), '%Y-%m')`,
    atOrBefore: (a, b) => `${a} <= ${b}`,
    addOnConflict: (_keys, values) => `ON DUPLICATE KEY UPDATE ${values.map((v) => `${v} = ${v} + VALUES(${v})`).join(', ')}`,
    noTable: 'FROM DUAL',
  };
}
