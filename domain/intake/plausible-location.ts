import { appSql } from '../../db/sql/current.js';
import type { Sql } from '../../db/sql/index.js';
import { DomainError } from '../shared/errors.js';

/**
 * Coordinates a report of this district can have (issue #16, item 9): not (0, 0), the "null island" of an
 * unset GPS fix, and within MARGIN_DEGREES of the box around the district's grids (0.3° ≈ 30 km: a report
 * made from just across the border still comes in; one from another province does not). Without grids
 * (an empty registry) only (0, 0) is refused.
 *
 * Called once, by fileCase: every intake channel (public JSON and multipart, hotline and staff filings,
 * field reports, 交办, Open311, AI cameras) files through it, so none can skip the check.
 */
export const MARGIN_DEGREES = 0.3;

type Box = { minLat: number; maxLat: number; minLng: number; maxLng: number };
/** per database handle: a process (a test run) that opens another database does not judge by the first one's grids */
const cache = new WeakMap<Sql, { at: number; box: Box | null }>();
const CACHE_MS = 60_000;

async function districtBox(now: number): Promise<Box | null> {
  const db = appSql();
  const cached = cache.get(db);
  if (cached && now - cached.at < CACHE_MS) return cached.box;
  const grids = (await db.selectFrom('grids').select(['centroidLat', 'centroidLng']).execute()).map((g) => ({
    centroidLat: Number(g.centroidLat),
    centroidLng: Number(g.centroidLng),
  }));
  const box: Box | null = grids.length
    ? {
        minLat: Math.min(...grids.map((g) => g.centroidLat)),
        maxLat: Math.max(...grids.map((g) => g.centroidLat)),
        minLng: Math.min(...grids.map((g) => g.centroidLng)),
        maxLng: Math.max(...grids.map((g) => g.centroidLng)),
      }
    : null;
  cache.set(db, { at: now, box });
  return box;
}

/** Refuses implausible coordinates with 400 `implausible_location`; no coordinates pass (the address or grid locates the report). */
export async function requirePlausibleLocation(lat: number | null | undefined, lng: number | null | undefined, now = Date.now()): Promise<void> {
  if (lat == null || lng == null) return;
  const refuse = (message: string) => new DomainError('INVALID_ARGUMENT', message, { apiCode: 'implausible_location', errors: [{ path: '/lat', message }] });
  if (lat === 0 && lng === 0) throw refuse('(0, 0) is no place in the district: the position was not fixed');
  const box = await districtBox(now);
  if (
    box &&
    (lat < box.minLat - MARGIN_DEGREES || lat > box.maxLat + MARGIN_DEGREES || lng < box.minLng - MARGIN_DEGREES || lng > box.maxLng + MARGIN_DEGREES)
  ) {
    throw refuse('the position lies far outside the district');
  }
}
