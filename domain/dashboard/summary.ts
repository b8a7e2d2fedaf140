import { Op } from 'sequelize';
import { Unit } from '../../db/models/index.js';
import type { WarningLight } from '../../db/models/cases.js';
import { OPEN_STATUSES } from './case-light.js';
import { localDay } from './local-day.js';
import { idOrNull, num, selectRows, unitKey } from './rollup-reads.js';

export interface GroupCount { total: number; open: number; overdue: number }
export interface DashboardSummary {
  totals: { open: number; closed: number; overdue: number; today: number; total: number };
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byUnit: Array<{ unitId: number | null; unitName: string | null } & GroupCount>;
  byTownship: Array<{ townshipId: number | null; township: string | null } & GroupCount>;
  /** the lights of the open cases */
  lights: Record<WarningLight, number>;
  at: string;
}

const NONE = 'none';

/**
 * The light of an open case in SQL, the rule of caseLight (case-light.ts): red when escalated, turned red
 * or past its due time; yellow when 催办 turned it yellow; else green. `?` is now.
 */
const LIGHT_SQL = "CASE WHEN escalation_level > 0 OR warning_light = 'red' OR (due_at IS NOT NULL AND due_at <= ?) THEN 'red' WHEN warning_light = 'yellow' THEN 'yellow' ELSE 'green' END";
const OVERDUE_SQL = 'CASE WHEN due_at IS NOT NULL AND due_at <= ? THEN 1 ELSE 0 END';

/**
 * 总览: open (still in the loop), closed (结案), overdue (open and past the running stage's due time),
 * today (reported since local midnight), counts by status and category, per unit and township (total,
 * open, overdue; busiest first), and the lights of the open cases.
 * Counts come from the case tally and today's row of the day counts; overdue and the lights depend on
 * the clock, so they are counted over the open cases alone.
 */
export async function dashboardSummary(unitId: number | null, now: Date, offsetMinutes: number): Promise<DashboardSummary> {
  const key = unitKey(unitId);
  const scoped = unitId !== null;
  const unitFilter = scoped ? 'WHERE unit_id = ?' : '';
  const unitArgs = scoped ? [key ?? 0] : [];
  const [tally, open, today] = key === null ? [[], [], []] : await Promise.all([
    selectRows<{ unit_id: unknown; township_id: unknown; category: string; status: string; n: unknown }>(
      `SELECT unit_id, township_id, category, status, n FROM case_tally ${unitFilter}`, unitArgs),
    selectRows<{ unit_id: unknown; township_id: unknown; light: WarningLight; overdue: unknown; n: unknown }>(
      `SELECT unit_id, township_id, ${LIGHT_SQL} AS light, ${OVERDUE_SQL} AS overdue, COUNT(*) AS n FROM open_cases ${unitFilter} GROUP BY unit_id, township_id, light, overdue`,
      [now, now, ...unitArgs]),
    selectRows<{ n: unknown }>("SELECT SUM(n) AS n FROM case_day_counts WHERE unit_id = ? AND measure = 'created' AND day = ?", [key, localDay(now, offsetMinutes)]),
  ]);
  const byStatus: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const units = new Map<number | null, GroupCount>();
  const townships = new Map<number | null, GroupCount>();
  const lights: Record<WarningLight, number> = { green: 0, yellow: 0, red: 0 };
  const totals = { open: 0, closed: 0, overdue: 0, today: num(today[0]?.n), total: 0 };
  const group = (m: Map<number | null, GroupCount>, id: number | null) => {
    let g = m.get(id);
    if (!g) m.set(id, (g = { total: 0, open: 0, overdue: 0 }));
    return g;
  };
  for (const row of tally) {
    const n = num(row.n);
    if (n === 0) continue;
    const isOpen = OPEN_STATUSES.includes(row.status as never);
    byStatus[row.status] = (byStatus[row.status] ?? 0) + n;
    const category = row.category || NONE;
    byCategory[category] = (byCategory[category] ?? 0) + n;
    totals.total += n;
    if (isOpen) totals.open += n;
    if (row.status === 'closed') totals.closed += n;
    for (const g of [group(units, idOrNull(row.unit_id)), group(townships, idOrNull(row.township_id))]) {
      g.total += n;
      if (isOpen) g.open += n;
    }
  }
  for (const row of open) {
    const n = num(row.n);
    lights[row.light] += n;
    if (num(row.overdue) === 1) {
      totals.overdue += n;
      group(units, idOrNull(row.unit_id)).overdue += n;
      group(townships, idOrNull(row.township_id)).overdue += n;
    }
  }
  const ids = [...new Set([...units.keys(), ...townships.keys()].filter((k): k is number => k !== null))];
  const names = new Map((ids.length ? await Unit.findAll({ where: { id: { [Op.in]: ids } }, attributes: ['id', 'name'] }) : []).map((u) => [u.id, u.name]));
  const ordered = <T extends GroupCount>(rows: T[]) => rows.sort((a, b) => b.total - a.total || b.open - a.open);
  return {
    totals, byStatus, byCategory,
    byUnit: ordered([...units].map(([id, g]) => ({ unitId: id, unitName: id === null ? null : names.get(id) ?? null, ...g }))),
    byTownship: ordered([...townships].map(([id, g]) => ({ townshipId: id, township: id === null ? null : names.get(id) ?? null, ...g }))),
    lights, at: now.toISOString(),
  };
}
