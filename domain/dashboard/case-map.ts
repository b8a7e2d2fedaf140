import { Grid } from '../../db/models/index.js';
import type { WarningLight } from '../../db/models/cases.js';
import { keptCopy } from '../shared/on-model-writes.js';
import { caseLight } from './case-light.js';
import { num, selectRows, unitKey } from './rollup-reads.js';

/** The most case markers one answer carries (the screen clusters them; zoom in with a bbox for the rest). */
export const MAP_CASE_LIMIT = 2000;

interface Feature { type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: { type: 'Polygon'; coordinates: Array<Array<[number, number]>> } | { type: 'Point'; coordinates: [number, number] } }

/** [west, south, east, north] in degrees (GeoJSON's bbox order). */
export type Bbox = [number, number, number, number];

export interface CaseMap {
  cases: Array<{ id: string; caseNo: string; lat: number; lng: number; light: WarningLight; category: string | null; status: string }>;
  /** true when more open cases lie in the bounds than MAP_CASE_LIMIT: the newest are shown */
  truncated: boolean;
  grids: { type: 'FeatureCollection'; features: Feature[] };
}

/** The grids as the map draws them, kept in memory: they change in the registry, not with every case. */
const mapGrids = keptCopy('forget-map-grids', [Grid as never], 30_000, async () =>
  (await Grid.findAll({ order: [['code', 'ASC']] })).map((g) => ({
    id: g.id, code: g.code, name: g.name, townshipId: g.townshipId, gridKind: g.gridKind, centroidLng: g.centroidLng, centroidLat: g.centroidLat,
    polygon: g.polygon && g.polygon.length >= 4 ? g.polygon : null,
  })));

interface OpenRow { case_id: unknown; case_no: string; lat: unknown; lng: unknown; status: string; category: string | null; warning_light: WarningLight; escalation_level: unknown; due_at: unknown }

/**
 * The command-centre map: open cases with coordinates (their light and category) within `bbox` when
 * given, newest first and at most MAP_CASE_LIMIT; and the grids as GeoJSON — the grid polygon ([lng,
 * lat] rings, as GeoJSON wants them), or its centre point when it has no polygon — with the number of
 * open cases in each. Everything is read from the open cases, so the answer does not grow with history.
 */
export async function caseMap(unitId: number | null, now: Date, bbox?: Bbox): Promise<CaseMap> {
  const key = unitKey(unitId);
  const scoped = unitId !== null;
  const where: string[] = ['lat IS NOT NULL', 'lng IS NOT NULL'];
  const args: unknown[] = [];
  if (scoped) { where.push('unit_id = ?'); args.push(key ?? 0); }
  if (bbox) { where.push('lng >= ? AND lat >= ? AND lng <= ? AND lat <= ?'); args.push(...bbox); }
  const [located, perGridRows] = await Promise.all([
    selectRows<OpenRow>(`SELECT case_id, case_no, lat, lng, status, category, warning_light, escalation_level, due_at FROM open_cases WHERE ${where.join(' AND ')} ORDER BY case_id DESC LIMIT ${MAP_CASE_LIMIT + 1}`, args),
    selectRows<{ grid_id: unknown; n: unknown }>(`SELECT grid_id, COUNT(*) AS n FROM open_cases WHERE grid_id IS NOT NULL${scoped ? ' AND unit_id = ?' : ''} GROUP BY grid_id`, scoped ? [key ?? 0] : []),
  ]);
  const perGrid = new Map(perGridRows.map((r) => [num(r.grid_id), num(r.n)]));
  const grids = (await mapGrids()).filter((g) => !scoped || perGrid.has(g.id));
  const inBox = (lng: number, lat: number) => !bbox || (lng >= bbox[0] && lat >= bbox[1] && lng <= bbox[2] && lat <= bbox[3]);
  return {
    cases: located.slice(0, MAP_CASE_LIMIT).map((c) => ({
      id: String(c.case_id), caseNo: c.case_no, lat: num(c.lat), lng: num(c.lng), category: c.category, status: c.status,
      light: caseLight({ status: c.status as never, warningLight: c.warning_light, escalationLevel: num(c.escalation_level), dueAt: c.due_at ? new Date(c.due_at as string) : null }, now),
    })),
    truncated: located.length > MAP_CASE_LIMIT,
    grids: {
      type: 'FeatureCollection',
      features: grids
        .filter((g) => inBox(g.centroidLng, g.centroidLat) || (g.polygon ?? []).some(([lng, lat]) => inBox(lng, lat)))
        .map((g): Feature => ({
          type: 'Feature', id: g.code,
          properties: { code: g.code, name: g.name, townshipId: g.townshipId, gridKind: g.gridKind, openCases: perGrid.get(g.id) ?? 0 },
          geometry: g.polygon ? { type: 'Polygon', coordinates: [g.polygon] } : { type: 'Point', coordinates: [g.centroidLng, g.centroidLat] },
        })),
    },
  };
}
