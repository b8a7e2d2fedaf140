/**
 * What the hotline operator's screen (来电登记) shows while the caller talks: the caller's earlier cases,
 * and for what they say and where, the classifier's suggestions, the grid, and open cases nearby that may
 * be the same problem (并单 before filing). Reads only; filing goes through the ordinary intake.
 */
import { Op } from 'sequelize';
import { Case, EventType, Grid, Unit } from '../../db/models/index.js';
import { loadCatalogueClassifier } from '../classify/index.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { boundingBox, haversineMetres } from '../dedup/haversine.js';
import { gridNear } from '../intake/nearest-grid.js';

export interface CallerCase { id: string; caseNo: string; description: string; status: string; createdAt: string }

/** The latest cases filed with this phone number (the reporter_phone index, newest first). */
export async function callerCases(phone: string, limit = 10): Promise<CallerCase[]> {
  const rows = await Case.findAll({
    where: { reporterPhone: phone }, order: [['id', 'DESC']], limit,
    attributes: ['id', 'caseNo', 'description', 'status', 'createdAt'],
  });
  return rows.map((c) => ({ id: String(c.id), caseNo: c.caseNo, description: c.description, status: c.status, createdAt: c.createdAt.toISOString() }));
}

export interface Suggestion { code: string; name: string; category: string; confidence: number | null }
export interface PlaceOfCall { gridCode: string; gridName: string; township: string | null }
export interface NearbyCase { id: string; caseNo: string; description: string; status: string; eventTypeCode: string | null; distanceMetres: number; sameType: boolean; createdAt: string }

/** open cases within this distance of the call's point … */
export const NEARBY_METRES = 300;
/** … reported within this many days */
export const NEARBY_DAYS = 7;

/** The classifier's pick and its alternatives, best first, with the catalogue's names. */
export async function suggestTypes(description: string, max = 5): Promise<Suggestion[]> {
  const result = (await loadCatalogueClassifier()).classify(description);
  const codes = [...new Set([result.eventTypeCode, ...result.alternatives.map((a) => a.code)].filter((c): c is string => !!c))].slice(0, max);
  if (!codes.length) return [];
  const types = new Map((await EventType.findAll({ where: { code: codes, active: true } })).map((t) => [t.code, t]));
  return codes.filter((c) => types.has(c)).map((c) => ({
    code: c, name: types.get(c)!.name, category: types.get(c)!.category, confidence: c === result.eventTypeCode ? result.confidence : null,
  }));
}

async function placeOf(gridId: number): Promise<PlaceOfCall | null> {
  const grid = await Grid.findByPk(gridId);
  if (!grid) return null;
  const township = grid.townshipId ? await Unit.findByPk(grid.townshipId, { attributes: ['name'] }) : null;
  return { gridCode: grid.code, gridName: grid.name, township: township?.name ?? null };
}

/** The grid of the call: the one named, or the nearest to the point. */
export async function gridOfCall(where: { gridCode?: string; lat?: number; lng?: number }): Promise<PlaceOfCall | null> {
  if (where.gridCode) {
    const grid = await Grid.findOne({ where: { code: where.gridCode }, attributes: ['id'] });
    return grid ? placeOf(grid.id) : null;
  }
  if (where.lat === undefined || where.lng === undefined) return null;
  const near = await gridNear(where.lat, where.lng);
  return near ? placeOf(near.id) : null;
}

/**
 * Open cases near the point reported in the last NEARBY_DAYS: of the suggested type first, then nearest.
 * Without a point the grid's centre stands in (an address picked by grid).
 */
export async function nearbyOpenCases(point: { lat: number; lng: number }, typeCode: string | null, now = new Date()): Promise<NearbyCase[]> {
  const box = boundingBox(point, NEARBY_METRES);
  const rows = await Case.findAll({
    where: {
      status: { [Op.in]: [...OPEN_STATUSES] },
      createdAt: { [Op.gte]: new Date(now.getTime() - NEARBY_DAYS * 86_400_000) },
      lat: { [Op.between]: [box.minLat, box.maxLat] }, lng: { [Op.between]: [box.minLng, box.maxLng] },
    },
    order: [['id', 'DESC']], limit: 200,
    attributes: ['id', 'caseNo', 'description', 'status', 'eventTypeId', 'lat', 'lng', 'createdAt'],
  });
  const typeIds = [...new Set(rows.map((r) => r.eventTypeId).filter((x): x is number => x !== null))];
  const codes = new Map((await EventType.findAll({ where: { id: typeIds }, attributes: ['id', 'code'] })).map((t) => [t.id, t.code]));
  return rows
    .map((r) => {
      const code = r.eventTypeId !== null ? codes.get(r.eventTypeId) ?? null : null;
      return {
        id: String(r.id), caseNo: r.caseNo, description: r.description, status: r.status, eventTypeCode: code,
        distanceMetres: Math.round(haversineMetres(point, { lat: r.lat!, lng: r.lng! })), sameType: !!typeCode && code === typeCode, createdAt: r.createdAt.toISOString(),
      };
    })
    .filter((c) => c.distanceMetres <= NEARBY_METRES)
    .sort((a, b) => Number(b.sameType) - Number(a.sameType) || a.distanceMetres - b.distanceMetres)
    .slice(0, 10);
}

/** A grid's centre, to look near when the caller gives a grid rather than a point. */
export async function gridCentre(gridCode: string): Promise<{ lat: number; lng: number } | null> {
  const grid = await Grid.findOne({ where: { code: gridCode }, attributes: ['centroidLat', 'centroidLng'] });
  return grid && grid.centroidLat !== null && grid.centroidLng !== null ? { lat: grid.centroidLat, lng: grid.centroidLng } : null;
}
