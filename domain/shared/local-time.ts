/**
 * The district's wall clock: local dates, minutes and months at a fixed UTC offset. China Standard Time is
 * UTC+08:00 all year with no daylight saving, so every local-time question is plain offset arithmetic on
 * Date.UTC values and nothing here depends on the process time zone (TZ). This is the one place that does
 * that arithmetic; the business calendar, the schedules, the dashboard and the notifications all use it.
 *
 * Two representations, for two kinds of caller:
 * - `EpochDay` (days since 1970-01-01, an integer): the business calendar counts and compares days;
 * - `YYYY-MM-DD` / `YYYY-MM` strings: what the dashboard, reports and SQL rollups key their rows by.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** China Standard Time, +08:00 (`CALENDAR_UTC_OFFSET_MINUTES` defaults to it). */
export const DEFAULT_OFFSET_MINUTES = 480;
/** The IANA zone of the district, for cron schedules (node-cron takes a zone name, not an offset). */
export const TIMEZONE = 'Asia/Shanghai';

/** Days since 1970-01-01 (may be negative). */
export type EpochDay = number;

// ── offsets ──

/** Validates a fixed UTC offset; real-world offsets lie within ±14:00. */
export function checkUtcOffsetMinutes(offset: number): number {
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    throw new Error(`Invalid utcOffsetMinutes ${String(offset)}: expected an integer between -840 and 840 (China is 480)`);
  }
  return offset;
}

/** The instant shifted so that its UTC fields read as the local wall clock. */
function shifted(at: Date, offsetMinutes: number): Date {
  return new Date(at.getTime() + offsetMinutes * MS_PER_MINUTE);
}

// ── epoch days (the business calendar) ──

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` calendar date; null when malformed or not a real date (e.g. 2026-02-30). */
export function parseIsoDate(text: string): EpochDay | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC silently rolls 02-30 into March; reject instead of guessing.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

/** Like parseIsoDate but throws, for API entry points. */
export function requireIsoDate(text: string, what = 'date'): EpochDay {
  const day = typeof text === 'string' ? parseIsoDate(text) : null;
  if (day === null) throw new Error(`Invalid ${what} ${JSON.stringify(text)}: expected a real calendar date as YYYY-MM-DD`);
  return day;
}

export function formatEpochDay(day: EpochDay): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay. 1970-01-01 was a Thursday. */
export function weekdayOf(day: EpochDay): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: EpochDay): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Splits an instant into its local date and the milliseconds elapsed since local midnight. */
export function toLocal(instantMs: number, utcOffsetMinutes: number): { day: EpochDay; msOfDay: number } {
  const local = instantMs + utcOffsetMinutes * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, msOfDay: local - day * MS_PER_DAY };
}

/** Inverse of toLocal. */
export function fromLocal(day: EpochDay, msOfDay: number, utcOffsetMinutes: number): number {
  return day * MS_PER_DAY + msOfDay - utcOffsetMinutes * MS_PER_MINUTE;
}

// ── local days and minutes as text (dashboard, schedules, messages) ──

/** `YYYY-MM-DD` of the instant, local time. */
export function localDay(at: Date, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  return shifted(at, offsetMinutes).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` of the instant, local time, for people (stored instants stay UTC). */
export function localMinute(at: Date, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  return shifted(at, offsetMinutes).toISOString().slice(0, 16).replace('T', ' ');
}

/** `±HH:MM` of an offset in minutes. */
export function offsetText(offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  const a = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:mm:ss.SSS +08:00`: the instant in local time with its offset stated (exports people read). */
export function localTimestamp(at: Date, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  return `${shifted(at, offsetMinutes).toISOString().slice(0, 23).replace('T', ' ')} ${offsetText(offsetMinutes)}`;
}

/** The instant local midnight starts the day `YYYY-MM-DD`. */
export function startOfLocalDay(day: string, offsetMinutes = DEFAULT_OFFSET_MINUTES): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMinutes * MS_PER_MINUTE);
}

/** The local day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

// ── local months (monthly evaluation, rankings) ──

export interface MonthPeriod {
  /** `YYYY-MM` */
  month: string;
  /** local midnight starting the 1st, as an instant */
  from: Date;
  /** local midnight starting the next month's 1st (exclusive) */
  to: Date;
}

/** The local calendar month `YYYY-MM` as the instant range [from, to). */
export function monthPeriod(month: string, offsetMinutes = DEFAULT_OFFSET_MINUTES): MonthPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const index = Number(m?.[2]) - 1;
  if (!m || index < 0 || index > 11) throw new Error(`Invalid month ${JSON.stringify(month)}: expected YYYY-MM`);
  const offsetMs = offsetMinutes * MS_PER_MINUTE;
  return { month, from: new Date(Date.UTC(year, index, 1) - offsetMs), to: new Date(Date.UTC(year, index + 1, 1) - offsetMs) };
}

/** The local month before the one the instant falls in (run on 1 April 01:00 → `YYYY-03`). */
export function monthBefore(at: Date, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  const local = shifted(at, offsetMinutes);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
