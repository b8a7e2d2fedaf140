/**
 * fast-check arbitraries from the OpenAPI document's JSON Schemas: values that fit the schema (so requests
 * get past validation into the handlers) mixed with hostile ones (so validation itself is exercised):
 * huge and non-finite numbers, malformed %-encodings, injections, lone surrogates, deep nesting.
 */
import fc from 'fast-check';

type Schema = Record<string, unknown>;

/** Values the outside tester found 5xx with, and their relatives. */
export const HOSTILE_STRINGS = [
  'Infinity',
  '-Infinity',
  '1e309',
  'NaN',
  '-1',
  '0',
  '9223372036854775808',
  '99999999999999999999999',
  '1.5',
  '0x10',
  ' ',
  '',
  "' OR '1'='1",
  '1; DROP TABLE cases',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  '1970-01-01',
  'true',
  'null',
  '[]',
  '{}',
  '长'.repeat(300),
  'a'.repeat(5000),
];
export const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  2 ** 53 + 1,
  1.5,
  [],
  {},
  [null],
  { $gt: '' },
  { __proto__: { admin: true } },
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
];

const nested = (depth: number): unknown => (depth === 0 ? 'deep' : { components: [nested(depth - 1)] });
/** A form-js-like tree 2,000 levels deep: the stack-overflow finding on the form deploy. */
export const DEEP_OBJECT = nested(2000);

/** `arb` one time in `n`, else null (fc.option's `freq` is the other way round: null one time in freq). */
export const rarely = <T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 40 }));

/** A value for `schema`: mostly fitting, sometimes hostile (weight 1 in `1 + fit`). */
export function valueFor(schema: Schema | undefined, depth = 0, fit = 4): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: fit, arbitrary: fitting(schema ?? {}, depth) }, { weight: 1, arbitrary: hostileValue() });
}

function fitting(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(s['enum']) && s['enum'].length) return fc.constantFrom(...(s['enum'] as unknown[]));
  if ('const' in s) return fc.constant(s['const']);
  for (const k of ['oneOf', 'anyOf'] as const) {
    const alts = s[k];
    if (Array.isArray(alts) && alts.length) return fc.oneof(...(alts as Schema[]).map((a) => fitting(a, depth)));
  }
  const type = Array.isArray(s['type']) ? (s['type'] as string[])[0] : (s['type'] as string | undefined);
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: num(s['minimum']) ?? -5, max: num(s['maximum']) ?? 100_000 });
    case 'number':
      return fc.double({ min: num(s['minimum']) ?? -200, max: num(s['maximum']) ?? 200, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(valueFor(s['items'] as Schema, depth + 1, 6), { maxLength: Math.min(num(s['maxItems']) ?? 3, 3) });
    case 'object':
      return objectFor(s, depth);
    default:
      return s['properties'] ? objectFor(s, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function stringFor(s: Schema): fc.Arbitrary<string> {
  const format = s['format'];
  if (format === 'date')
    return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (typeof s['pattern'] === 'string') {
    try {
      const max = num(s['maxLength']) ?? 64;
      return fc.stringMatching(new RegExp(s['pattern'] as string, 'u')).filter((x) => x.length <= max && x.length >= (num(s['minLength']) ?? 0));
    } catch {
      /* a pattern fast-check cannot generate from: plain strings below */
    }
  }
  return fc.string({ minLength: num(s['minLength']) ?? 0, maxLength: Math.min(num(s['maxLength']) ?? 24, 24) });
}

function objectFor(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant({});
  const props = (s['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((s['required'] as string[] | undefined) ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = valueFor(v, depth + 1, 16);
  const base = fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
  // now and then a key the schema does not know, or a required one left out
  return fc
    .tuple(base, rarely(fc.tuple(fc.constantFrom('status', 'id', '__proto__', 'x'), hostileValue()), 12), rarely(fc.constantFrom(...[...required, '_']), 12))
    .map(([obj, extra, drop]) => {
      const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      if (drop) delete out[drop];
      return out;
    });
}

/** A query or path value as text: fitting values printed, hostile ones as they are. */
export function textFor(schema: Schema | undefined, known: readonly string[] = []): fc.Arbitrary<string> {
  const fromSchema = valueFor(schema, 0, 3).map((v) =>
    typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
  );
  return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: fromSchema }) : fromSchema;
}
