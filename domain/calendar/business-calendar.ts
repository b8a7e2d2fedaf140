/**
 * Business calendar (工作日历) for case deadlines: working time = configured
 * daily periods on working days, at a fixed UTC offset (never the process TZ).
 *
 * Boundary rules (one model for all methods):
 * - Working time is the union of half-open periods [start, end) on working days.
 * - addWorking*(start, x) returns the EARLIEST instant t >= start such that the
 *   working time in [start, t] equals x. Hence a result landing exactly on a
 *   period end stays there (12:00, not 14:30; Friday 18:00, not Monday 08:30),
 *   and a start outside working time counts from the next period start.
 * - Adding 0 returns start unchanged.
 * - workingMillisBetween(a, b) is the working time inside [a, b) (0 if b <= a),
 *   so workingMillisBetween(s, addWorkingMillis(s, x)) === x.
 * - A working "day" as an amount is the configured daily working time
 *   (1d = 7h by default), not "same clock time on the next working day".
 */
import { durationToMillis, requireDuration, type Duration } from './duration.js';
import { WorkingDays, type DayInfo, type DayOverride, type StatutoryCalendar } from './holidays.js';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  checkUtcOffsetMinutes,
  formatEpochDay,
  fromLocal,
  requireIsoDate,
  toLocal,
  type EpochDay,
} from '../shared/local-time.js';
import { DEFAULT_WORKING_HOURS, parseWorkingHours, periodsInMs, type WorkingHours } from './working-hours.js';

/** 'natural' = plain 24×7 elapsed time (emergency categories); 'working' = working time only. */
export type Clock = 'working' | 'natural';

export interface BusinessCalendarOptions {
  /** `HH:MM-HH:MM,…`; undefined → DEFAULT_WORKING_HOURS. An empty or malformed string throws. */
  workingHours?: string | undefined;
  /** Local time offset from UTC; default 480 (China, +08:00, no DST). */
  utcOffsetMinutes?: number | undefined;
  /** Local day-off / working-day declarations; they beat the statutory calendar. */
  overrides?: readonly DayOverride[] | undefined;
  /** Statutory holidays source; default: the chinese-days package data. */
  statutory?: StatutoryCalendar | undefined;
}

export interface DeadlineMark {
  /** Fraction of the limit, e.g. 0.8 */
  fraction: number;
  at: Date;
}

/** 80% yellow light (催办), 100% red light (督办), 150% 挂牌督办. */
export const DEFAULT_MARK_FRACTIONS: readonly number[] = [0.8, 1, 1.5];

/** A calendar with no working day for this many consecutive days is treated as misconfigured. */
export const MAX_IDLE_DAYS = 366;
/** Upper bound on calendar days one computation may scan (~100 years), against runaway amounts. */
export const MAX_SCAN_DAYS = 36_600;

function instantMs(value: Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`Invalid ${what}: expected a valid Date`);
  return ms;
}

function amountMs(amount: number, unitMs: number, what: string): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`Invalid ${what} ${String(amount)}: expected a finite number >= 0`);
  }
  return Math.round(amount * unitMs);
}

export class BusinessCalendar {
  readonly workingHours: WorkingHours;
  readonly utcOffsetMinutes: number;
  readonly days: WorkingDays;
  /** Daily working time in ms (25_200_000 for the default 7 h). */
  readonly workingDayMillis: number;
  private readonly periods: ReadonlyArray<{ start: number; end: number }>;

  constructor(options: BusinessCalendarOptions = {}) {
    this.workingHours = parseWorkingHours(options.workingHours ?? DEFAULT_WORKING_HOURS);
    this.utcOffsetMinutes = checkUtcOffsetMinutes(options.utcOffsetMinutes ?? 480);
    this.days = new WorkingDays(options.overrides ?? [], options.statutory);
    this.periods = periodsInMs(this.workingHours);
    this.workingDayMillis = this.workingHours.minutesPerDay * MS_PER_MINUTE;
  }

  /**
   * Swaps the local day-off / working-day declarations, keeping hours and statutory days: a calendar
   * loaded from the database follows later edits of `calendar_days` (see reloadCalendarOverrides).
   * Invalid overrides throw and leave the calendar as it was.
   */
  replaceOverrides(overrides: readonly DayOverride[]): void {
    (this as { days: WorkingDays }).days = new WorkingDays(overrides, this.days.statutory);
  }

  // ── days ──────────────────────────────────────────────────────────────

  /** Local calendar date (YYYY-MM-DD) of an instant. */
  localDate(instant: Date): string {
    return formatEpochDay(this.local(instantMs(instant, 'instant')).day);
  }

  isWorkingDate(date: string): boolean {
    return this.days.isWorking(requireIsoDate(date));
  }

  /** Whether the local date of the instant is a working day (regardless of the time of day). */
  isWorkingDay(instant: Date): boolean {
    return this.days.isWorking(this.local(instantMs(instant, 'instant')).day);
  }

  /** Why a date is (not) a working day: override, statutory (with festival name) or weekday rule. */
  dayInfo(date: string): DayInfo {
    return this.days.info(requireIsoDate(date));
  }

  // ── working time ──────────────────────────────────────────────────────

  /** Inside a working period of a working day; period ends are excluded ([start, end)). */
  isWorkingTime(instant: Date): boolean {
    const { day, msOfDay } = this.local(instantMs(instant, 'instant'));
    return this.days.isWorking(day) && this.periods.some((p) => msOfDay >= p.start && msOfDay < p.end);
  }

  /** The instant itself when in working time, otherwise the next period start: where counting begins. */
  nextWorkingTime(instant: Date): Date {
    const { day: startDay, msOfDay } = this.local(instantMs(instant, 'instant'));
    let from = msOfDay;
    for (let day = startDay, idle = 0; ; day++, from = 0) {
      if (this.days.isWorking(day)) {
        idle = 0;
        for (const p of this.periods) {
          if (from < p.end) return new Date(fromLocal(day, Math.max(from, p.start), this.utcOffsetMinutes));
        }
      } else {
        idle = this.checkIdle(idle, startDay);
      }
    }
  }

  addWorkingMinutes(start: Date, minutes: number): Date {
    return this.addWorkingMillis(start, amountMs(minutes, MS_PER_MINUTE, 'minutes'));
  }

  addWorkingHours(start: Date, hours: number): Date {
    return this.addWorkingMillis(start, amountMs(hours, MS_PER_HOUR, 'hours'));
  }

  /** `days` × the daily working time (0.5 → 3.5 h by default). */
  addWorkingDays(start: Date, days: number): Date {
    return this.addWorkingMillis(start, amountMs(days, this.workingDayMillis, 'days'));
  }

  /**
   * Earliest instant at which `millis` of working time have passed since start.
   * Whole non-working days and whole working days are skipped one step per
   * day; only the first and last day look at individual periods.
   */
  addWorkingMillis(start: Date, millis: number): Date {
    const t0 = instantMs(start, 'start');
    let remaining = amountMs(millis, 1, 'milliseconds');
    if (remaining === 0) return new Date(t0);
    const { day: startDay, msOfDay } = this.local(t0);
    let from = msOfDay;
    let idle = 0;
    for (let day = startDay; ; day++, from = 0) {
      if (day - startDay > MAX_SCAN_DAYS) {
        throw new RangeError(`Working time of ${millis} ms reaches beyond ${MAX_SCAN_DAYS} days`);
      }
      if (!this.days.isWorking(day)) {
        idle = this.checkIdle(idle, startDay);
        continue;
      }
      idle = 0;
      const available = from === 0 ? this.workingDayMillis : this.workingMillisInDay(from, MS_PER_DAY);
      if (remaining > available) {
        remaining -= available;
        continue;
      }
      for (const p of this.periods) {
        if (from >= p.end) continue;
        const s = Math.max(from, p.start);
        // `<=`: landing exactly on a period end stays at that end (earliest instant).
        if (remaining <= p.end - s) return new Date(fromLocal(day, s + remaining, this.utcOffsetMinutes));
        remaining -= p.end - s;
      }
      throw new Error('unreachable: working time of the day was miscounted');
    }
  }

  /** Working time in [a, b) in ms; 0 when b <= a. */
  workingMillisBetween(a: Date, b: Date): number {
    const ta = instantMs(a, 'start');
    const tb = instantMs(b, 'end');
    if (tb <= ta) return 0;
    const A = this.local(ta);
    const B = this.local(tb);
    let total = 0;
    for (let day = A.day; day <= B.day; day++) {
      if (!this.days.isWorking(day)) continue;
      const from = day === A.day ? A.msOfDay : 0;
      const to = day === B.day ? B.msOfDay : MS_PER_DAY;
      total += from === 0 && to === MS_PER_DAY ? this.workingDayMillis : this.workingMillisInDay(from, to);
    }
    return total;
  }

  /** workingMillisBetween in (possibly fractional) minutes. */
  workingMinutesBetween(a: Date, b: Date): number {
    return this.workingMillisBetween(a, b) / MS_PER_MINUTE;
  }

  // ── durations on either clock ─────────────────────────────────────────

  /** A duration's length on a clock: `d` is 24 h on the natural clock, the daily working time on the working clock. */
  durationMillis(duration: Duration | string, clock: Clock): number {
    const d = typeof duration === 'string' ? requireDuration(duration) : duration;
    return durationToMillis(d, clock === 'natural' ? MS_PER_DAY : this.workingDayMillis);
  }

  addDuration(start: Date, duration: Duration | string, clock: Clock): Date {
    return this.addMillisOn(start, this.durationMillis(duration, clock), clock);
  }

  /** Time elapsed from start to end on the clock, in ms; 0 when end <= start. */
  elapsed(start: Date, end: Date, clock: Clock): number {
    if (clock === 'working') return this.workingMillisBetween(start, end);
    return Math.max(0, instantMs(end, 'end') - instantMs(start, 'start'));
  }

  /**
   * Instants at which the given fractions of the limit are used up, measured on
   * the same clock: by default 80% (yellow, 催办), 100% (red, 督办), 150% (挂牌督办).
   */
  deadlineMarks(start: Date, duration: Duration | string, clock: Clock, fractions: readonly number[] = DEFAULT_MARK_FRACTIONS): DeadlineMark[] {
    const limit = this.durationMillis(duration, clock);
    return fractions.map((fraction) => {
      if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0) {
        throw new RangeError(`Invalid deadline fraction ${String(fraction)}: expected a finite number >= 0`);
      }
      return { fraction, at: this.addMillisOn(start, Math.round(limit * fraction), clock) };
    });
  }

  // ── internals ─────────────────────────────────────────────────────────

  private addMillisOn(start: Date, millis: number, clock: Clock): Date {
    if (clock === 'working') return this.addWorkingMillis(start, millis);
    if (clock !== 'natural') throw new Error(`Unknown clock ${JSON.stringify(clock)}: expected 'working' or 'natural'`);
    return new Date(instantMs(start, 'start') + amountMs(millis, 1, 'milliseconds'));
  }

  private local(ms: number): { day: EpochDay; msOfDay: number } {
    return toLocal(ms, this.utcOffsetMinutes);
  }

  /** Working ms of one working day falling inside [from, to) (ms after local midnight). */
  private workingMillisInDay(from: number, to: number): number {
    let sum = 0;
    for (const p of this.periods) sum += Math.max(0, Math.min(to, p.end) - Math.max(from, p.start));
    return sum;
  }

  private checkIdle(idle: number, startDay: EpochDay): number {
    if (idle + 1 >= MAX_IDLE_DAYS) {
      throw new Error(`No working day in ${MAX_IDLE_DAYS} consecutive days from ${formatEpochDay(startDay)}: check holiday data and overrides`);
    }
    return idle + 1;
  }
}
