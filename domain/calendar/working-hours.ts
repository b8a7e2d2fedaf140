/**
 * Daily working periods (作息时间), e.g. `08:30-12:00,14:30-18:00`.
 * Parsed once and validated strictly: a typo in WORKING_HOURS would silently
 * shift every case deadline, so a bad value must fail at start-up instead.
 */
import { MS_PER_MINUTE } from '../shared/local-time.js';

export const DEFAULT_WORKING_HOURS = '08:30-12:00,14:30-18:00';

/** A half-open period [start, end) in minutes after local midnight. */
export interface WorkingPeriod {
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface WorkingHours {
  /** Sorted, non-overlapping, each with start < end. Never empty. */
  readonly periods: readonly WorkingPeriod[];
  /** Total working minutes in one working day (420 for the default). */
  readonly minutesPerDay: number;
}

const PERIOD = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/;

function minuteOf(hh: string, mm: string, allow24: boolean): number | null {
  const h = Number(hh);
  const m = Number(mm);
  if (m > 59) return null;
  if (h === 24 && m === 0 && allow24) return 24 * 60; // "…-24:00" = until midnight
  if (h > 23) return null;
  return h * 60 + m;
}

/**
 * Parses `HH:MM-HH:MM[,HH:MM-HH:MM…]` (24h clock, two-digit fields, spaces
 * around `,` and `-` tolerated, `24:00` allowed as an end). Periods must be
 * given in order and must not overlap; touching periods are allowed.
 * Periods crossing midnight (night shifts) are not supported.
 * @throws Error naming the offending value.
 */
export function parseWorkingHours(text: string): WorkingHours {
  function fail(why: string): never {
    throw new Error(`Invalid working hours ${JSON.stringify(text)}: ${why} (expected e.g. "${DEFAULT_WORKING_HOURS}")`);
  }
  if (typeof text !== 'string' || text.trim() === '') fail('empty value');
  const periods: WorkingPeriod[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = PERIOD.exec(part);
    if (!m) fail(`period "${part}" is not HH:MM-HH:MM`);
    const start = minuteOf(m[1] ?? '', m[2] ?? '', false);
    const end = minuteOf(m[3] ?? '', m[4] ?? '', true);
    if (start === null || end === null) fail(`period "${part}" has a time outside 00:00-24:00`);
    if (start >= end) fail(`period "${part}" does not end after it starts`);
    const prev = periods[periods.length - 1];
    if (prev && start < prev.endMinute) {
      fail(`period "${part}" overlaps or precedes the previous one; list periods in order without overlap`);
    }
    periods.push({ startMinute: start, endMinute: end });
  }
  const minutesPerDay = periods.reduce((sum, p) => sum + p.endMinute - p.startMinute, 0);
  return { periods, minutesPerDay };
}

export function formatWorkingHours(hours: WorkingHours): string {
  const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
  return hours.periods.map((p) => `${hhmm(p.startMinute)}-${hhmm(p.endMinute)}`).join(',');
}

/** Periods in milliseconds after local midnight, the unit the calendar arithmetic uses. */
export function periodsInMs(hours: WorkingHours): ReadonlyArray<{ start: number; end: number }> {
  return hours.periods.map((p) => ({ start: p.startMinute * MS_PER_MINUTE, end: p.endMinute * MS_PER_MINUTE }));
}
