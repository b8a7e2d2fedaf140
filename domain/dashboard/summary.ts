import { sql } from 'kysely';
import { type WarningLight } from '../../db/vocabulary.js';
import { appSql } from '../../db/sql/current.js';
import { localDay } from '../shared/local-time.js';
import { idOrNull, num, unitKey } from './rollup-reads.js';
import type { DashboardSummary, GroupCount } from './dashboard-types.js';

const NONE = 'none';

/** The light an open case carries by itself, as the place tally keys it (db/rollups/definition.ts). */
const STANDING_LIGHT_SQL = sql<WarningLight>`CASE WHEN escalation_level > 0 OR warning_light = 'red' THEN 'red' WHEN warning_light = 'yellow' THEN 'yellow' ELSE 'green' END`;

/**
 * 总览: open (still in the loop), closed (结案), overdue (open and past the running stage's due time),
 * today (reported since local midnight), counts by status and category, per unit and township (total,
 * open, overdue; busiest first), and the lights of the open cases.
 * Counts come from the tallies and today's row of the day counts, a few rows per unit whatever the
 * history. Only what depends on the clock is read live: the open cases already past their due time
 * (an index range), which are overdue and red (caseLight) whatever light they carry.
 */
export async function dashboardSummary(unitId: number | null, now: Date, offsetMinutes: number): Promise<DashboardSummary> {
  const key = unitKey(unitId);
  const scoped = unitId !== null;
  const q = appSql();
  const unit = key ?? 0;
  const [statuses, categories, places, overdue, today] =
    key === null
      ? [[], [], [], [], []]
      : await Promise.all([
          q
            .selectFrom('case_tally_status')
            .select(['status', (e) => e.fn.sum<number | string>('n').as('n')])
            .$if(scoped, (w) => w.where('unitId', '=', unit))
            .groupBy('status')
            .execute(),
          q
            .selectFrom('case_tally_category')
            .select(['category', (e) => e.fn.sum<number | string>('n').as('n')])
            .$if(scoped, (w) => w.where('unitId', '=', unit))
            .groupBy('category')
            .execute(),
          q
            .selectFrom('case_tally_place')
            .select(['unitId', 'townshipId', 'light', 'n'])
            .$if(scoped, (w) => w.where('unitId', '=', unit))
            .execute(),
          q
            .selectFrom('open_cases')
            .select(['unitId', 'townshipId', STANDING_LIGHT_SQL.as('light'), (e) => e.fn.countAll<number | string>().as('n')])
            .where('dueAt', '<=', now)
            .$if(scoped, (w) => w.where('unitId', '=', unit))
            .groupBy(['unitId', 'townshipId', sql`light`])
            .execute(),
          q
            .selectFrom('case_day_counts')
            .select((e) => e.fn.sum<number | string>('n').as('n'))
            .where('unitId', '=', key)
            .where('measure', '=', 'created')
            .where('day', '=', localDay(now, offsetMinutes))
            .execute(),
        ]);
  const byStatus: Record<string, number> = {};
  for (const row of statuses) if (num(row.n) !== 0) byStatus[row.status] = num(row.n);
  const byCategory: Record<string, number> = {};
  for (const row of categories) if (num(row.n) !== 0) byCategory[row.category || NONE] = num(row.n);
  const units = new Map<number | null, GroupCount>();
  const townships = new Map<number | null, GroupCount>();
  const lights: Record<WarningLight, number> = { green: 0, yellow: 0, red: 0 };
  const totals = { open: 0, closed: byStatus['closed'] ?? 0, overdue: 0, today: num(today[0]?.n), total: 0 };
  const group = (m: Map<number | null, GroupCount>, id: number | null) => {
    let g = m.get(id);
    if (!g) m.set(id, (g = { total: 0, open: 0, overdue: 0 }));
    return g;
  };
  for (const row of places) {
    const n = num(row.n);
    if (n === 0) continue;
    totals.total += n;
    if (row.light) {
      totals.open += n;
      lights[row.light as WarningLight] += n;
    }
    for (const g of [group(units, idOrNull(row.unitId)), group(townships, idOrNull(row.townshipId))]) {
      g.total += n;
      if (row.light) g.open += n;
    }
  }
  for (const row of overdue) {
    const n = num(row.n);
    totals.overdue += n;
    group(units, idOrNull(row.unitId)).overdue += n;
    group(townships, idOrNull(row.townshipId)).overdue += n;
    // past its due time a case is red, whatever light it carried
    if (row.light !== 'red' && row.light) {
      lights[row.light] -= n;
      lights.red += n;
    }
  }
  const ids = [...new Set([...units.keys(), ...townships.keys()].filter((k): k is number => k !== null))];
  const names = new Map((ids.length ? await q.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute() : []).map((u) => [u.id, u.name]));
  const ordered = <T extends GroupCount>(rows: T[]) => rows.sort((a, b) => b.total - a.total || b.open - a.open);
  return {
    totals,
    byStatus,
    byCategory,
    byUnit: ordered([...units].map(([id, g]) => ({ unitId: id, unitName: id === null ? null : (names.get(id) ?? null), ...g }))),
    byTownship: ordered([...townships].map(([id, g]) => ({ townshipId: id, township: id === null ? null : (names.get(id) ?? null), ...g }))),
    lights,
    at: now.toISOString(),
  };
}
