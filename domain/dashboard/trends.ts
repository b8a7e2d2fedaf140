import { sql } from 'kysely';
import { rollupSql } from '../../db/rollups/sql-dialect.js';
import { appDialect, appSql } from '../../db/sql/current.js';
import { addDays, localDay, startOfLocalDay } from '../shared/local-time.js';
import { num, unitKey } from './rollup-reads.js';
import type { TrendDay } from './dashboard-types.js';

/**
 * Per local day for the last `days` days (today last): cases reported, cases closed (结案), and
 * deadlines missed — cases whose running due time fell on that day, has passed, and was not met
 * (still open now, or finished after it). Reported, closed and the finished cases' misses come from
 * the day counts; the open cases past their due time are counted live (they depend on the clock).
 */
export async function dashboardTrends(unitId: number | null, days: number, now: Date, offsetMinutes: number): Promise<{ days: TrendDay[] }> {
  const today = localDay(now, offsetMinutes);
  const first = addDays(today, -(days - 1));
  const out = new Map<string, TrendDay>();
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    out.set(date, { date, created: 0, closed: 0, overdue: 0 });
  }
  const key = unitKey(unitId);
  if (key === null) return { days: [...out.values()] };
  const dueDay = sql<string>`${sql.raw(rollupSql(appDialect(), offsetMinutes).localDay('due_at'))}`;
  const q = appSql();
  const [counted, openMissed] = await Promise.all([
    q
      .selectFrom('case_day_counts')
      .select(['day', 'measure', (e) => e.fn.sum<number | string>('n').as('n')])
      .where('unitId', '=', key)
      .where('measure', 'in', ['created', 'closed', 'missed'])
      .where('day', '>=', first)
      .where('day', '<=', today)
      .groupBy(['day', 'measure'])
      .execute(),
    q
      .selectFrom('open_cases')
      .select([dueDay.as('day'), (e) => e.fn.countAll<number | string>().as('n')])
      .where('dueAt', '>=', startOfLocalDay(first, offsetMinutes))
      .where('dueAt', '<=', now)
      .$if(unitId !== null, (w) => w.where('unitId', '=', key))
      .groupBy(sql`1`)
      .execute(),
  ]);
  for (const row of counted) {
    const day = out.get(row.day);
    if (day) day[row.measure === 'missed' ? 'overdue' : (row.measure as 'created' | 'closed')] += num(row.n);
  }
  for (const row of openMissed) {
    const day = out.get(row.day);
    if (day) day.overdue += num(row.n);
  }
  return { days: [...out.values()] };
}
