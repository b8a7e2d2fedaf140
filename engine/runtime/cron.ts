/**
 * Cron time cycles as Camunda 8 reads a `timeCycle` that is not an ISO 8601 repeating interval (docs, *Timer events*,
 * "Time cycle": Spring's `CronExpression` format): six fields, second minute hour day-of-month month day-of-week, e.g.
 * `0 0 9-17 * * MON-FRI`. Each field takes `*`, `?` (day fields), numbers, ranges `a-b`, steps `*\/n` or `a-b/n`,
 * lists `a,b`, and names (`JAN`…`DEC`, `SUN`…`SAT`; day-of-week 0 and 7 are Sunday). Day-of-month also takes `L`,
 * `L-n`, `LW` and `nW`; day-of-week `dL` (last such weekday of the month) and `d#n` (the n-th). The macros `@yearly`,
 * `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` stand for their six-field forms. As in
 * Spring, every field must match (day-of-month AND day-of-week). Times are read on the UTC calendar. A cron cycle
 * repeats without end.
 */

export interface CronSchedule {
  text: string;
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>; // 1-12
  /** does this UTC date (year, month 1-12, day) match the day-of-month and day-of-week fields? */
  day(year: number, month: number, day: number): boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Whether a cycle text looks like cron rather than ISO 8601 (which always starts with `R`). */
export function looksLikeCron(text: string): boolean {
  const t = text.trim();
  return t.startsWith('@') || t.split(/\s+/).length === 6;
}

function number(token: string, names: string[] | null, nameBase: number): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const i = names ? names.indexOf(token.toUpperCase()) : -1;
  return i >= 0 ? i + nameBase : null;
}

/** One plain field (`*`, numbers, ranges, steps, lists, names) → its values, or null if malformed. */
function field(text: string, min: number, max: number, names: string[] | null = null, nameBase = min): Set<number> | null {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!(step >= 1)) return null;
    let from: number | null;
    let to: number | null;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = number(a ?? '', names, nameBase);
      to = number(b ?? '', names, nameBase);
    } else {
      from = number(range, names, nameBase);
      to = stepText === undefined ? from : max; // `5/15`: from 5 on, every 15
    }
    if (from === null || to === null || from < min || to > max || from > to) return null;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The weekday (Mon–Fri) nearest to `day` within the same month (Spring/Quartz `nW`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const d = Math.min(day, last);
  const wd = weekday(year, month, d);
  if (wd === 6) return d === 1 ? 3 : d - 1; // Saturday → Friday, or Monday the 3rd
  if (wd === 0) return d === last ? d - 2 : d + 1; // Sunday → Monday, or Friday before
  return d;
}

type DayTest = (year: number, month: number, day: number) => boolean;

function dayOfMonth(text: string): DayTest | null {
  if (text === '*' || text === '?') return () => true;
  if (text === 'L') return (y, m, d) => d === daysInMonth(y, m);
  if (text === 'LW') {
    return (y, m, d) => {
      const last = daysInMonth(y, m);
      return d === nearestWeekday(y, m, last);
    };
  }
  const offset = /^L-(\d+)$/.exec(text);
  if (offset) return (y, m, d) => d === daysInMonth(y, m) - Number(offset[1]);
  const w = /^(\d+)W$/.exec(text);
  if (w) {
    const n = Number(w[1]);
    if (n < 1 || n > 31) return null;
    return (y, m, d) => d === nearestWeekday(y, m, n);
  }
  const values = field(text, 1, 31);
  return values ? (_y, _m, d) => values.has(d) : null;
}

function dayOfWeekNumber(token: string): number | null {
  const n = number(token, DAYS, 0);
  return n === null || n > 7 ? null : n % 7;
}

function dayOfWeek(text: string): DayTest | null {
  if (text === '*' || text === '?') return () => true;
  const last = /^(\w+)L$/.exec(text);
  if (last) {
    const wd = dayOfWeekNumber(last[1]!);
    if (wd === null) return null;
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysInMonth(y, m);
  }
  const nth = /^(\w+)#(\d)$/.exec(text);
  if (nth) {
    const wd = dayOfWeekNumber(nth[1]!);
    const n = Number(nth[2]);
    if (wd === null || n < 1 || n > 5) return null;
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === n;
  }
  const values = field(text, 0, 7, DAYS, 0);
  if (!values) return null;
  if (values.has(7)) values.add(0);
  return (y, m, d) => values.has(weekday(y, m, d));
}

/** Parses a cron time cycle, or null when it is not one. */
export function parseCron(text: string): CronSchedule | null {
  const expanded = MACROS[text.trim().toLowerCase()] ?? text.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 6) return null;
  const [s, mi, h, dom, mo, dow] = parts as [string, string, string, string, string, string];
  const seconds = field(s, 0, 59);
  const minutes = field(mi, 0, 59);
  const hours = field(h, 0, 23);
  const months = field(mo, 1, 12, MONTHS, 1);
  const domTest = dayOfMonth(dom.toUpperCase());
  const dowTest = dayOfWeek(dow.toUpperCase());
  if (!seconds || !minutes || !hours || !months || !domTest || !dowTest) return null;
  return { text: text.trim(), seconds, minutes, hours, months, day: (y, m, d) => domTest(y, m, d) && dowTest(y, m, d) };
}

/** The first instant strictly after `after` (epoch ms) that the schedule matches, or null if none within ~5 years. */
export function nextCronTime(schedule: CronSchedule, after: number): number | null {
  const t = new Date(Math.floor(after / 1000) * 1000 + 1000);
  let year = t.getUTCFullYear();
  const limit = year + 5;
  let month = t.getUTCMonth() + 1;
  let day = t.getUTCDate();
  let hour = t.getUTCHours();
  let minute = t.getUTCMinutes();
  let second = t.getUTCSeconds();
  const first = (set: Set<number>, from: number, to: number): number | null => {
    for (let v = from; v <= to; v++) if (set.has(v)) return v;
    return null;
  };
  // each `next…` moves to the start of the next unit, carrying into the larger ones
  const nextMonth = () => {
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
    day = 1;
    hour = 0;
    minute = 0;
    second = 0;
  };
  const nextDay = () => {
    day++;
    hour = 0;
    minute = 0;
    second = 0;
    if (day > daysInMonth(year, month)) nextMonth();
  };
  const nextHour = () => {
    hour++;
    minute = 0;
    second = 0;
    if (hour > 23) nextDay();
  };
  const nextMinute = () => {
    minute++;
    second = 0;
    if (minute > 59) nextHour();
  };
  while (year <= limit) {
    if (!schedule.months.has(month)) {
      nextMonth();
      continue;
    }
    if (!schedule.day(year, month, day)) {
      nextDay();
      continue;
    }
    const h = first(schedule.hours, hour, 23);
    if (h === null) {
      nextDay();
      continue;
    }
    if (h !== hour) {
      hour = h;
      minute = 0;
      second = 0;
    }
    const m = first(schedule.minutes, minute, 59);
    if (m === null) {
      nextHour();
      continue;
    }
    if (m !== minute) {
      minute = m;
      second = 0;
    }
    const sec = first(schedule.seconds, second, 59);
    if (sec === null) {
      nextMinute();
      continue;
    }
    return Date.UTC(year, month - 1, day, hour, minute, sec);
  }
  return null;
}
