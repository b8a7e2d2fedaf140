import type { ColumnKind } from './schema.js';

/**
 * How values cross between JavaScript and the two databases, the same way for every query.
 * Written as the models wrote them, so rows written by either read the same: a DATETIME is UTC text
 * `YYYY-MM-DD HH:MM:SS.sss` (on SQLite with ` +00:00` after it), a boolean is 1/0, a BIGINT key is a
 * string in JavaScript (64-bit keys never travel as numbers).
 */
export type Dialect = 'sqlite' | 'mysql';
export type Parameter = string | number | null | Buffer;

/** a DATETIME as both databases keep it (UTC) */
export function dateText(dialect: Dialect, d: Date): string {
  const iso = d.toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return dialect === 'sqlite' ? `${text} +00:00` : text;
}

export function toParameter(dialect: Dialect, value: unknown): Parameter {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('an invalid Date cannot be stored');
    return dateText(dialect, value);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || Buffer.isBuffer(value)) return value;
  throw new TypeError(`a ${typeof value} cannot be bound as an SQL parameter (serialise it first)`);
}

const DATE_TEXT = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(?: ?(Z|[+-]\d\d:?\d\d))?$/;

/** a DATETIME read back: text on SQLite (and from some MySQL paths), a Date from mysql2 */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const m = DATE_TEXT.exec(String(value));
  if (!m) throw new TypeError(`not a stored date: ${String(value)}`);
  return new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
}

function convert(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'date':
      return toDate(value);
    case 'boolean':
      return value === true || value === 1 || value === '1' || (typeof value === 'bigint' && value === 1n);
    case 'bigint':
      return typeof value === 'string' ? value : String(value);
  }
}

/** Converts the columns of `row` named in `kinds` (SQL names), in place; other columns stay as read. */
export function convertRow(row: Record<string, unknown>, kinds: Readonly<Record<string, ColumnKind>>): Record<string, unknown> {
  for (const name in row) {
    const kind = kinds[name];
    if (kind) row[name] = convert(kind, row[name]);
  }
  return row;
}
