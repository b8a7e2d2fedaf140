import { Grid } from '../../db/models/index.js';
import { boundingBox, haversineMetres } from '../dedup/haversine.js';
import { keptCopy } from '../shared/on-model-writes.js';

/** What placing a report needs of its grid. */
export interface PlacedGrid {
  id: number;
  code: string;
  townshipId: number;
}

/** a point further than this from every grid centre is not placed in a grid */
export const GRID_RADIUS_M = 5_000;
/** how long another process's change to the grids may take to show here */
const KEEP_MS = 30_000;

interface Centre extends PlacedGrid {
  lat: number;
  lng: number;
}

/**
 * The active grids' centres, kept in memory: every report with coordinates looks for its nearest grid,
 * and the two reads that took (the centres in a box, then the grid) were a tenth of an intake's database
 * time. Read again after KEEP_MS, and at once after any write to grids through the model in this
 * process (the registry pages: a grid switched off takes no new case).
 */
const activeCentres = keptCopy('forget-grid-centres', [Grid as never], KEEP_MS, async (): Promise<Centre[]> => {
  const rows = await Grid.findAll({ where: { active: true }, attributes: ['id', 'code', 'townshipId', 'centroidLat', 'centroidLng'], raw: true });
  return rows.map((g) => ({ id: g.id, code: g.code, townshipId: g.townshipId, lat: Number(g.centroidLat), lng: Number(g.centroidLng) }));
});

/** The active grid whose centre is nearest the point, within GRID_RADIUS_M, or null. */
export async function gridNear(lat: number, lng: number): Promise<PlacedGrid | null> {
  const box = boundingBox({ lat, lng }, GRID_RADIUS_M);
  let best: Centre | null = null;
  let bestD = Infinity;
  for (const g of await activeCentres()) {
    if (g.lat < box.minLat || g.lat > box.maxLat || g.lng < box.minLng || g.lng > box.maxLng) continue;
    const d = haversineMetres({ lat, lng }, g);
    if (d < bestD && d <= GRID_RADIUS_M) [best, bestD] = [g, d];
  }
  return best ? { id: best.id, code: best.code, townshipId: best.townshipId } : null;
}
