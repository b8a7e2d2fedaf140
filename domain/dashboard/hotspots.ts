import { sql } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import { addDays, localDay } from '../shared/local-time.js';
import { num, unitKey } from './rollup-reads.js';
import type { Hotspot } from './dashboard-types.js';

/**
 * 未诉先办 thresholds. A grid or event type is a hotspot when, over the last 7 local days (today
 * included), it has at least HOTSPOT_MIN_CASES reports and that is at least HOTSPOT_MIN_RATIO times its
 * own baseline — the mean weekly count of the 4 weeks before. Both together: a doubling from 1 to 2 is
 * noise, and a busy grid's usual 30 a week is no news. A baseline below one case a week counts as one,
 * so a place that was quiet and suddenly has 6 reports shows ratio 6 rather than infinity.
 */
export const HOTSPOT_MIN_RATIO = 2;
export const HOTSPOT_MIN_CASES = 5;
export const HOTSPOT_BASELINE_WEEKS = 4;

/**
 * Grids and event types rising well above their baseline, from the day counts of reports per grid and
 * per type. Every report counts, duplicates merged into another case (并单) too: repeated complaints
 * are exactly the signal. `unitId` limits to one unit's cases.
 */
export async function hotspots(unitId: number | null, now: Date, offsetMinutes: number): Promise<Hotspot[]> {
  const key = unitKey(unitId);
  if (key === null) return [];
  const today = localDay(now, offsetMinutes);
  const weekFirst = addDays(today, -6);
  const q = appSql();
  const rows = await q
    .selectFrom('case_day_counts')
    .select([
      'measure',
      'refId',
      sql<number | string>`CASE WHEN day >= ${weekFirst} THEN 1 ELSE 0 END`.as('thisWeek'),
      (e) => e.fn.sum<number | string>('n').as('n'),
    ])
    .where('unitId', '=', key)
    .where('measure', 'in', ['grid', 'type'])
    .where('day', '>=', addDays(weekFirst, -7 * HOTSPOT_BASELINE_WEEKS))
    .where('day', '<=', today)
    .groupBy(['measure', 'refId', sql`this_week`])
    .execute();
  const tally = (measure: 'grid' | 'type') => {
    const counts = new Map<number, { thisWeek: number; before: number }>();
    for (const r of rows) {
      if (r.measure !== measure) continue;
      const id = num(r.refId);
      const c = counts.get(id) ?? { thisWeek: 0, before: 0 };
      if (num(r.thisWeek) === 1) c.thisWeek += num(r.n);
      else c.before += num(r.n);
      counts.set(id, c);
    }
    return [...counts].flatMap(([id, c]) => {
      const baseline = c.before / HOTSPOT_BASELINE_WEEKS;
      const ratio = c.thisWeek / Math.max(baseline, 1);
      return c.thisWeek >= HOTSPOT_MIN_CASES && ratio >= HOTSPOT_MIN_RATIO
        ? [{ id, thisWeek: c.thisWeek, baseline, ratio: Math.round(ratio * 100) / 100 }]
        : [];
    });
  };
  const grids = tally('grid');
  const types = tally('type');
  const [gridRows, typeRows] = await Promise.all([
    grids.length
      ? q
          .selectFrom('grids')
          .select(['id', 'code', 'name'])
          .where(
            'id',
            'in',
            grids.map((g) => g.id),
          )
          .execute()
      : [],
    types.length
      ? q
          .selectFrom('event_types')
          .select(['id', 'code', 'name'])
          .where(
            'id',
            'in',
            types.map((t) => t.id),
          )
          .execute()
      : [],
  ]);
  const gridById = new Map(gridRows.map((g) => [g.id, g]));
  const typeById = new Map(typeRows.map((t) => [t.id, t]));
  const out: Hotspot[] = [
    ...grids.map(({ id, ...g }) => ({ kind: 'grid' as const, code: gridById.get(id)?.code ?? String(id), name: gridById.get(id)?.name ?? '', ...g })),
    ...types.map(({ id, ...t }) => ({ kind: 'eventType' as const, code: typeById.get(id)?.code ?? String(id), name: typeById.get(id)?.name ?? '', ...t })),
  ];
  return out.sort((a, b) => b.ratio - a.ratio || b.thisWeek - a.thisWeek || a.code.localeCompare(b.code));
}
