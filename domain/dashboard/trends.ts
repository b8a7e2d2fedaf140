import { Op } from 'sequelize';
import { caseFacts } from './summary.js';
import { OPEN_STATUSES } from './case-light.js';
import { addDays, localDay, startOfLocalDay } from './local-day.js';

export interface TrendDay { date: string; created: number; closed: number; overdue: number }

/**
 * Per local day for the last `days` days (today last): cases reported, cases closed (结案), and
 * deadlines missed — cases whose running due time fell on that day, has passed, and was not met
 * (still open then, or closed after it).
 */
export async function dashboardTrends(unitId: number | null, days: number, now: Date, offsetMinutes: number): Promise<{ days: TrendDay[] }> {
  const today = localDay(now, offsetMinutes);
  const first = addDays(today, -(days - 1));
  const from = startOfLocalDay(first, offsetMinutes);
  const cases = await caseFacts(unitId, { [Op.or]: [{ createdAt: { [Op.gte]: from } }, { closedAt: { [Op.gte]: from } }, { dueAt: { [Op.gte]: from } }] });
  const out = new Map<string, TrendDay>();
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    out.set(date, { date, created: 0, closed: 0, overdue: 0 });
  }
  const add = (at: Date | null, key: 'created' | 'closed' | 'overdue') => {
    if (!at) return;
    const day = out.get(localDay(at, offsetMinutes));
    if (day) day[key]++;
  };
  for (const c of cases) {
    add(c.createdAt, 'created');
    if (c.status === 'closed') add(c.closedAt, 'closed');
    const missed = c.dueAt !== null && c.dueAt.getTime() <= now.getTime()
      && (OPEN_STATUSES.includes(c.status) || (c.closedAt !== null && c.closedAt.getTime() > c.dueAt.getTime()));
    if (missed) add(c.dueAt, 'overdue');
  }
  return { days: [...out.values()] };
}
