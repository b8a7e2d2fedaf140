import { Op, type WhereOptions } from 'sequelize';
import { Case, Unit } from '../../db/models/index.js';
import type { WarningLight } from '../../db/models/cases.js';
import { caseLight, isOpen, isOverdue } from './case-light.js';
import { localDay, startOfLocalDay } from './local-day.js';

/** The columns the dashboard's counts need (the rows are read plain, without the model around them). */
export const FACT_COLUMNS = ['id', 'caseNo', 'status', 'category', 'unitId', 'townshipId', 'gridId', 'eventTypeId', 'warningLight', 'escalationLevel', 'dueAt', 'createdAt', 'closedAt', 'lat', 'lng'] as const;
export type CaseFact = Pick<Case, (typeof FACT_COLUMNS)[number]>;

/** The cases of the dashboard's scope: a unit's (department roles) or the whole district's (null). */
export async function caseFacts(unitId: number | null, where: WhereOptions<Case> = {}): Promise<CaseFact[]> {
  const rows = await Case.findAll({ where: { ...(unitId !== null ? { unitId } : {}), ...where } as WhereOptions<Case>, attributes: [...FACT_COLUMNS], raw: true });
  // raw rows: dates come back as strings on SQLite, BIGINT ids as numbers
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => ({
    ...(r as unknown as CaseFact), id: String(r['id']),
    dueAt: r['dueAt'] ? new Date(r['dueAt'] as string) : null, createdAt: new Date(r['createdAt'] as string), closedAt: r['closedAt'] ? new Date(r['closedAt'] as string) : null,
  }));
}

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
 * 总览: open (still in the loop), closed (结案), overdue (open and past the running stage's due time),
 * today (reported since local midnight), counts by status and category, per unit and township (total,
 * open, overdue; busiest first), and the lights of the open cases.
 */
export async function dashboardSummary(unitId: number | null, now: Date, offsetMinutes: number): Promise<DashboardSummary> {
  const cases = await caseFacts(unitId);
  const todayStart = startOfLocalDay(localDay(now, offsetMinutes), offsetMinutes).getTime();
  const byStatus: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const units = new Map<number | null, GroupCount>();
  const townships = new Map<number | null, GroupCount>();
  const lights: Record<WarningLight, number> = { green: 0, yellow: 0, red: 0 };
  const totals = { open: 0, closed: 0, overdue: 0, today: 0, total: cases.length };
  const bump = (m: Map<number | null, GroupCount>, key: number | null, open: boolean, overdue: boolean) => {
    const g = m.get(key) ?? { total: 0, open: 0, overdue: 0 };
    g.total++;
    if (open) g.open++;
    if (overdue) g.overdue++;
    m.set(key, g);
  };
  for (const c of cases) {
    const open = isOpen(c);
    const overdue = isOverdue(c, now);
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    byCategory[c.category ?? NONE] = (byCategory[c.category ?? NONE] ?? 0) + 1;
    if (open) { totals.open++; lights[caseLight(c, now)]++; }
    if (c.status === 'closed') totals.closed++;
    if (overdue) totals.overdue++;
    if (c.createdAt.getTime() >= todayStart) totals.today++;
    bump(units, c.unitId, open, overdue);
    bump(townships, c.townshipId, open, overdue);
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
