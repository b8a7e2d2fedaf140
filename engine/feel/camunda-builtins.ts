import { randomUUID } from 'node:crypto';
import { evaluate, duration, parseDate, parseDateTime, FeelDate, FeelDateTime, FeelDuration, FeelFunction, isRange, type FeelRange } from 'feelin';

/**
 * The built-in functions Camunda 8.8's FEEL (feel-scala 1.19) documents and feelin lacks or answers
 * differently, given to feelin as context entries (its public extension point: a function in the
 * context is callable by name, and a name with spaces is parsed as one name once it is a context key).
 * A user variable of the same name wins, as in feelin; the names are FEEL's, nobody names a variable so.
 */

/** A failure the expression asked for (`assert`): the evaluation fails with this message, as in Camunda. */
export class FeelAssertionError extends Error {}

type Fn = (...args: never[]) => unknown;
const f = (params: string[], fn: Fn): FeelFunction => new FeelFunction(fn, params);

const isContext = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** The builtins of feelin itself, to delegate to (resolved once: feelin's builtins are fixed). */
const feelinBuiltin = (name: string): FeelFunction | null => {
  const v = evaluate(name).value;
  return v instanceof FeelFunction || typeof v === 'function' ? (v as FeelFunction) : null;
};
const callBuiltin = (fn: FeelFunction | null, args: unknown[]): unknown =>
  fn ? (fn instanceof FeelFunction ? fn.invoke(args) : (fn as unknown as (...a: unknown[]) => unknown)(...args)) : null;

/** Rounds `n` at `scale` digits: `mode` picks the direction of the discarded part as java.math.RoundingMode does. */
function roundAt(n: unknown, scale: unknown, mode: 'UP' | 'DOWN' | 'HALF_UP' | 'HALF_DOWN'): number | null {
  if (!isNum(n)) return null;
  const s = scale === undefined || scale === null ? 0 : scale;
  if (!isNum(s) || !Number.isInteger(s)) return null;
  const factor = 10 ** s;
  // work on the decimal text so 1.121 is 1121 thousandths exactly, not 1.12099999…
  const scaled = Number((Math.abs(n) * factor).toPrecision(15));
  const whole = Math.floor(scaled);
  const frac = Number((scaled - whole).toPrecision(12));
  let r: number;
  if (mode === 'UP') r = frac > 0 ? whole + 1 : whole;
  else if (mode === 'DOWN') r = whole;
  else if (mode === 'HALF_UP') r = frac >= 0.5 ? whole + 1 : whole;
  else r = frac > 0.5 ? whole + 1 : whole;
  const out = (Math.sign(n) * r) / factor;
  return out === 0 ? 0 : out;
}

// ───────────── ranges: the relations of DMN 1.3 §10.3.4.9 (Camunda's "range functions") ─────────────

type Bound = { value: unknown; closed: boolean };
type Interval = { start: Bound; end: Bound };

function compare(a: unknown, b: unknown): number | null {
  if (isNum(a) && isNum(b)) return a - b;
  if (isStr(a) && isStr(b)) return a < b ? -1 : a > b ? 1 : 0;
  const r = evaluate('if a < b then -1 else if a > b then 1 else if a = b then 0 else null', { a, b }).value;
  return isNum(r) ? r : null;
}

function asInterval(v: unknown): Interval | null {
  if (v === null || v === undefined) return null;
  if (isRange(v)) {
    const r = v as FeelRange;
    return { start: { value: r.start, closed: r['start included'] }, end: { value: r.end, closed: r['end included'] } };
  }
  return { start: { value: v, closed: true }, end: { value: v, closed: true } };
}

/** A relation between two intervals, null when a bound is not comparable. */
function relation(test: (a: Interval, b: Interval, c: (x: unknown, y: unknown) => number) => boolean): FeelFunction {
  return f(['range1', 'range2'], ((x: unknown, y: unknown) => {
    const a = asInterval(x);
    const b = asInterval(y);
    if (!a || !b) return null;
    let failed = false;
    const c = (p: unknown, q: unknown): number => {
      const r = compare(p, q);
      if (r === null) failed = true;
      return r ?? 0;
    };
    const result = test(a, b, c);
    return failed ? null : result;
  }) as Fn);
}

const rangeFunctions = {
  before: relation((a, b, c) => c(a.end.value, b.start.value) < 0 || (c(a.end.value, b.start.value) === 0 && !(a.end.closed && b.start.closed))),
  after: relation((a, b, c) => c(a.start.value, b.end.value) > 0 || (c(a.start.value, b.end.value) === 0 && !(a.start.closed && b.end.closed))),
  meets: relation((a, b, c) => a.end.closed && b.start.closed && c(a.end.value, b.start.value) === 0),
  'met by': relation((a, b, c) => a.start.closed && b.end.closed && c(a.start.value, b.end.value) === 0),
  overlaps: relation((a, b, c) => {
    const startsBeforeEnd = (p: Interval, q: Interval) =>
      c(p.start.value, q.end.value) < 0 || (c(p.start.value, q.end.value) === 0 && p.start.closed && q.end.closed);
    return startsBeforeEnd(a, b) && startsBeforeEnd(b, a);
  }),
  'overlaps before': relation(
    (a, b, c) =>
      (c(a.start.value, b.start.value) < 0 || (c(a.start.value, b.start.value) === 0 && a.start.closed && !b.start.closed)) &&
      (c(a.end.value, b.start.value) > 0 || (c(a.end.value, b.start.value) === 0 && a.end.closed && b.start.closed)) &&
      (c(a.end.value, b.end.value) < 0 || (c(a.end.value, b.end.value) === 0 && (!a.end.closed || b.end.closed))),
  ),
  'overlaps after': relation(
    (a, b, c) =>
      (c(b.start.value, a.start.value) < 0 || (c(b.start.value, a.start.value) === 0 && b.start.closed && !a.start.closed)) &&
      (c(b.end.value, a.start.value) > 0 || (c(b.end.value, a.start.value) === 0 && b.end.closed && a.start.closed)) &&
      (c(b.end.value, a.end.value) < 0 || (c(b.end.value, a.end.value) === 0 && (!b.end.closed || a.end.closed))),
  ),
  finishes: relation(
    (a, b, c) =>
      a.end.closed === b.end.closed &&
      c(a.end.value, b.end.value) === 0 &&
      (c(b.start.value, a.start.value) < 0 || (c(b.start.value, a.start.value) === 0 && (!a.start.closed || b.start.closed))),
  ),
  'finished by': relation(
    (a, b, c) =>
      a.end.closed === b.end.closed &&
      c(a.end.value, b.end.value) === 0 &&
      (c(a.start.value, b.start.value) < 0 || (c(a.start.value, b.start.value) === 0 && (!b.start.closed || a.start.closed))),
  ),
  includes: relation(
    (a, b, c) =>
      (c(a.start.value, b.start.value) < 0 || (c(a.start.value, b.start.value) === 0 && (a.start.closed || !b.start.closed))) &&
      (c(a.end.value, b.end.value) > 0 || (c(a.end.value, b.end.value) === 0 && (a.end.closed || !b.end.closed))),
  ),
  during: relation(
    (a, b, c) =>
      (c(b.start.value, a.start.value) < 0 || (c(b.start.value, a.start.value) === 0 && (b.start.closed || !a.start.closed))) &&
      (c(b.end.value, a.end.value) > 0 || (c(b.end.value, a.end.value) === 0 && (b.end.closed || !a.end.closed))),
  ),
  starts: relation(
    (a, b, c) =>
      a.start.closed === b.start.closed &&
      c(a.start.value, b.start.value) === 0 &&
      (c(a.end.value, b.end.value) < 0 || (c(a.end.value, b.end.value) === 0 && (!a.end.closed || b.end.closed))),
  ),
  'started by': relation(
    (a, b, c) =>
      a.start.closed === b.start.closed &&
      c(a.start.value, b.start.value) === 0 &&
      (c(b.end.value, a.end.value) < 0 || (c(b.end.value, a.end.value) === 0 && (!b.end.closed || a.end.closed))),
  ),
  coincides: relation(
    (a, b, c) =>
      a.start.closed === b.start.closed && a.end.closed === b.end.closed && c(a.start.value, b.start.value) === 0 && c(a.end.value, b.end.value) === 0,
  ),
};

// ───────────── durations: × and ÷, which feelin answers with null ─────────────

const DAY_SECONDS = 86_400;
function durationSeconds(d: FeelDuration): number {
  const v = d.value;
  return v.days * DAY_SECONDS + v.hours * 3600 + v.minutes * 60 + v.seconds + v.milliseconds / 1000;
}
const durationMonths = (d: FeelDuration): number => d.value.years * 12 + d.value.months;

function secondsDuration(total: number): FeelDuration | null {
  if (!Number.isFinite(total)) return null;
  const sign = total < 0 ? '-' : '';
  let rest = Math.abs(total);
  const days = Math.floor(rest / DAY_SECONDS);
  rest -= days * DAY_SECONDS;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = Number((rest - m * 60).toFixed(3));
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  const iso = `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return duration(iso === `${sign}P` ? 'PT0S' : iso);
}
function monthsDuration(total: number): FeelDuration | null {
  if (!Number.isFinite(total)) return null;
  const whole = Math.trunc(total); // java.time.Period holds whole months
  const sign = whole < 0 ? '-' : '';
  const y = Math.floor(Math.abs(whole) / 12);
  const mo = Math.abs(whole) % 12;
  return duration(`${sign}P${y ? `${y}Y` : ''}${mo || !y ? `${mo}M` : ''}`);
}

/** `a * b` with FEEL's duration rules; numbers as feelin multiplies them. */
export function multiply(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return a * b;
  if (a instanceof FeelDuration && isNum(b)) return a.yearsMonths ? monthsDuration(durationMonths(a) * b) : secondsDuration(durationSeconds(a) * b);
  if (isNum(a) && b instanceof FeelDuration) return multiply(b, a);
  return null;
}

/** `a / b` with FEEL's duration rules; division by zero is null. */
export function divide(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return b === 0 ? null : a / b;
  if (a instanceof FeelDuration && isNum(b)) {
    if (b === 0) return null;
    return a.yearsMonths ? monthsDuration(durationMonths(a) / b) : secondsDuration(durationSeconds(a) / b);
  }
  if (a instanceof FeelDuration && b instanceof FeelDuration && a.yearsMonths === b.yearsMonths) {
    const d = a.yearsMonths ? durationMonths(b) : durationSeconds(b);
    return d === 0 ? null : (a.yearsMonths ? durationMonths(a) : durationSeconds(a)) / d;
  }
  return null;
}

// ───────────── temporal ─────────────

function toDate(v: unknown): FeelDate | null {
  if (v instanceof FeelDate) return v;
  if (v instanceof FeelDateTime) return parseDate(v.iso.slice(0, 10));
  return null;
}

/** Years and whole months from `from` to `to` (feelin counts the days too: P1Y8M2D where Java's Period gives P1Y8M). */
export function yearsAndMonths(from: unknown, to: unknown): FeelDuration | null {
  const a = toDate(from);
  const b = toDate(to);
  if (!a || !b) return null;
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months > 0 && b.day < a.day) months -= 1;
  if (months < 0 && b.day > a.day) months += 1;
  return monthsDuration(months);
}

/** The wall clock of `dt` in `zone` (`"Z"`, an offset or a region); a local date-time is read in the machine's zone, as Java does. */
export function dateAndTimeInZone(dt: FeelDateTime, zone: string): FeelDateTime | null {
  try {
    const from = dt.zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const target = zone === 'Z' ? 'UTC' : zone;
    const zoned = dt.value.toZonedDateTime(from === 'Z' ? 'UTC' : from).withTimeZone(target);
    const wall = zoned.toPlainDateTime().toString({ smallestUnit: 'second' });
    const suffix = zone === 'Z' ? 'Z' : /^[+-]\d\d:\d\d$/.test(zone) ? zone : `@${zone}`;
    return parseDateTime(`${wall}${suffix}`);
  } catch {
    return null;
  }
}

/** `date and time(…)`: Camunda adds (date and time, timezone); the other forms stay feelin's. */
export function dateAndTimeFunction(...args: unknown[]): unknown {
  if (args.length === 2 && args[0] instanceof FeelDateTime && isStr(args[1])) return dateAndTimeInZone(args[0], args[1]);
  // feelin's own forms (string; date, time): `date and time` is a constructor of its grammar, not a value
  if (args.length === 1) return evaluate('date and time(a)', { a: args[0] }).value;
  if (args.length === 2) return evaluate('date and time(a, b)', { a: args[0], b: args[1] }).value;
  return null;
}

// ───────────── context paths ─────────────

function getPath(ctx: unknown, keys: unknown[]): unknown {
  if (!keys.length) return null;
  let cur: unknown = ctx;
  for (const k of keys) {
    if (!isContext(cur) || !isStr(k) || !(k in cur)) return null;
    cur = cur[k];
  }
  return cur ?? null;
}

function putPath(ctx: Record<string, unknown>, keys: unknown[], value: unknown): Record<string, unknown> | null {
  if (!keys.length || !keys.every(isStr)) return null;
  const [head, ...rest] = keys as string[];
  if (!rest.length) return { ...ctx, [head!]: value };
  const inner = isContext(ctx[head!]) ? (ctx[head!] as Record<string, unknown>) : {};
  const put = putPath(inner, rest, value);
  return put && { ...ctx, [head!]: put };
}

const feelinGetValue = feelinBuiltin('get value');
const feelinContextPut = feelinBuiltin('context put');
const feelinStringJoin = feelinBuiltin('string join');
const feelinDecimal = feelinBuiltin('decimal');

/** java.math.RoundingMode by name, as `decimal(n, scale, mode)` takes it. */
function roundMode(n: unknown, scale: unknown, mode: string): number | null {
  if (!isNum(n)) return null;
  switch (mode) {
    case 'UP':
    case 'DOWN':
    case 'HALF_UP':
    case 'HALF_DOWN':
      return roundAt(n, scale, mode);
    case 'CEILING':
      return roundAt(n, scale, n >= 0 ? 'UP' : 'DOWN');
    case 'FLOOR':
      return roundAt(n, scale, n >= 0 ? 'DOWN' : 'UP');
    case 'HALF_EVEN':
      return callBuiltin(feelinDecimal, [n, scale]) as number | null;
    case 'UNNECESSARY':
      return roundAt(n, scale, 'DOWN') === n ? n : null;
    default:
      return null;
  }
}

/** The context entries handed to feelin beside the variables. */
export const CAMUNDA_BUILTINS: Readonly<Record<string, FeelFunction>> = Object.freeze({
  // `is defined(x)` is rewritten to `is defined(x, <was x found>)` (see rewrite.ts): only the rewrite knows
  // whether a path named something that exists; called with one argument it can only say "it is a value"
  'is defined': f(['value', 'found'], ((value: unknown, found?: unknown) => (typeof found === 'boolean' ? found : value !== undefined)) as Fn),
  'get or else': f(['value', 'default'], ((value: unknown, dflt: unknown) => value ?? dflt ?? null) as Fn),
  assert: f(['value', 'condition', 'cause'], ((value: unknown, condition: unknown, cause?: unknown) => {
    if (condition === true) return value;
    throw new FeelAssertionError(isStr(cause) ? cause : `The condition is not fulfilled`);
  }) as Fn),
  'is empty': f(['list'], ((l: unknown) => (Array.isArray(l) ? l.length === 0 : null)) as Fn),
  'is blank': f(['string'], ((s: unknown) => (isStr(s) ? s.trim() === '' : null)) as Fn),
  trim: f(['string'], ((s: unknown) => (isStr(s) ? s.trim() : null)) as Fn),
  extract: f(['string', 'pattern'], ((s: unknown, p: unknown) => {
    if (!isStr(s) || !isStr(p)) return null;
    try {
      return [...s.matchAll(new RegExp(p, 'gu'))].map((m) => m[0]);
    } catch {
      return null;
    }
  }) as Fn),
  uuid: f([], (() => randomUUID()) as Fn),
  'to base64': f(['value'], ((s: unknown) => (isStr(s) ? Buffer.from(s, 'utf8').toString('base64') : null)) as Fn),
  partition: f(['list', 'size'], ((l: unknown, size: unknown) => {
    if (!Array.isArray(l) || !isNum(size) || size <= 0 || !Number.isInteger(size)) return null;
    const out: unknown[][] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  }) as Fn),
  'duplicate values': f(['list'], ((l: unknown) => {
    if (!Array.isArray(l)) return null;
    // in the order of their first occurrence, as Camunda lists them
    const out: unknown[] = [];
    l.forEach((v, i) => {
      const same = (w: unknown) => evaluate('a = b', { a: v, b: w }).value === true;
      if (!out.some(same) && l.slice(i + 1).some(same)) out.push(v);
    });
    return out;
  }) as Fn),
  'last day of month': f(['date'], ((d: unknown) => {
    const date = toDate(d);
    if (!date) return null;
    const last = new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
    return parseDate(`${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(last).padStart(2, '0')}`);
  }) as Fn),
  'string join': f(['list', 'delimiter', 'prefix', 'suffix'], ((l: unknown, delimiter?: unknown, prefix?: unknown, suffix?: unknown) => {
    if (prefix === undefined && suffix === undefined) return callBuiltin(feelinStringJoin, delimiter === undefined ? [l] : [l, delimiter]);
    if (!Array.isArray(l) || !l.every((v) => v === null || isStr(v))) return null;
    const text = (l.filter(isStr) as string[]).join(isStr(delimiter) ? delimiter : '');
    return `${isStr(prefix) ? prefix : ''}${text}${isStr(suffix) ? suffix : ''}`;
  }) as Fn),
  'get value': f(['context', 'key'], ((ctx: unknown, key: unknown) =>
    Array.isArray(key) ? getPath(ctx, key) : callBuiltin(feelinGetValue, [ctx, key])) as Fn),
  'context put': f(['context', 'key', 'value'], ((ctx: unknown, key: unknown, value: unknown) => {
    if (!Array.isArray(key)) return callBuiltin(feelinContextPut, [ctx, key, value]);
    return isContext(ctx) ? putPath(ctx, key, value) : null;
  }) as Fn),
  'round up': f(['n', 'scale'], ((n: unknown, scale?: unknown) => roundAt(n, scale, 'UP')) as Fn),
  'round down': f(['n', 'scale'], ((n: unknown, scale?: unknown) => roundAt(n, scale, 'DOWN')) as Fn),
  'round half up': f(['n', 'scale'], ((n: unknown, scale?: unknown) => roundAt(n, scale, 'HALF_UP')) as Fn),
  'round half down': f(['n', 'scale'], ((n: unknown, scale?: unknown) => roundAt(n, scale, 'HALF_DOWN')) as Fn),
  decimal: f(['n', 'scale', 'mode'], ((n: unknown, scale: unknown, mode?: unknown) => {
    if (mode === undefined || mode === null) return callBuiltin(feelinDecimal, [n, scale]);
    return isStr(mode) ? roundMode(n, scale, mode.toUpperCase()) : null;
  }) as Fn),
  'random number': f([], (() => Math.random()) as Fn),
  // AI agent tool processes: the value itself; description, type, schema and options are for the connector
  fromAi: f(['value', 'description', 'type', 'schema', 'options'], ((value: unknown) => value ?? null) as Fn),
  ...rangeFunctions,
  // rewrite targets (rewrite.ts): operators and special-name functions feelin answers differently
  __feel_multiply: f(['a', 'b'], multiply as Fn),
  __feel_divide: f(['a', 'b'], divide as Fn),
  __feel_years_and_months_duration: f(['from', 'to'], yearsAndMonths as Fn),
  __feel_date_and_time: f(['from', 'time'], dateAndTimeFunction as Fn),
});

/** Names the rewrite relies on; a name in CAMUNDA_BUILTINS with a space must be a context key for the parser. */
export const BUILTIN_NAMES = Object.keys(CAMUNDA_BUILTINS);
