import { rollupSql } from '../../db/rollups/sql-dialect.js';
import { Case } from '../../db/models/index.js';
import { addDays, localDay, startOfLocalDay } from '../shared/local-time.js';
import { num, selectRows, unitKey } from './rollup-reads.js';

export interface TrendDay { date: string; created: number; closed: number; overdue: number }

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
  const sql = rollupSql(Case.sequelize!.getDialect() === 'sqlite' ? 'sqlite' : 'mysql', offsetMinutes);
  const [counted, openMissed] = await Promise.all([
    selectRows<{ day: string; measure: 'created' | 'closed' | 'missed'; n: unknown }>(
      "SELECT day, measure, SUM(n) AS n FROM case_day_counts WHERE unit_id = ? AND measure IN ('created', 'closed', 'missed') AND day >= ? AND day <= ? GROUP BY day, measure",
      [key, first, today]),
    selectRows<{ day: string; n: unknown }>(
      `SELECT ${sql.localDay('due_at')} AS day, COUNT(*) AS n FROM open_cases WHERE due_at >= ? AND due_at <= ?${unitId !== null ? ' AND unit_id = ?' : ''} GROUP BY 1`,
      [startOfLocalDay(first, offsetMinutes), now, ...(unitId !== null ? [key] : [])]),
  ]);
  for (const row of counted) {
    const day = out.get(row.day);
    if (day) day[row.measure === 'missed' ? 'overdue' : row.measure] += num(row.n);
  }
  for (const row of openMissed) {
    const day = out.get(row.day);
    if (day) day.overdue += num(row.n);
  }
  return { days: [...out.values()] };
}
