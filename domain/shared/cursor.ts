import { DomainError } from './errors.js';

/**
 * Opaque paging cursors: base64url of a JSON array `[list, ...sort key of the last row]`. Opaque to
 * clients (the shape may change), but checked strictly when it comes back: anything that does not
 * decode to the sort key of the same list is 400 `bad_cursor`, never a query with a garbage bound.
 */
export type CursorValue = string | number | null;

/** Longer than any cursor this server writes (a date, a 19-digit id and a list name fit in ~90). */
const MAX_CURSOR_LENGTH = 256;

export function badCursor(reason: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', `bad_cursor: ${reason}`, { apiCode: 'bad_cursor', errors: [{ path: '/after', message: reason }] });
}

export function encodeCursor(list: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([list, ...values]), 'utf8').toString('base64url');
}

/** The values of a cursor written for `list`, exactly `arity` of them; throws `bad_cursor` otherwise. */
export function decodeCursor(list: string, raw: string, arity: number): CursorValue[] {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor('not a cursor of this list');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor of this list');
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== arity + 1) throw badCursor('not a cursor of this list');
  const values = parsed.slice(1) as unknown[];
  if (!values.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) throw badCursor('not a cursor of this list');
  return values as CursorValue[];
}

/** A row's position in a newest-first list: its timestamp and, for ties, its id (a decimal string). */
export interface TimeKey {
  at: Date;
  id: string;
}

const ID = /^[1-9]\d{0,18}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const encodeTimeKey = (list: string, key: TimeKey): string => encodeCursor(list, [key.at.toISOString(), key.id]);

export function decodeTimeKey(list: string, raw: string): TimeKey {
  const [at, id] = decodeCursor(list, raw, 2);
  if (typeof at !== 'string' || !ISO.test(at) || Number.isNaN(Date.parse(at)) || new Date(at).toISOString() !== at) throw badCursor('bad timestamp');
  if (typeof id !== 'string' || !ID.test(id)) throw badCursor('bad id');
  return { at: new Date(at), id };
}
