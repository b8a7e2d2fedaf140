// the model only for the kept copy's write hooks: the grid registry still writes through it
import { type CaseStatus, type WarningLight } from '../../db/vocabulary.js';
import { appSql } from '../../db/sql/current.js';
import { keptTableCopy } from '../shared/kept-table-copy.js';
import { caseLight } from './case-light.js';
import { num, unitKey } from './rollup-reads.js';
import type { CaseMap, GridFeature } from './dashboard-types.js';

/** The most case markers one answer carries (the screen clusters them; zoom in with a bbox for the rest). */
export const MAP_CASE_LIMIT = 2000;

/** [west, south, east, north] in degrees (GeoJSON's bbox order). */
export type Bbox = [number, number, number, number];

/** The grids as the map draws them, kept in memory: they change in the registry, not with every case. */
const mapGrids = keptTableCopy(['grids'], 30_000, async () =>
  (
    await appSql()
      .selectFrom('grids')
      .select(['id', 'code', 'name', 'townshipId', 'gridKind', 'centroidLng', 'centroidLat', 'polygon'])
      .orderBy('code', 'asc')
      .execute()
  ).map(({ polygon, ...g }) => {
    const ring = polygon === null ? null : (JSON.parse(polygon) as Array<[number, number]> | null);
    return { ...g, polygon: ring && ring.length >= 4 ? ring : null };
  }),
);

/**
 * The command-centre map: open cases with coordinates (their light and category) within `bbox` when
 * given, newest first and at most MAP_CASE_LIMIT; and the grids as GeoJSON — the grid polygon ([lng,
 * lat] rings, as GeoJSON wants them), or its centre point when it has no polygon — with the number of
 * open cases in each. Everything is read from the open cases, so the answer does not grow with history.
 */
export async function caseMap(unitId: number | null, now: Date, bbox?: Bbox): Promise<CaseMap> {
  const key = unitKey(unitId);
  const scoped = unitId !== null;
  const q = appSql();
  const unit = key ?? 0;
  const [located, perGridRows] = await Promise.all([
    q
      .selectFrom('open_cases')
      .select(['caseId', 'caseNo', 'lat', 'lng', 'status', 'category', 'warningLight', 'escalationLevel', 'dueAt'])
      .where('lat', 'is not', null)
      .where('lng', 'is not', null)
      .$if(scoped, (w) => w.where('unitId', '=', unit))
      .$if(bbox !== undefined, (w) => w.where('lng', '>=', bbox![0]).where('lat', '>=', bbox![1]).where('lng', '<=', bbox![2]).where('lat', '<=', bbox![3]))
      .orderBy('caseId', 'desc')
      .limit(MAP_CASE_LIMIT + 1)
      .execute(),
    q
      .selectFrom('open_cases')
      .select(['gridId', (e) => e.fn.countAll<number | string>().as('n')])
      .where('gridId', 'is not', null)
      .$if(scoped, (w) => w.where('unitId', '=', unit))
      .groupBy('gridId')
      .execute(),
  ]);
  const perGrid = new Map(perGridRows.map((r) => [num(r.gridId), num(r.n)]));
  const grids = (await mapGrids()).filter((g) => !scoped || perGrid.has(g.id));
  const inBox = (lng: number, lat: number) => !bbox || (lng >= bbox[0] && lat >= bbox[1] && lng <= bbox[2] && lat <= bbox[3]);
  return {
    cases: located.slice(0, MAP_CASE_LIMIT).map((c) => ({
      id: c.caseId,
      caseNo: c.caseNo,
      lat: num(c.lat),
      lng: num(c.lng),
      category: c.category,
      status: c.status,
      light: caseLight(
        { status: c.status as CaseStatus, warningLight: c.warningLight as WarningLight, escalationLevel: num(c.escalationLevel), dueAt: c.dueAt },
        now,
      ),
    })),
    truncated: located.length > MAP_CASE_LIMIT,
    grids: {
      type: 'FeatureCollection',
      features: grids
        .filter((g) => inBox(g.centroidLng, g.centroidLat) || (g.polygon ?? []).some(([lng, lat]) => inBox(lng, lat)))
        .map((g): GridFeature => ({
          type: 'Feature',
          id: g.code,
          properties: { code: g.code, name: g.name, townshipId: g.townshipId, gridKind: g.gridKind, openCases: perGrid.get(g.id) ?? 0 },
          geometry: g.polygon ? { type: 'Polygon', coordinates: [g.polygon] } : { type: 'Point', coordinates: [g.centroidLng, g.centroidLat] },
        })),
    },
  };
}
