import { looksLikeCron, parseCron } from './cron.js';

/**
 * ISO 8601 timer values as Zeebe reads them: durations (`PT4H`, `P1DT2H`, `P2W`), date-times with an
 * offset (`2026-10-01T09:00:00+08:00`) and repeating intervals (`R3/PT10M`, `R/P1D`, `R2/2026-10-01T09:00:00Z/PT1H`).
 */

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION =
  /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): IsoDuration | null {
  const m = DURATION.exec(text.trim());
  if (!m || m[1] || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const n = (i: number) => (m[i] ? Number(m[i]!.replace(',', '.')) : 0);
  return { years: n(2), months: n(3), weeks: n(4), days: n(5), hours: n(6), minutes: n(7), seconds: n(8) };
}

/** Adds a duration to an instant: calendar fields (Y, M, W, D) on the UTC calendar, time fields exactly. */
export function addIsoDuration(from: number, d: IsoDuration): number {
  const date = new Date(from);
  if (d.years || d.months) date.setUTCMonth(date.getUTCMonth() + d.years * 12 + d.months);
  const days = d.weeks * 7 + d.days;
  return date.getTime() + Math.round(days * 86_400_000 + d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
}

export function parseIsoDateTime(text: string): number | null {
  const t = text.trim();
  // an explicit offset or Z is required: a timer must not depend on the server's zone
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})(\[[^\]]+\])?$/.test(t)) return null;
  const ms = Date.parse(t.replace(/\[[^\]]+\]$/, ''));
  return Number.isNaN(ms) ? null : ms;
}

export interface IsoCycle {
  repetitions: number; // -1 = unbounded
  start: number | null;
  interval: IsoDuration;
}

export function parseIsoCycle(text: string): IsoCycle | null {
  const parts = text.trim().split('/');
  const r = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) return null;
  const repetitions = r[1] === '' ? -1 : Number(r[1]);
  const start = parts.length === 3 ? parseIsoDateTime(parts[1]!) : null;
  if (parts.length === 3 && start === null) return null;
  const interval = parseIsoDuration(parts[parts.length - 1]!);
  if (!interval || addIsoDuration(0, interval) <= 0) return null;
  return { repetitions, start, interval };
}

/** A readable problem with a static timer value, or null. */
export function checkTimerSyntax(type: 'duration' | 'date' | 'cycle', text: string): string | null {
  if (type === 'duration') return parseIsoDuration(text) ? null : `timer duration '${text}' is not an ISO 8601 duration (e.g. PT4H)`;
  if (type === 'date')
    return parseIsoDateTime(text) !== null ? null : `timer date '${text}' is not an ISO 8601 date-time with an offset (e.g. 2026-10-01T09:00:00+08:00)`;
  if (looksLikeCron(text))
    return parseCron(text)
      ? null
      : `timer cycle '${text}' is not a valid cron expression (six fields: second minute hour day-of-month month day-of-week, e.g. 0 0 9-17 * * MON-FRI)`;
  return parseIsoCycle(text)
    ? null
    : `timer cycle '${text}' is not an ISO 8601 repeating interval (e.g. R3/PT10M) or a cron expression (e.g. 0 0 9-17 * * MON-FRI)`;
}
