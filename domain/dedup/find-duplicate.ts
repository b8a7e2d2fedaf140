import type { Expression, SqlBool } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { CaseRecord } from '../cases/case-records.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { boundingBox, haversineMetres } from './haversine.js';

export interface DedupOptions {
  /** same-type reports closer than this are one problem (default 50 m) */
  distanceMetres?: number;
  /** … if reported within this window before the new one (default 24 h) */
  windowMs?: number;
}

export interface DuplicateMatch {
  caseId: string;
  caseNo: string;
  /** `distance`: within the radius; `camera-spot`: an AI camera's repeat of one grid + type */
  reason: 'distance' | 'camera-spot';
  distanceMetres: number | null;
}

export const DEFAULT_DEDUP: Required<DedupOptions> = { distanceMetres: 50, windowMs: 24 * 3_600_000 };

/**
 * Finds the open case that should absorb `subject` (并单): same event type, reported earlier
 * within the time window, and either within the distance, or — for AI cameras, whose captures of
 * one spot repeat all day — in the same grid. Only earlier cases (smaller id) qualify, so two
 * reports never absorb each other; the nearest wins, then the oldest.
 */
export async function findDuplicate(
  subject: Pick<CaseRecord, 'id' | 'eventTypeId' | 'channel' | 'createdAt' | 'lat' | 'lng' | 'gridId'>,
  options: DedupOptions = {},
): Promise<DuplicateMatch | null> {
  const { distanceMetres, windowMs } = { ...DEFAULT_DEDUP, ...options };
  if (!subject.eventTypeId) return null;
  // a leader's 交办 names its own unit, deadline and instruction: merged into another case they would be lost
  if (subject.channel === 'leader') return null;
  const reportedAt = subject.createdAt ?? new Date();
  const hasPoint = subject.lat !== null && subject.lng !== null;
  const box = hasPoint ? boundingBox({ lat: subject.lat!, lng: subject.lng! }, distanceMetres) : null;
  const cameraSpot = subject.channel === 'ai_camera' && subject.gridId !== null;
  if (!box && !cameraSpot) return null;

  // the columns compared only: in a cluster of reports (one broken pipe, a hundred calls) this returns up to 200 rows
  const candidates = await appSql()
    .selectFrom('cases')
    .select(['id', 'caseNo', 'channel', 'gridId', 'lat', 'lng'])
    .where('id', '<', subject.id)
    .where('eventTypeId', '=', subject.eventTypeId)
    .where('status', 'in', [...OPEN_STATUSES])
    .where('createdAt', '>=', new Date(reportedAt.getTime() - windowMs))
    .where('createdAt', '<=', reportedAt)
    .where((eb) => {
      const near: Array<Expression<SqlBool>> = [];
      if (box) near.push(eb.and([eb.between('lat', box.minLat, box.maxLat), eb.between('lng', box.minLng, box.maxLng)]));
      if (cameraSpot) near.push(eb.and([eb('channel', '=', 'ai_camera'), eb('gridId', '=', subject.gridId)]));
      return eb.or(near);
    })
    .orderBy('id', 'asc')
    .limit(200)
    .execute();
  let best: DuplicateMatch | null = null;
  for (const c of candidates) {
    const distance =
      hasPoint && c.lat !== null && c.lng !== null ? haversineMetres({ lat: subject.lat!, lng: subject.lng! }, { lat: c.lat, lng: c.lng }) : null;
    let match: DuplicateMatch | null = null;
    if (distance !== null && distance <= distanceMetres)
      match = { caseId: c.id, caseNo: c.caseNo, reason: 'distance', distanceMetres: Math.round(distance * 10) / 10 };
    else if (cameraSpot && c.channel === 'ai_camera' && c.gridId === subject.gridId)
      match = { caseId: c.id, caseNo: c.caseNo, reason: 'camera-spot', distanceMetres: distance === null ? null : Math.round(distance * 10) / 10 };
    if (!match) continue;
    // nearest first; candidates come oldest first, so ties keep the oldest
    if (!best || (match.distanceMetres ?? Infinity) < (best.distanceMetres ?? Infinity)) best = match;
  }
  return best;
}
