import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { RequestHandler } from 'express';
import { ajvMessage, UNUSABLE } from './ajv-messages.js';
import { HttpError, wantsEnglish } from './errors.js';

type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: InstanceType<AjvClass>) => unknown;

/** Bodies: strict types, no coercion. Query strings and path parameters: strings coerced to the declared types. */
const bodyAjv = new Ajv({ allErrors: true, strict: true });
const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true });
addFormats(bodyAjv);
addFormats(queryAjv);

export type Schema = Record<string, unknown>;

/** `property`: the field an additionalProperties or required problem is about (its path is the parent object). */
const propertyOf = (e: ErrorObject) =>
  e.keyword === 'additionalProperties'
    ? (e.params as { additionalProperty?: string }).additionalProperty
    : e.keyword === 'required'
      ? (e.params as { missingProperty?: string }).missingProperty
      : undefined;

const details = (errors: ErrorObject[] | null | undefined, english: boolean) => ({
  errors: (errors ?? []).slice(0, 20).map((e) => {
    const property = propertyOf(e);
    return { path: e.instancePath || '/', keyword: e.keyword, message: ajvMessage(e, english), ...(property !== undefined ? { property } : {}) };
  }),
});

const compiled = new WeakMap<Schema, ValidateFunction>();
function compile(ajv: InstanceType<AjvClass>, schema: Schema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v;
}

/** In a `u` regexp a surrogate range matches only the unpaired ones (pairs are read as one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Deeper JSON than this is no request of ours (a form nests a few groups): refused before anything recurses over it. */
export const MAX_BODY_DEPTH = 64;

/**
 * What ajv lets through and our code cannot use: a body nested past MAX_BODY_DEPTH (ajv and the domain
 * recurse over it: a stack overflow), and numbers that are not finite (JSON `1e309` parses to Infinity) or,
 * for whole numbers, past 2^53 (they are no longer the number sent). Iterative, so depth costs no stack.
 */
type Unusable = { path: string; problem: keyof typeof UNUSABLE };

function unusableValue(root: unknown): Unusable | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      // a lone UTF-16 surrogate (JSON "\ud800") is no text: stored, it breaks every UTF-8 reader after us
      if (LONE_SURROGATE.test(value)) return { path: path || '/', problem: 'loneSurrogate' };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { path: path || '/', problem: 'notFinite' };
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { path: path || '/', problem: 'tooBig' };
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_BODY_DEPTH) return { path: path || '/', problem: 'tooDeep' };
      for (const [k, v] of Object.entries(value)) {
        if (LONE_SURROGATE.test(k)) return { path: path || '/', problem: 'badKey' };
        stack.push({ value: v, path: `${path}/${k}`, depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * Query strings and path parameters: a value ajv coerced to a number must have been written as a decimal
 * number (`Infinity`, `1e309` and `0x10` coerce too, and reached SQL as "Infinity") and be usable (above).
 */
function unusableCoercion(raw: Record<string, unknown>, coerced: Record<string, unknown>): Unusable | null {
  for (const [name, value] of Object.entries(coerced)) {
    const values = Array.isArray(value) ? value : [value];
    const sent = Array.isArray(raw[name]) ? (raw[name] as unknown[]) : [raw[name]];
    for (const [i, v] of values.entries()) {
      if (typeof v !== 'number' || typeof sent[i] !== 'string') continue;
      if (!/^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(sent[i] as string)) return { path: `/${name}`, problem: 'notDecimal' };
      const bad = unusableValue(v);
      if (bad) return { path: `/${name}`, problem: bad.problem };
    }
  }
  return null;
}

const refusal = ({ path, problem }: Unusable, english: boolean) => {
  const message = UNUSABLE[problem][english ? 'en' : 'zh'].replace('{depth}', String(MAX_BODY_DEPTH));
  return new HttpError(400, 'invalid_input', undefined, { errors: [{ path, message, keyword: 'format' }] });
};

/** ajv on every route: body, query and params each checked against their JSON Schema (400 invalid_input otherwise). */
export function validate(schemas: { body?: Schema; query?: Schema; params?: Schema }): RequestHandler {
  const body = schemas.body ? compile(bodyAjv, schemas.body) : null;
  const query = schemas.query ? compile(queryAjv, schemas.query) : compile(queryAjv, { type: 'object', additionalProperties: false, properties: {} });
  const params = schemas.params ? compile(queryAjv, schemas.params) : null;
  return (req, _res, next) => {
    const english = wantsEnglish(req);
    if (body) {
      if (req.body === undefined && !req.is('application/json')) return next(new HttpError(415, 'unsupported_media_type'));
      const unusable = unusableValue(req.body);
      if (unusable) return next(refusal(unusable, english));
      if (!body(req.body ?? null)) return next(new HttpError(400, 'invalid_input', undefined, details(body.errors, english)));
    }
    // Express 5's req.query is a getter: validate (and coerce) a copy and keep it on res.locals
    const sent = req.query as Record<string, unknown>;
    const q = { ...sent };
    if (!query(q)) return next(new HttpError(400, 'invalid_input', undefined, details(query.errors, english)));
    const badNumber = unusableCoercion(sent, q);
    if (badNumber) return next(refusal(badNumber, english));
    Object.defineProperty(req, 'query', { value: q, writable: true, configurable: true });
    if (params) {
      const sentParams = { ...req.params };
      if (!params(req.params)) return next(new HttpError(400, 'invalid_input', undefined, details(params.errors, english)));
      const badParam = unusableCoercion(sentParams, req.params);
      if (badParam) return next(refusal(badParam, english));
    }
    next();
  };
}

/** A string that must not be blank or carry control characters (besides newlines and tabs). */
export const text = (maxLength: number, minLength = 1): Schema => ({
  type: 'string',
  minLength,
  maxLength,
  pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$',
});
