import { DomainError } from './errors.js';
import type { TimeKey } from './cursor.js';

/**
 * The paging contract of every list that grows with history (README, "Paging"):
 * - pages follow an opaque `after` cursor; each answer carries `next` (null on the last page);
 * - `page`/`offset` paging stays where it was, but only within the first MAX_OFFSET rows (400
 *   `page_too_deep` beyond): an offset is read and thrown away row by row, a cursor is a seek;
 * - a total is counted up to COUNT_CAP rows and only for a first page (no `after`): `total` is exact
 *   when `totalCapped` is false, otherwise at least that many rows match.
 */
export const COUNT_CAP = 10_000;
export const MAX_OFFSET = 10_000;

export interface TotalCount {
  total: number;
  totalCapped: boolean;
}

/** Refuses an offset window that reaches past MAX_OFFSET rows. */
export function checkOffset(offset: number, limit: number): void {
  if (offset + limit > MAX_OFFSET) {
    throw new DomainError('INVALID_ARGUMENT', `offset paging stops at ${MAX_OFFSET} rows`, {
      apiCode: 'page_too_deep',
      errors: [{ path: '/page', message: `offset + page size may be at most ${MAX_OFFSET}; follow \`next\` with \`after\` instead` }],
    });
  }
}

/** `found` rows were counted (up to COUNT_CAP + 1); `complete`: the count looked at every candidate. */
export function cappedTotal(found: number, complete = true): TotalCount {
  return { total: Math.min(found, COUNT_CAP), totalCapped: found > COUNT_CAP || !complete };
}

/** -1 when `a` comes first in newest-first order, 1 when after, 0 for the same row. */
export function compareNewestFirst(a: TimeKey, b: TimeKey): number {
  const dt = b.at.getTime() - a.at.getTime();
  if (dt !== 0) return Math.sign(dt);
  if (a.id === b.id) return 0;
  return a.id.length !== b.id.length ? (b.id.length > a.id.length ? 1 : -1) : b.id > a.id ? 1 : -1;
}
