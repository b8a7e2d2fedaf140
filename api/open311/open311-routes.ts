import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../config/logger.js';
import { clientForApiKey, type Open311Client } from '../../domain/open311/clients.js';
import {
  findOpen311Request,
  findOpen311Requests,
  MAX_RANGE_DAYS,
  MAX_RESULTS,
  requestIdForToken,
  submitOpen311Request,
  type Open311Submission,
  type RequestFilter,
} from '../../domain/open311/requests.js';
import { listServices, parseW3cDate, serviceDefinition } from '../../domain/open311/services.js';
import { DomainError } from '../../domain/shared/errors.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { phone } from '../cases/case-routes.js';
import { badPath, domainStatus, HttpError, messageFor } from '../http/errors.js';
import { rateLimit } from '../http/security.js';
import { text, validate, type Schema } from '../http/validate.js';
import { xmlDocument } from './xml.js';

/**
 * Open311 GeoReport v2 under /open311/v2 (https://wiki.open311.org/GeoReport_v2): every resource in
 * `.json` and `.xml`, errors as the spec's `[{code, description}]` / `<errors><error>…`. Mounted before
 * the app's JSON parser so that even a malformed body is answered in the spec's format.
 */
export interface Open311Options {
  port: WorkflowEngine;
  log: Logger;
  /** when set, a request naming another jurisdiction_id is refused (404, as the spec says) */
  jurisdictionId?: string | undefined;
  /** POST requests per minute and address */
  perMinute: number;
}

type Format = 'json' | 'xml';

const jurisdictionParam = text(64);
const apiKeyParam = { type: 'string', minLength: 1, maxLength: 128 };
const common = { jurisdiction_id: jurisdictionParam, api_key: apiKeyParam };
export const open311CommonQuery = { type: 'object', additionalProperties: false, properties: common };
const csv = (item: string) => ({ type: 'string', maxLength: 4000, pattern: `^${item}(,${item})*$` });
const code = '[A-Za-z0-9_.-]{1,32}';
export const open311ListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    service_request_id: csv('[A-Za-z0-9_-]{1,32}'),
    service_code: csv(code),
    start_date: { type: 'string', maxLength: 40 },
    end_date: { type: 'string', maxLength: 40 },
    status: csv('(open|closed)'),
    // extensions (not in GeoReport v2): keyset paging, the next page's URL in a `Link: <…>; rel="next"` header
    after: { type: 'string', description: 'extension: the page after this cursor; follow the Link header with rel="next". A malformed one is 400.' },
    page_size: { type: 'integer', minimum: 1, maximum: MAX_RESULTS, description: `extension: requests per page (default and at most ${MAX_RESULTS})` },
  },
};
export const open311FileParams = { type: 'object', required: ['file'], properties: { file: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } } };
export const open311PostBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['service_code'],
  properties: {
    ...common,
    service_code: { type: 'string', pattern: `^${code}$` },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    long: { type: 'number', minimum: -180, maximum: 180 },
    address_string: text(255),
    address_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    attribute: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z0-9_]{1,64}$' },
      additionalProperties: { anyOf: [text(1000, 0), { type: 'array', maxItems: 50, items: text(1000, 0) }] },
    },
    email: { type: 'string', format: 'email', maxLength: 254 },
    device_id: text(128),
    account_id: text(128),
    first_name: text(32),
    last_name: text(32),
    phone,
    description: text(4000),
    media_url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 1000 },
  },
};

/** `services/DL-01.xml` → code and format; anything but .json/.xml is not a resource (404). */
function splitFile(file: string): { id: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { id: m[1]!, format: m[2] as Format } : null;
}

function formatOf(req: Request): Format {
  return /\.json$/i.test(req.path) ? 'json' : 'xml'; // XML is the spec's required format, so the fallback
}

function send(res: Response, format: Format, status: number, root: string, value: unknown): void {
  res.status(status);
  if (format === 'json') {
    res.type('application/json; charset=utf-8').send(JSON.stringify(value));
  } else {
    res.type('text/xml; charset=utf-8').send(xmlDocument(root, value));
  }
}

const fileFormat: RequestHandler = (req, _res, next) => {
  const split = splitFile(String(req.params['file'] ?? ''));
  if (!split) return next(new HttpError(404, 'not_found'));
  (req as Request & { open311Id?: string }).open311Id = split.id;
  next();
};
const idOf = (req: Request) => (req as Request & { open311Id?: string }).open311Id!;

const FIELD = /^attribute\[([^\][]*)\](\[\])?$/;

/**
 * One shape for form-encoded and JSON bodies: `attribute[code]=v` (and `attribute[code][]=v` for
 * multi-value lists) become `attribute: {code: v}`; lat/long given as decimal strings become numbers
 * (form encoding has no numbers). Everything else is left for the schema to judge.
 */
const normalizeBody: RequestHandler = (req, _res, next) => {
  const raw: unknown = req.body;
  if (raw === undefined) return next(new HttpError(415, 'open311_media_type'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return next(new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/', message: 'must be an object' }] }));
  const out: Record<string, unknown> = {};
  const attribute: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withoutEmpty(raw as Record<string, unknown>))) {
    const m = FIELD.exec(key);
    if (m) {
      attribute[m[1]!] = m[2] && !Array.isArray(value) ? [value] : value;
    } else if (key === 'attribute' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      Object.assign(attribute, value);
    } else if ((key === 'lat' || key === 'long') && typeof value === 'string' && /^\s*-?\d{1,3}(\.\d{1,15})?\s*$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  if (Object.keys(attribute).length > 0) out['attribute'] = attribute;
  Object.defineProperty(req, 'body', { value: out, writable: true, configurable: true });
  next();
};

/**
 * GeoReport v2 treats an empty optional parameter (`service_code=`, `start_date=&end_date=`, a blank form
 * input) as one not given: dropped from the query and from a form or JSON body before anything reads them.
 */
const withoutEmpty = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && !(Array.isArray(v) && v.every((x) => x === ''))));
const emptyMeansAbsent: RequestHandler = (req, _res, next) => {
  Object.defineProperty(req, 'query', { value: withoutEmpty(req.query as Record<string, unknown>), writable: true, configurable: true });
  next();
};

/** The api_key from the body (the spec) or the query string. */
const apiKeyOf = (req: Request): unknown => (req.body as Record<string, unknown> | undefined)?.['api_key'] ?? (req.query as Record<string, unknown>)['api_key'];

const requireApiKey: RequestHandler = async (req, _res, next) => {
  const key = apiKeyOf(req);
  const client = typeof key === 'string' && key.length > 0 && key.length <= 128 ? await clientForApiKey(key) : null;
  if (!client) return next(new HttpError(403, 'open311_api_key'));
  (req as Request & { open311Client?: Open311Client }).open311Client = client;
  next();
};

function jurisdiction(expected: string | undefined): RequestHandler {
  return (req, _res, next) => {
    const inBody = (req.body as Record<string, unknown> | undefined)?.['jurisdiction_id'];
    const inQuery = (req.query as Record<string, unknown>)['jurisdiction_id'];
    // a request naming two jurisdictions is not one we can answer for either
    if (inBody !== undefined && inQuery !== undefined && inBody !== inQuery) {
      return next(
        new HttpError(400, 'invalid_input', undefined, {
          errors: [{ path: 'jurisdiction_id', message: 'the query and the body name different jurisdictions' }],
        }),
      );
    }
    const given = inBody ?? inQuery;
    if (expected !== undefined && given !== undefined && given !== expected) return next(new HttpError(404, 'open311_jurisdiction'));
    next();
  };
}

function dateParam(req: Request, name: 'start_date' | 'end_date'): Date | undefined {
  const raw = (req.query as Record<string, string | undefined>)[name];
  if (raw === undefined) return undefined;
  const d = parseW3cDate(raw);
  if (!d)
    throw new HttpError(400, 'open311_bad_date', undefined, {
      errors: [{ path: name, message: 'must be a W3C/ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00+08:00' }],
    });
  return d;
}

function listFilter(req: Request): RequestFilter {
  const q = req.query as Record<string, string | undefined>;
  const paging = { ...(q['after'] !== undefined ? { after: q['after'] } : {}), ...(q['page_size'] !== undefined ? { pageSize: Number(q['page_size']) } : {}) };
  if (q['service_request_id']) return { ids: [...new Set(q['service_request_id'].split(','))].slice(0, 1000), ...paging };
  const start = dateParam(req, 'start_date');
  const end = dateParam(req, 'end_date');
  if (start && end && start.getTime() > end.getTime())
    throw new HttpError(400, 'open311_bad_date', undefined, { errors: [{ path: 'end_date', message: 'is before start_date' }] });
  if (start && end && end.getTime() - start.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw new HttpError(400, 'open311_bad_date', undefined, {
      errors: [{ path: 'end_date', message: `the range may not span more than ${MAX_RANGE_DAYS} days` }],
    });
  return {
    ...paging,
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    ...(q['service_code'] ? { serviceCodes: [...new Set(q['service_code'].split(','))] } : {}),
    ...(q['status'] ? { statuses: [...new Set(q['status'].split(','))] as Array<'open' | 'closed'> } : {}),
  };
}

/** The same list request with `after` set to the next page's cursor (an absolute path, as the request came). */
function nextPageUrl(req: Request, next: string): string {
  const url = new URL(req.originalUrl, 'http://localhost');
  url.searchParams.set('after', next);
  return `${url.pathname}${url.search}`;
}

/** Domain refusals → HTTP; body-parser failures keep their status. */
function toHttp(raw: unknown): HttpError | null {
  if (raw instanceof HttpError) return raw;
  const path = badPath(raw);
  if (path) return path;
  if (raw instanceof DomainError) {
    const apiCode = typeof raw.details?.['apiCode'] === 'string' ? raw.details['apiCode'] : 'invalid_input';
    return new HttpError(domainStatus(raw), apiCode, raw.message, { errors: [{ path: '', message: raw.message }] });
  }
  if (raw instanceof PortError) return raw.code === 'UNAVAILABLE' ? new HttpError(503, 'unavailable') : null;
  const e = raw as { type?: string; status?: number; expose?: boolean };
  if (e.type === 'entity.parse.failed') return new HttpError(400, 'bad_json');
  if (e.type === 'entity.too.large') return new HttpError(413, 'payload_too_large');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) return new HttpError(e.status, 'bad_request');
  return null;
}

/** The statuses GeoReport v2 names (400, 403, 404) and the operational ones; other refusals are its 400 "general service error". */
const SPEC_STATUSES = new Set([400, 403, 404, 429, 500, 503]);

function errorsHandler(log: Logger): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const mapped = toHttp(raw) ?? new HttpError(500, 'internal');
    const err = SPEC_STATUSES.has(mapped.status) ? mapped : new HttpError(400, mapped.code, mapped.message, mapped.details);
    if (err.status >= 500) log.error({ err: raw, path: req.path }, 'open311 request failed');
    const problems = (err.details as { errors?: Array<{ path?: string; message?: string }> } | undefined)?.errors ?? [];
    const extra = problems.map((p) => `${(p.path ?? '').replace(/^\//, '').replaceAll('/', '.') || 'request'}: ${p.message ?? ''}`).join('; ');
    const description = extra ? `${messageFor(err.code, req)} (${extra})` : messageFor(err.code, req);
    send(res, formatOf(req), err.status, 'errors', [{ code: err.status, description }]);
  };
}

/**
 * Service discovery (https://wiki.open311.org/Service_discovery): where the endpoint is, which spec and
 * formats it speaks. `changeset` moves when this document's content changes.
 */
const DISCOVERY_CHANGESET = '2026-12-07T00:00:00Z';
const discovery = (url: string) => ({
  changeset: DISCOVERY_CHANGESET,
  contact: '沾益区城市运行管理中心（12345 热线）',
  key_service: '向城市运行管理中心申请 api_key（管理员在 /admin 的开放接口客户端中签发）',
  endpoints: [
    {
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url,
      changeset: DISCOVERY_CHANGESET,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    },
  ],
});

const paths = (name: string) => [`/${name}.json`, `/${name}.xml`];

/**
 * CORS: GeoReport v2 is a public API for other sites' apps (issue #16, item 10): any origin may read its
 * answers and POST with an api_key in the body (no cookies, no credentials: `*` is enough, and safe).
 * A preflight is answered here, with the methods the resource has; so is a plain OPTIONS (Allow).
 */
const cors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Access-Control-Expose-Headers', 'Link');
  if (req.method !== 'OPTIONS') return next();
  const methods = /^\/requests\.(json|xml)$/.test(req.path) ? 'GET, HEAD, POST, OPTIONS' : 'GET, HEAD, OPTIONS';
  res.setHeader('Allow', methods);
  res.setHeader('Access-Control-Allow-Methods', methods);
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept-Language');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
};

export function open311Routes(options: Open311Options): Router {
  const r = Router();
  r.use(cors);
  r.use(emptyMeansAbsent);
  r.get(paths('discovery'), validate({}), (req, res) => {
    send(res, formatOf(req), 200, 'discovery', discovery(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/`));
  });
  const inJurisdiction = jurisdiction(options.jurisdictionId);
  const parseBody = [express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }), express.json({ limit: '64kb', strict: true })];

  r.get(paths('services'), validate({ query: open311CommonQuery }), inJurisdiction, async (req, res) => {
    send(res, formatOf(req), 200, 'services', await listServices());
  });
  r.get('/services/:file', fileFormat, validate({ params: open311FileParams, query: open311CommonQuery }), inJurisdiction, async (req, res) => {
    const definition = await serviceDefinition(idOf(req));
    if (!definition) throw new HttpError(404, 'open311_unknown_service');
    send(res, formatOf(req), 200, 'service_definition', definition);
  });
  r.post(
    paths('requests'),
    rateLimit({ windowMs: 60_000, max: options.perMinute }),
    ...parseBody,
    normalizeBody,
    inJurisdiction,
    requireApiKey,
    validate({ body: open311PostBody, query: open311CommonQuery }),
    async (req, res) => {
      const {
        attribute,
        api_key: _k,
        jurisdiction_id: _j,
        ...fields
      } = req.body as Omit<Open311Submission, 'attributes'> & { attribute?: Record<string, string | string[]>; api_key?: string; jurisdiction_id?: string };
      const client = (req as Request & { open311Client?: Open311Client }).open311Client!;
      const submitted = await submitOpen311Request(options.port, client, { ...fields, attributes: attribute ?? {} });
      // the spec returns service_request_id or token: the case is filed at once, so its id; account_id
      // only when the client sent one (the schema's type is a string, never null)
      send(res, formatOf(req), 201, 'service_requests', [
        {
          service_request_id: submitted.service_request_id,
          service_notice: submitted.service_notice,
          ...(submitted.account_id != null ? { account_id: submitted.account_id } : {}),
        },
      ]);
    },
  );
  r.get(paths('requests'), validate({ query: open311ListQuery }), inJurisdiction, async (req, res) => {
    const { requests, next } = await findOpen311Requests(listFilter(req));
    if (next) res.setHeader('Link', `<${nextPageUrl(req, next)}>; rel="next"`);
    send(res, formatOf(req), 200, 'service_requests', requests);
  });
  r.get('/requests/:file', fileFormat, validate({ params: open311FileParams, query: open311CommonQuery }), inJurisdiction, async (req, res) => {
    const found = await findOpen311Request(idOf(req));
    if (!found) throw new HttpError(404, 'open311_unknown_request');
    send(res, formatOf(req), 200, 'service_requests', [found]);
  });
  r.get(
    '/tokens/:file',
    fileFormat,
    validate({ query: open311CommonQuery }),
    async (req, _res, next) => {
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(idOf(req)))
        return next(new HttpError(400, 'invalid_input', undefined, { errors: [{ path: 'token', message: 'must be 8-64 letters, digits, - or _' }] }));
      next();
    },
    inJurisdiction,
    async (req, res) => {
      const found = await requestIdForToken(idOf(req));
      if (!found) throw new HttpError(404, 'open311_unknown_token');
      send(res, formatOf(req), 200, 'service_requests', [found]);
    },
  );
  r.use((req, _res, next) => next(new HttpError(404, 'not_found', undefined, { errors: [{ path: req.path, message: 'no such resource' }] })));
  r.use(errorsHandler(options.log));
  return r;
}
