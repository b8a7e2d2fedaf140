import { Op, type WhereOptions } from 'sequelize';
import { Case } from '../../db/models/index.js';
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
export async function findDuplicate(subject: Case, options: DedupOptions = {}): Promise<DuplicateMatch | null> {
  const { distanceMetres, windowMs } = { ...DEFAULT_DEDUP, ...options };
  if (!subject.eventTypeId) return null;
  // a leader's 交办 names its own unit, deadline and instruction: merged into another case they would be lost
  if (subject.channel === 'leader') return null;
  const reportedAt = subject.createdAt ?? new Date();
  const base = {
    id: { [Op.lt]: subject.id },
    eventTypeId: subject.eventTypeId,
    status: { [Op.in]: [...OPEN_STATUSES] },
    createdAt: { [Op.gte]: new Date(reportedAt.getTime() - windowMs), [Op.lte]: reportedAt },
  };
  const near: WhereOptions[] = [];
  const hasPoint = subject.lat !== null && subject.lng !== null;
  if (hasPoint) {
    const box = boundingBox({ lat: subject.lat!, lng: subject.lng! }, distanceMetres);
    near.push({ lat: { [Op.between]: [box.minLat, box.maxLat] }, lng: { [Op.between]: [box.minLng, box.maxLng] } });
  }
  const cameraSpot = subject.channel === 'ai_camera' && subject.gridId !== null;
  if (cameraSpot) near.push({ channel: 'ai_camera', gridId: subject.gridId });
  if (near.length === 0) return null;

  // plain rows of the columns compared: in a cluster of reports (one broken pipe, a hundred calls) this
  // returns up to 200 rows, and building a model for each was most of a dedup check's cost
  const candidates = (await Case.findAll({
    where: { ...base, [Op.or]: near }, order: [['id', 'ASC']], limit: 200,
    attributes: ['id', 'caseNo', 'channel', 'gridId', 'lat', 'lng'], raw: true,
  })).map((c) => ({ ...c, id: String(c.id) }));
  let best: DuplicateMatch | null = null;
  for (const c of candidates) {
    const distance = hasPoint && c.lat !== null && c.lng !== null
      ? haversineMetres({ lat: subject.lat!, lng: subject.lng! }, { lat: c.lat, lng: c.lng }) : null;
    let match: DuplicateMatch | null = null;
    if (distance !== null && distance <= distanceMetres) match = { caseId: c.id, caseNo: c.caseNo, reason: 'distance', distanceMetres: Math.round(distance * 10) / 10 };
    else if (cameraSpot && c.channel === 'ai_camera' && c.gridId === subject.gridId) match = { caseId: c.id, caseNo: c.caseNo, reason: 'camera-spot', distanceMetres: distance === null ? null : Math.round(distance * 10) / 10 };
    if (!match) continue;
    // nearest first; candidates come oldest first, so ties keep the oldest
    if (!best || (match.distanceMetres ?? Infinity) < (best.distanceMetres ?? Infinity)) best = match;
  }
  return best;
}
