import { looksLikeCron, nextCronTime, parseCron } from './cron.js';
import { addIsoDuration, parseIsoCycle, parseIsoDateTime, parseIsoDuration, type IsoDuration } from './timer-spec.js';

/** When a timer first fires, how often it repeats (-1 = forever) and by how much, or by which cron expression. */
export interface TimerPlan {
  dueAt: number;
  repetitions: number;
  interval: { months: number; millis: number } | { cron: string } | null;
}

function toText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { iso?: unknown }).iso === 'string') return (value as { iso: string }).iso;
  return null;
}

function interval(d: IsoDuration): { months: number; millis: number } {
  return { months: d.years * 12 + d.months, millis: addIsoDuration(0, { ...d, years: 0, months: 0 }) };
}

/** Computes the first due time of a timer from its (evaluated) value, or says why it cannot. */
export function firstDueTime(type: 'duration' | 'date' | 'cycle', value: unknown, now: number): TimerPlan | string {
  const text = toText(value);
  if (text === null) return `expected a ${type === 'date' ? 'date-time' : type} but got ${JSON.stringify(value)}`;
  if (type === 'duration') {
    const d = parseIsoDuration(text);
    return d ? { dueAt: addIsoDuration(now, d), repetitions: 1, interval: null } : `'${text}' is not an ISO 8601 duration`;
  }
  if (type === 'date') {
    const at = parseIsoDateTime(text);
    return at === null ? `'${text}' is not an ISO 8601 date-time with an offset` : { dueAt: at, repetitions: 1, interval: null };
  }
  if (looksLikeCron(text)) {
    // a cron cycle repeats without end, each time at the expression's next match
    const schedule = parseCron(text);
    if (!schedule) return `'${text}' is not a valid cron expression`;
    const dueAt = nextCronTime(schedule, now);
    if (dueAt === null) return `cron expression '${text}' matches no time in the next five years`;
    return { dueAt, repetitions: -1, interval: { cron: schedule.text } };
  }
  const cycle = parseIsoCycle(text);
  if (!cycle) return `'${text}' is not an ISO 8601 repeating interval or a cron expression`;
  if (cycle.repetitions === 0) return `'${text}' repeats zero times`;
  const iv = interval(cycle.interval);
  const dueAt = cycle.start ?? addIsoDuration(now, cycle.interval);
  return { dueAt, repetitions: cycle.repetitions, interval: iv };
}
