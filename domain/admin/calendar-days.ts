import { Op, type Transaction } from 'sequelize';
import { CalendarDay } from '../../db/models/index.js';
import { reloadCalendarOverrides } from '../calendar/index.js';
import { parseIsoDate } from '../shared/local-time.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, invalidInput, notFound } from './registry-errors.js';

/** A local override of the national calendar: a declared day off (working: false) or working day. */
export interface CalendarDayView {
  date: string;
  working: boolean;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CalendarDayInput {
  date?: string;
  working?: boolean;
  note?: string | null;
}

export interface CalendarDayQuery extends PageQuery {
  from?: string;
  to?: string;
  working?: boolean;
}

const view = (d: CalendarDay): CalendarDayView => ({ date: d.date, working: !!d.working, note: d.note ?? null, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() });

/** A real calendar date (2026-02-30 is not), as the business calendar itself checks it. */
function checkDate(path: string, date: string): void {
  let ok = false;
  try {
    ok = parseIsoDate(date) !== null;
  } catch {
    ok = false;
  }
  if (!ok) throw invalidInput([{ path, message: `${JSON.stringify(date)} is not a calendar date YYYY-MM-DD` }]);
}

async function findDay(date: string, transaction?: Transaction): Promise<CalendarDay> {
  const d = await CalendarDay.findByPk(date, transaction ? { transaction } : {});
  if (!d) throw notFound('calendar day', date);
  return d;
}

export async function listCalendarDays(query: CalendarDayQuery): Promise<Paged<CalendarDayView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const where = allOf(
    textFilter(query.q, ['date', 'note']),
    query.from ? { date: { [Op.gte]: query.from } } : null,
    query.to ? { date: { [Op.lte]: query.to } } : null,
    query.working !== undefined ? { working: query.working } : null,
  );
  const { rows, count } = await CalendarDay.findAndCountAll({ where, order: [['date', 'ASC']], limit, offset });
  return { items: rows.map(view), total: count, page, pageSize };
}

export async function getCalendarDay(date: string): Promise<CalendarDayView> {
  return view(await findDay(date));
}

/** After the commit: every calendar this process loaded (the job workers') takes the change for new deadlines. */
async function committed<T>(change: Promise<T>): Promise<T> {
  const result = await change;
  await reloadCalendarOverrides();
  return result;
}

export function createCalendarDay(actor: RegistryActor, input: CalendarDayInput & { date: string; working: boolean }): Promise<CalendarDayView> {
  checkDate('/date', input.date);
  return committed(auditedChange(actor, 'create', async (transaction) => {
    if (await CalendarDay.findByPk(input.date, { transaction })) throw duplicate('/date', input.date);
    const d = await CalendarDay.create({ date: input.date, working: input.working, note: input.note ?? null }, { transaction });
    return { result: view(d), entity: 'calendar_day', key: d.date, before: null, after: view(d) };
  }));
}

export function updateCalendarDay(actor: RegistryActor, date: string, input: CalendarDayInput): Promise<CalendarDayView> {
  return committed(auditedChange(actor, 'update', async (transaction) => {
    const d = await findDay(date, transaction);
    const before = view(d);
    d.set({ ...(input.working !== undefined ? { working: input.working } : {}), ...(input.note !== undefined ? { note: input.note } : {}) });
    await d.save({ transaction });
    return { result: view(d), entity: 'calendar_day', key: d.date, before, after: view(d) };
  }));
}

export function deleteCalendarDay(actor: RegistryActor, date: string): Promise<void> {
  return committed(auditedChange(actor, 'delete', async (transaction) => {
    const d = await findDay(date, transaction);
    const before = view(d);
    await d.destroy({ transaction });
    return { result: undefined, entity: 'calendar_day', key: d.date, before, after: null };
  }));
}
