import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: InstanceType<AjvClass>) => unknown;

/** Bodies: strict types, no coercion. Query strings and path parameters: strings coerced to the declared types. */
const bodyAjv = new Ajv({ allErrors: true, strict: true });
const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true });
addFormats(bodyAjv);
addFormats(queryAjv);

export type Schema = Record<string, unknown>;

const details = (errors: ErrorObject[] | null | undefined) =>
  ({ errors: (errors ?? []).slice(0, 20).map((e) => ({ path: e.instancePath || '/', keyword: e.keyword, message: e.message ?? '', ...(e.keyword === 'additionalProperties' ? { property: (e.params as { additionalProperty?: string }).additionalProperty } : {}) })) });

const compiled = new WeakMap<Schema, ValidateFunction>();
function compile(ajv: InstanceType<AjvClass>, schema: Schema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v;
}

/** ajv on every route: body, query and params each checked against their JSON Schema (400 invalid_input otherwise). */
export function validate(schemas: { body?: Schema; query?: Schema; params?: Schema }): RequestHandler {
  const body = schemas.body ? compile(bodyAjv, schemas.body) : null;
  const query = schemas.query ? compile(queryAjv, schemas.query) : compile(queryAjv, { type: 'object', additionalProperties: false, properties: {} });
  const params = schemas.params ? compile(queryAjv, schemas.params) : null;
  return (req, _res, next) => {
    if (body) {
      if (req.body === undefined && !req.is('application/json')) return next(new HttpError(415, 'unsupported_media_type'));
      if (!body(req.body ?? null)) return next(new HttpError(400, 'invalid_input', undefined, details(body.errors)));
    }
    // Express 5's req.query is a getter: validate (and coerce) a copy and keep it on res.locals
    const q = { ...(req.query as Record<string, unknown>) };
    if (!query(q)) return next(new HttpError(400, 'invalid_input', undefined, details(query.errors)));
    Object.defineProperty(req, 'query', { value: q, writable: true, configurable: true });
    if (params && !params(req.params)) return next(new HttpError(400, 'invalid_input', undefined, details(params.errors)));
    next();
  };
}

/** A string that must not be blank or carry control characters (besides newlines and tabs). */
export const text = (maxLength: number, minLength = 1): Schema => ({ type: 'string', minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$' });
