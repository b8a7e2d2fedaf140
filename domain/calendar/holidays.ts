/**
 * Which local dates are working days (工作日): local overrides first, then the
 * statutory arrangement (法定节假日 + 调休上班日) from the `chinese-days`
 * package, then plain Monday–Friday.
 *
 * Why the package's JSON and not its functions: chinese-days is a CommonJS
 * (UMD) bundle. From an ESM file only the default import works at run time
 * (`import { isWorkday } from 'chinese-days'` type-checks but plain Node
 * rejects it), and its date functions format dates with the *process* TZ, so
 * `getDayDetail('2026-10-01')` answers for 2026-09-30 when TZ is west of UTC.
 * The documented `dist/chinese-days.json` (same data the functions use) is a
 * plain date → label table and keeps this module TZ-independent.
 */
import chineseDaysJson from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { formatEpochDay, requireIsoDate, weekdayOf, yearOf, type EpochDay } from '../shared/local-time.js';

/** A local decision that beats the statutory calendar (e.g. a district's extra day off, or a working Sunday). */
export interface DayOverride {
  date: string; // YYYY-MM-DD, local date
  working: boolean;
  note?: string;
}

export interface StatutoryDay {
  working: boolean;
  /** Festival the day belongs to, e.g. 国庆节 (for a 调休 workday: the festival it makes up for). */
  name: string;
}

/** A source of statutory exceptions to the Monday–Friday rule. Injectable so tests and other regions can supply their own. */
export interface StatutoryCalendar {
  readonly source: string;
  /** Years the source has arrangements for; outside them only Monday–Friday applies. */
  readonly firstYear: number;
  readonly lastYear: number;
  /** The statutory decision for a date, or undefined when the plain weekday rule applies. */
  lookup(day: EpochDay): StatutoryDay | undefined;
}

export type DaySource = 'override' | 'statutory' | 'weekday';

export interface DayInfo {
  date: string;
  working: boolean;
  source: DaySource;
  /** Override note or festival name, when there is one. */
  note?: string;
}

function asLabelMap(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null) throw new Error(`chinese-days data: ${what} is not an object`);
  return value as Record<string, string>;
}

/** Entries look like "National Day,国庆节,3": keep the Chinese name. */
function festivalName(label: string): string {
  return label.split(',')[1] ?? label;
}

/**
 * Builds a StatutoryCalendar from chinese-days-shaped tables
 * (`holidays`: days off, `workdays`: 调休 working weekend days).
 * As in chinese-days itself, a date listed as a workday wins over a holiday.
 */
export function statutoryCalendarFromTables(tables: { holidays: Record<string, string>; workdays: Record<string, string> }, source: string): StatutoryCalendar {
  const byDay = new Map<EpochDay, StatutoryDay>();
  let first = Infinity;
  let last = -Infinity;
  const add = (date: string, label: string, working: boolean) => {
    const day = requireIsoDate(date, `${source} date`);
    byDay.set(day, { working, name: festivalName(label) });
    first = Math.min(first, yearOf(day));
    last = Math.max(last, yearOf(day));
  };
  for (const [date, label] of Object.entries(tables.holidays)) add(date, label, false);
  for (const [date, label] of Object.entries(tables.workdays)) add(date, label, true);
  if (byDay.size === 0) throw new Error(`${source}: no holiday data`);
  return { source, firstYear: first, lastYear: last, lookup: (day) => byDay.get(day) };
}

/** The arrangement shipped with the installed chinese-days package (2004 – 2026 in 1.5.7). */
export const CHINESE_DAYS: StatutoryCalendar = statutoryCalendarFromTables(
  {
    holidays: asLabelMap(chineseDaysJson.holidays, 'holidays'),
    workdays: asLabelMap(chineseDaysJson.workdays, 'workdays'),
  },
  'chinese-days',
);

/** Validates overrides; a date given twice is rejected rather than resolved by order. */
function indexOverrides(overrides: readonly DayOverride[]): Map<EpochDay, DayOverride> {
  const byDay = new Map<EpochDay, DayOverride>();
  for (const o of overrides) {
    const day = requireIsoDate(o?.date, 'override date');
    if (typeof o.working !== 'boolean') {
      throw new Error(`Invalid override for ${o.date}: "working" must be true or false`);
    }
    if (byDay.has(day)) throw new Error(`Duplicate override for ${o.date}`);
    byDay.set(day, o);
  }
  return byDay;
}

/** Resolves working days: override → statutory → Monday–Friday. */
export class WorkingDays {
  private readonly overrides: Map<EpochDay, DayOverride>;

  constructor(
    overrides: readonly DayOverride[] = [],
    readonly statutory: StatutoryCalendar = CHINESE_DAYS,
  ) {
    this.overrides = indexOverrides(overrides);
  }

  isWorking(day: EpochDay): boolean {
    const o = this.overrides.get(day);
    if (o) return o.working;
    const s = this.statutory.lookup(day);
    if (s) return s.working;
    const wd = weekdayOf(day);
    return wd >= 1 && wd <= 5;
  }

  info(day: EpochDay): DayInfo {
    const date = formatEpochDay(day);
    const o = this.overrides.get(day);
    if (o) return o.note === undefined ? { date, working: o.working, source: 'override' } : { date, working: o.working, source: 'override', note: o.note };
    const s = this.statutory.lookup(day);
    if (s) return { date, working: s.working, source: 'statutory', note: s.name };
    const wd = weekdayOf(day);
    return { date, working: wd >= 1 && wd <= 5, source: 'weekday' };
  }

  /** True when the statutory source has data for the year; callers may warn when it does not. */
  coversYear(year: number): boolean {
    return year >= this.statutory.firstYear && year <= this.statutory.lastYear;
  }
}

/** One day of the statutory arrangement: a holiday (working: false) or a 调休 working weekend day. */
export interface StatutoryDayOfYear extends StatutoryDay {
  date: string;
}

/** The statutory arrangement of one year, in date order ([] for a year the source has no data for). */
export function statutoryDaysOf(year: number, calendar: StatutoryCalendar = CHINESE_DAYS): StatutoryDayOfYear[] {
  const days: StatutoryDayOfYear[] = [];
  for (let day = requireIsoDate(`${String(year).padStart(4, '0')}-01-01`); yearOf(day) === year; day++) {
    const found = calendar.lookup(day);
    if (found) days.push({ date: formatEpochDay(day), ...found });
  }
  return days;
}
