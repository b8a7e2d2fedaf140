import type { Selectable } from 'kysely';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { CalendarDaysTable } from '../../db/sql/schema.js';
import { CHINESE_DAYS, reloadCalendarOverrides, statutoryDaysOf, type StatutoryDayOfYear } from '../calendar/index.js';
import { parseIsoDate } from '../shared/local-time.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges } from './row-changes.js';
import { duplicate, fieldProblem, invalidInput, notFound } from './registry-errors.js';

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

type CalendarDay = Selectable<CalendarDaysTable>;

const view = (d: CalendarDay): CalendarDayView => ({
  date: d.date,
  working: !!d.working,
  note: d.note ?? null,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/** A real calendar date (2026-02-30 is not), as the business calendar itself checks it. */
function checkDate(path: string, date: string): void {
  let ok = false;
  try {
    ok = parseIsoDate(date) !== null;
  } catch {
    ok = false;
  }
  if (!ok) throw invalidInput([fieldProblem(path, 'not_a_date', { value: JSON.stringify(date) })]);
}

const dayRow = (date: string, transaction?: Tx) => appSql(transaction).selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();

async function findDay(date: string, transaction?: Tx): Promise<CalendarDay> {
  const d = await dayRow(date, transaction);
  if (!d) throw notFound('calendar day', date);
  return d;
}

export async function listCalendarDays(query: CalendarDayQuery): Promise<Paged<CalendarDayView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const text = textFilter(query.q, ['date', 'note']);
  const matching = appSql()
    .selectFrom('calendar_days')
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.from, (b) => b.where('date', '>=', query.from!))
    .$if(!!query.to, (b) => b.where('date', '<=', query.to!))
    .$if(query.working !== undefined, (b) => b.where('working', '=', query.working!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('date', 'asc').limit(limit).offset(offset).execute(),
  ]);
  return { items: rows.map(view), total: Number(counted.n), page, pageSize };
}

/** One statutory day with the district's own decision for that date, if it declared one. */
export interface NationalDayView extends StatutoryDayOfYear {
  local: { working: boolean; note: string | null } | null;
}

/**
 * The national arrangement of a year (法定节假日 and 调休 working days, from the package the business calendar
 * reads), each with the local override of that date when there is one: the calendar tab shows what the
 * deadlines run on, not only the district's own days. `covered` is false for a year the data does not reach.
 */
export async function nationalCalendarDays(year: number): Promise<{ year: number; source: string; covered: boolean; days: NationalDayView[] }> {
  const days = statutoryDaysOf(year);
  const local = await appSql().selectFrom('calendar_days').selectAll().where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  const byDate = new Map(local.map((d) => [d.date, { working: !!d.working, note: d.note ?? null }]));
  return {
    year,
    source: CHINESE_DAYS.source,
    covered: year >= CHINESE_DAYS.firstYear && year <= CHINESE_DAYS.lastYear,
    days: days.map((d) => ({ ...d, local: byDate.get(d.date) ?? null })),
  };
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
  return committed(
    auditedChange(actor, 'create', async (transaction) => {
      if (await dayRow(input.date, transaction)) throw duplicate('/date', input.date);
      const now = new Date();
      const d: CalendarDay = { date: input.date, working: input.working, note: input.note ?? null, createdAt: now, updatedAt: now };
      await appSql(transaction).insertInto('calendar_days').values(d).execute();
      return { result: view(d), entity: 'calendar_day', key: d.date, before: null, after: view(d) };
    }),
  );
}

export function updateCalendarDay(actor: RegistryActor, date: string, input: CalendarDayInput): Promise<CalendarDayView> {
  return committed(
    auditedChange(actor, 'update', async (transaction) => {
      const d = await findDay(date, transaction);
      const before = view(d);
      const changes = changedValues(d, { working: input.working, note: input.note });
      let after = d;
      if (hasChanges(changes)) {
        after = { ...d, ...changes, updatedAt: new Date() };
        await appSql(transaction)
          .updateTable('calendar_days')
          .set({ ...changes, updatedAt: after.updatedAt })
          .where('date', '=', d.date)
          .execute();
      }
      return { result: view(after), entity: 'calendar_day', key: d.date, before, after: view(after) };
    }),
  );
}

export function deleteCalendarDay(actor: RegistryActor, date: string): Promise<void> {
  return committed(
    auditedChange(actor, 'delete', async (transaction) => {
      const d = await findDay(date, transaction);
      const before = view(d);
      await appSql(transaction).deleteFrom('calendar_days').where('date', '=', d.date).execute();
      return { result: undefined, entity: 'calendar_day', key: d.date, before, after: null };
    }),
  );
}
