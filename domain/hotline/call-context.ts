/**
 * What the hotline operator's screen (来电登记) shows while the caller talks: the caller's earlier cases,
 * and for what they say and where, the classifier's suggestions, the grid, and open cases nearby that may
 * be the same problem (并单 before filing). Reads only; filing goes through the ordinary intake.
 */
import { appSql } from '../../db/sql/current.js';
import { loadCatalogueClassifier } from '../classify/index.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { boundingBox, haversineMetres } from '../dedup/haversine.js';
import { gridNear } from '../intake/nearest-grid.js';

export interface CallerCase {
  id: string;
  caseNo: string;
  description: string;
  status: string;
  createdAt: string;
}

/** The latest cases filed with this phone number (the reporter_phone index, newest first). */
export async function callerCases(phone: string, limit = 10): Promise<CallerCase[]> {
  const rows = await appSql()
    .selectFrom('cases')
    .select(['id', 'caseNo', 'description', 'status', 'createdAt'])
    .where('reporterPhone', '=', phone)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((c) => ({ id: String(c.id), caseNo: c.caseNo, description: c.description, status: c.status, createdAt: c.createdAt.toISOString() }));
}

export interface Suggestion {
  code: string;
  name: string;
  category: string;
  confidence: number | null;
}
export interface PlaceOfCall {
  gridCode: string;
  gridName: string;
  township: string | null;
}
export interface NearbyCase {
  id: string;
  caseNo: string;
  description: string;
  status: string;
  eventTypeCode: string | null;
  distanceMetres: number;
  sameType: boolean;
  createdAt: string;
}

/** open cases within this distance of the call's point … */
export const NEARBY_METRES = 300;
/** … reported within this many days */
export const NEARBY_DAYS = 7;

/** The classifier's pick and its alternatives, best first, with the catalogue's names. */
export async function suggestTypes(description: string, max = 5): Promise<Suggestion[]> {
  const result = (await loadCatalogueClassifier()).classify(description);
  const codes = [...new Set([result.eventTypeCode, ...result.alternatives.map((a) => a.code)].filter((c): c is string => !!c))].slice(0, max);
  if (!codes.length) return [];
  const types = new Map(
    (await appSql().selectFrom('event_types').select(['code', 'name', 'category']).where('code', 'in', codes).where('active', '=', true).execute()).map((t) => [
      t.code,
      t,
    ]),
  );
  return codes
    .filter((c) => types.has(c))
    .map((c) => ({
      code: c,
      name: types.get(c)!.name,
      category: types.get(c)!.category,
      confidence: c === result.eventTypeCode ? result.confidence : null,
    }));
}

async function placeOf(gridId: number): Promise<PlaceOfCall | null> {
  const grid = await appSql().selectFrom('grids').select(['code', 'name', 'townshipId']).where('id', '=', gridId).executeTakeFirst();
  if (!grid) return null;
  const township = grid.townshipId ? await appSql().selectFrom('units').select('name').where('id', '=', grid.townshipId).executeTakeFirst() : null;
  return { gridCode: grid.code, gridName: grid.name, township: township?.name ?? null };
}

/** The grid of the call: the one named, or the nearest to the point. */
export async function gridOfCall(where: { gridCode?: string; lat?: number; lng?: number }): Promise<PlaceOfCall | null> {
  if (where.gridCode) {
    const grid = await appSql().selectFrom('grids').select('id').where('code', '=', where.gridCode).executeTakeFirst();
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
  const rows = await appSql()
    .selectFrom('cases')
    .select(['id', 'caseNo', 'description', 'status', 'eventTypeId', 'lat', 'lng', 'createdAt'])
    .where('status', 'in', [...OPEN_STATUSES])
    .where('createdAt', '>=', new Date(now.getTime() - NEARBY_DAYS * 86_400_000))
    .where((eb) => eb.between('lat', box.minLat, box.maxLat))
    .where((eb) => eb.between('lng', box.minLng, box.maxLng))
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  const typeIds = [...new Set(rows.map((r) => r.eventTypeId).filter((x): x is number => x !== null))];
  // an empty list matches nothing (as the model's `id IN ()` did), without asking
  const codes = new Map(
    (typeIds.length ? await appSql().selectFrom('event_types').select(['id', 'code']).where('id', 'in', typeIds).execute() : []).map((t) => [t.id, t.code]),
  );
  return rows
    .map((r) => {
      const code = r.eventTypeId !== null ? (codes.get(r.eventTypeId) ?? null) : null;
      return {
        id: String(r.id),
        caseNo: r.caseNo,
        description: r.description,
        status: r.status,
        eventTypeCode: code,
        distanceMetres: Math.round(haversineMetres(point, { lat: r.lat!, lng: r.lng! })),
        sameType: !!typeCode && code === typeCode,
        createdAt: r.createdAt.toISOString(),
      };
    })
    .filter((c) => c.distanceMetres <= NEARBY_METRES)
    .sort((a, b) => Number(b.sameType) - Number(a.sameType) || a.distanceMetres - b.distanceMetres)
    .slice(0, 10);
}

/** A grid's centre, to look near when the caller gives a grid rather than a point. */
export async function gridCentre(gridCode: string): Promise<{ lat: number; lng: number } | null> {
  const grid = await appSql().selectFrom('grids').select(['centroidLat', 'centroidLng']).where('code', '=', gridCode).executeTakeFirst();
  return grid && grid.centroidLat !== null && grid.centroidLng !== null ? { lat: grid.centroidLat, lng: grid.centroidLng } : null;
}
