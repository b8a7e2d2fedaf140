import { appSql } from '../../db/sql/current.js';
import { boundingBox, haversineMetres } from '../dedup/haversine.js';
import { keptTableCopy } from '../shared/kept-table-copy.js';

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
 * time. Read again after KEEP_MS, and at once after any write to grids in this process (the registry
 * pages, domain/admin/grids.ts, say so with tableWritten: a grid switched off takes no new case).
 */
const activeCentres = keptTableCopy(['grids'], KEEP_MS, async (): Promise<Centre[]> => {
  const rows = await appSql().selectFrom('grids').select(['id', 'code', 'townshipId', 'centroidLat', 'centroidLng']).where('active', '=', true).execute();
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
