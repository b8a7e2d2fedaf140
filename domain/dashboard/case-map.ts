import { Op } from 'sequelize';
import { Grid } from '../../db/models/index.js';
import type { WarningLight } from '../../db/models/cases.js';
import { OPEN_STATUSES, caseLight } from './case-light.js';
import { caseFacts } from './summary.js';

/** The most case markers the map gets (the screen clusters them; more would only slow it down). */
export const MAP_CASE_LIMIT = 5000;

interface Feature { type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: { type: 'Polygon'; coordinates: Array<Array<[number, number]>> } | { type: 'Point'; coordinates: [number, number] } }

export interface CaseMap {
  cases: Array<{ id: string; caseNo: string; lat: number; lng: number; light: WarningLight; category: string | null; status: string }>;
  grids: { type: 'FeatureCollection'; features: Feature[] };
}

/**
 * The command-centre map: open cases with coordinates (their light and category), and the grids as
 * GeoJSON — the grid polygon ([lng, lat] rings, as GeoJSON wants them), or its centre point when it has
 * no polygon — with the number of open cases in each.
 */
export async function caseMap(unitId: number | null, now: Date): Promise<CaseMap> {
  const open = await caseFacts(unitId, { status: [...OPEN_STATUSES] });
  const located = open.filter((c) => c.lat !== null && c.lng !== null).slice(0, MAP_CASE_LIMIT);
  const perGrid = new Map<number, number>();
  for (const c of open) if (c.gridId !== null) perGrid.set(c.gridId, (perGrid.get(c.gridId) ?? 0) + 1);
  const grids = await Grid.findAll({ order: [['code', 'ASC']], ...(unitId !== null ? { where: { id: { [Op.in]: [...perGrid.keys()] } } } : {}) });
  return {
    cases: located.map((c) => ({ id: c.id, caseNo: c.caseNo, lat: c.lat!, lng: c.lng!, light: caseLight(c, now), category: c.category, status: c.status })),
    grids: {
      type: 'FeatureCollection',
      features: grids.map((g): Feature => ({
        type: 'Feature', id: g.code,
        properties: { code: g.code, name: g.name, townshipId: g.townshipId, gridKind: g.gridKind, openCases: perGrid.get(g.id) ?? 0 },
        geometry: g.polygon && g.polygon.length >= 4 ? { type: 'Polygon', coordinates: [g.polygon] } : { type: 'Point', coordinates: [g.centroidLng, g.centroidLat] },
      })),
    },
  };
}
