import { Op } from 'sequelize';
import { Unit } from '../../db/models/index.js';
import type { WarningLight } from '../../db/models/cases.js';
import { localDay } from '../shared/local-time.js';
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

/** The light an open case carries by itself, as the place tally keys it (db/rollups/definition.ts). */
const STANDING_LIGHT_SQL = "CASE WHEN escalation_level > 0 OR warning_light = 'red' THEN 'red' WHEN warning_light = 'yellow' THEN 'yellow' ELSE 'green' END";

type Light = WarningLight | '';

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
  const unitFilter = scoped ? 'WHERE unit_id = ?' : '';
  const unitArgs = scoped ? [key ?? 0] : [];
  type Place = { unit_id: unknown; township_id: unknown; light: Light; n: unknown };
  const [statuses, categories, places, overdue, today] = key === null ? [[], [], [], [], []] : await Promise.all([
    selectRows<{ status: string; n: unknown }>(`SELECT status, SUM(n) AS n FROM case_tally_status ${unitFilter} GROUP BY status`, unitArgs),
    selectRows<{ category: string; n: unknown }>(`SELECT category, SUM(n) AS n FROM case_tally_category ${unitFilter} GROUP BY category`, unitArgs),
    selectRows<Place>(`SELECT unit_id, township_id, light, n FROM case_tally_place ${unitFilter}`, unitArgs),
    selectRows<Place>(
      `SELECT unit_id, township_id, ${STANDING_LIGHT_SQL} AS light, COUNT(*) AS n FROM open_cases WHERE due_at <= ?${scoped ? ' AND unit_id = ?' : ''} GROUP BY unit_id, township_id, light`,
      [now, ...unitArgs]),
    selectRows<{ n: unknown }>("SELECT SUM(n) AS n FROM case_day_counts WHERE unit_id = ? AND measure = 'created' AND day = ?", [key, localDay(now, offsetMinutes)]),
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
    if (row.light) { totals.open += n; lights[row.light] += n; }
    for (const g of [group(units, idOrNull(row.unit_id)), group(townships, idOrNull(row.township_id))]) {
      g.total += n;
      if (row.light) g.open += n;
    }
  }
  for (const row of overdue) {
    const n = num(row.n);
    totals.overdue += n;
    group(units, idOrNull(row.unit_id)).overdue += n;
    group(townships, idOrNull(row.township_id)).overdue += n;
    // past its due time a case is red, whatever light it carried
    if (row.light !== 'red' && row.light) { lights[row.light] -= n; lights.red += n; }
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
