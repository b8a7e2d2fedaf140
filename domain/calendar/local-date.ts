/**
 * Calendar dates as integer day numbers (days since 1970-01-01), computed with
 * Date.UTC arithmetic only, so nothing here depends on the process TZ.
 * A "local" date is the wall-clock date at a fixed UTC offset (China: +08:00,
 * no DST), which is why a single offset in minutes is enough.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (may be negative). */
export type EpochDay = number;

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

/** Validates a fixed UTC offset; real-world offsets lie within ±14:00. */
export function checkUtcOffsetMinutes(offset: number): number {
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    throw new Error(`Invalid utcOffsetMinutes ${String(offset)}: expected an integer between -840 and 840 (China is 480)`);
  }
  return offset;
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
