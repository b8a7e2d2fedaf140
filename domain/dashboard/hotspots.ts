import { Op } from 'sequelize';
import { Case, EventType, Grid } from '../../db/models/index.js';

/**
 * 未诉先办 thresholds. A grid or event type is a hotspot when, over the last 7 days, it has at least
 * HOTSPOT_MIN_CASES reports and that is at least HOTSPOT_MIN_RATIO times its own baseline — the mean
 * weekly count of the 4 weeks before. Both together: a doubling from 1 to 2 is noise, and a busy
 * grid's usual 30 a week is no news. A baseline below one case a week counts as one, so a place that
 * was quiet and suddenly has 6 reports shows ratio 6 rather than infinity.
 */
export const HOTSPOT_MIN_RATIO = 2;
export const HOTSPOT_MIN_CASES = 5;
export const HOTSPOT_BASELINE_WEEKS = 4;
const WEEK_MS = 7 * 86_400_000;

export interface Hotspot { kind: 'grid' | 'eventType'; code: string; name: string; thisWeek: number; baseline: number; ratio: number }

/**
 * Grids and event types rising well above their baseline. Every report counts, duplicates merged into
 * another case (并单) too: repeated complaints are exactly the signal. `unitId` limits to one unit's cases.
 */
export async function hotspots(unitId: number | null, now: Date): Promise<Hotspot[]> {
  const weekStart = new Date(now.getTime() - WEEK_MS);
  const baselineStart = new Date(weekStart.getTime() - HOTSPOT_BASELINE_WEEKS * WEEK_MS);
  const rows = (await Case.findAll({
    where: { createdAt: { [Op.gte]: baselineStart, [Op.lt]: now }, ...(unitId !== null ? { unitId } : {}) },
    attributes: ['gridId', 'eventTypeId', 'createdAt'], raw: true,
  })) as unknown as Array<{ gridId: number | null; eventTypeId: number | null; createdAt: string | Date }>;
  const tally = (key: 'gridId' | 'eventTypeId') => {
    const counts = new Map<number, { thisWeek: number; before: number }>();
    for (const r of rows) {
      const id = r[key];
      if (id === null) continue;
      const c = counts.get(id) ?? { thisWeek: 0, before: 0 };
      if (new Date(r.createdAt).getTime() >= weekStart.getTime()) c.thisWeek++;
      else c.before++;
      counts.set(id, c);
    }
    return [...counts].flatMap(([id, c]) => {
      const baseline = c.before / HOTSPOT_BASELINE_WEEKS;
      const ratio = c.thisWeek / Math.max(baseline, 1);
      return c.thisWeek >= HOTSPOT_MIN_CASES && ratio >= HOTSPOT_MIN_RATIO ? [{ id, thisWeek: c.thisWeek, baseline, ratio: Math.round(ratio * 100) / 100 }] : [];
    });
  };
  const grids = tally('gridId');
  const types = tally('eventTypeId');
  const [gridRows, typeRows] = await Promise.all([
    grids.length ? Grid.findAll({ where: { id: grids.map((g) => g.id) }, attributes: ['id', 'code', 'name'] }) : [],
    types.length ? EventType.findAll({ where: { id: types.map((t) => t.id) }, attributes: ['id', 'code', 'name'] }) : [],
  ]);
  const gridById = new Map(gridRows.map((g) => [g.id, g]));
  const typeById = new Map(typeRows.map((t) => [t.id, t]));
  const out: Hotspot[] = [
    ...grids.map(({ id, ...g }) => ({ kind: 'grid' as const, code: gridById.get(id)?.code ?? String(id), name: gridById.get(id)?.name ?? '', ...g })),
    ...types.map(({ id, ...t }) => ({ kind: 'eventType' as const, code: typeById.get(id)?.code ?? String(id), name: typeById.get(id)?.name ?? '', ...t })),
  ];
  return out.sort((a, b) => b.ratio - a.ratio || b.thisWeek - a.thisWeek || a.code.localeCompare(b.code));
}
