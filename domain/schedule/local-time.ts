/**
 * The district's wall clock for scheduled work: Asia/Shanghai, UTC+08:00 all year (no DST), so
 * local dates and month boundaries are plain offset arithmetic whatever the process TZ is.
 */
export const TIMEZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM-DD` of the instant in Beijing time. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` of the instant in Beijing time, for people. */
export function localMinute(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export interface MonthPeriod {
  /** `YYYY-MM` */
  month: string;
  /** local midnight starting the 1st, as an instant */
  from: Date;
  /** local midnight starting the next month's 1st (exclusive) */
  to: Date;
}

/** The local calendar month `YYYY-MM` as the instant range [from, to). */
export function monthPeriod(month: string): MonthPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const index = Number(m?.[2]) - 1;
  if (!m || index < 0 || index > 11) throw new Error(`Invalid month ${JSON.stringify(month)}: expected YYYY-MM`);
  return { month, from: new Date(Date.UTC(year, index, 1) - OFFSET_MS), to: new Date(Date.UTC(year, index + 1, 1) - OFFSET_MS) };
}

/** The local month before the one the instant falls in (run on 1 April 01:00 → `YYYY-03`). */
export function monthBefore(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
