import { NDJSON, auditLogQuery, auditVerifyQuery } from '../audit/audit-routes.js';
import { caseIdParams } from '../cases/case-routes.js';
import { caseSearchQuery } from '../cases/case-search.js';
import { pagingErrors, pagingFields } from '../http/paging-schema.js';
import { rankingsQuery, streamQuery, trendsQuery } from './dashboard-routes.js';

type Schema = Record<string, unknown>;
const security = [{ bearer: [] }];
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const guarded = { '401': err('no or bad bearer token'), '403': err('role not allowed') };
const query = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
const path = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'path', required: true, schema: s }));
const csv = (description: string) => ({
  description: `${description} (UTF-8 with BOM; cells starting = + - @ prefixed with ')`,
  content: { 'text/csv': { schema: { type: 'string' } } },
});
const obj = { type: 'object' };
const arr = { type: 'array', items: obj };
const LIGHT = { enum: ['green', 'yellow', 'red'] };

const caseItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseNo: { type: 'string' },
    status: { type: 'string' },
    category: { type: 'string', nullable: true },
    eventTypeCode: { type: 'string', nullable: true },
    eventTypeName: { type: 'string', nullable: true },
    unitId: { type: 'integer', nullable: true },
    unitName: { type: 'string', nullable: true },
    township: { type: 'string', nullable: true },
    channel: { type: 'string' },
    light: LIGHT,
    escalationLevel: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: 'string', nullable: true, format: 'date-time' },
    description: { type: 'string' },
    reporterPhone: { type: 'string', nullable: true, description: 'masked unless operator/admin' },
  },
};

/** GET /cases (the path also has POST, in openapi.ts). */
export const caseSearchOperation = {
  summary: 'case search, scoped like GET /cases/{id}; light = red (escalated, overdue or finished red) / yellow (reminded) / green',
  security,
  parameters: query(caseSearchQuery),
  description:
    "Newest first (createdAt, id). Follow `next` with `after`; `page` works within the first 10,000 rows. Each role's scope and each filter read an index in that order (migration 0013).",
  responses: {
    '200': json({
      type: 'object',
      required: ['items', 'next', 'pageSize'],
      properties: {
        items: { type: 'array', items: caseItem },
        ...pagingFields,
        page: { type: 'integer', description: 'offset paging only' },
        pageSize: { type: 'integer' },
      },
    }),
    '400': err(pagingErrors),
    '401': err('not logged in'),
  },
};

/** Case history, audit and dashboard paths for the OpenAPI document, from the schemas the routes validate with. */
export function reportingApiPaths(): Record<string, unknown> {
  return {
    '/cases/{id}/history': {
      get: {
        summary: 'the case history: engine element events of all its instances, variables, audited actions, notifications; diagram highlights',
        security,
        parameters: path(caseIdParams),
        responses: {
          '200': json({ type: 'object', properties: { case: obj, timeline: arr, diagram: obj, highlights: obj, variablesByElement: obj } }),
          '400': err('bad id'),
          '401': err('not logged in'),
          '404': err('no such case or not yours'),
        },
      },
    },
    '/cases/{id}/history.csv': {
      get: {
        summary: 'the case history timeline as CSV',
        security,
        parameters: path(caseIdParams),
        responses: { '200': csv('timeline'), '400': err('bad id'), '401': err('not logged in'), '404': err('no such case or not yours') },
      },
    },
    '/cases/{id}/diagram': {
      get: {
        summary: 'BPMN XML of the process version the case runs',
        security,
        parameters: path(caseIdParams),
        responses: {
          '200': { description: 'BPMN XML', content: { 'application/xml': { schema: { type: 'string' } } } },
          '401': err('not logged in'),
          '404': err('no such case, not yours, or diagram_not_found'),
        },
      },
    },
    '/audit/verify': {
      get: {
        summary:
          'verify the audit hash chain from the latest checkpoint (default) or from the first record (?from=start); names the first broken link (admin, auditor)',
        description:
          'With `Accept: application/x-ndjson` the answer streams: a `start` line, a `progress` line per batch of 2,000 records, then the `result` line (the JSON answer plus `type`), or an `error` line. `checked` counts the records found whole from the first through `verifiedThrough` (those before the checkpoint by earlier runs); `checkedThisRun` those this run read.',
        security,
        parameters: query(auditVerifyQuery),
        responses: {
          '200': {
            description: 'the verdict',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    ok: { type: 'boolean' },
                    checked: { type: 'integer' },
                    from: { enum: ['checkpoint', 'start'] },
                    resumedAfter: { type: 'string', nullable: true },
                    checkedThisRun: { type: 'integer' },
                    verifiedThrough: { type: 'string', nullable: true },
                    firstBroken: { type: 'object', properties: { id: { type: 'string' }, reason: { type: 'string' } } },
                  },
                },
              },
              [NDJSON]: { schema: { type: 'string', description: 'one JSON object per line: {type: start|progress|result|error, …}' } },
            },
          },
          '400': err('bad from'),
          ...guarded,
        },
      },
    },
    '/audit/log.csv': {
      get: {
        summary: 'the audit log as CSV; from/to as local days (inclusive) or instants (admin, auditor)',
        security,
        parameters: query(auditLogQuery),
        responses: { '200': csv('audit records'), '400': err('bad dates'), ...guarded },
      },
    },
    '/dashboard/summary': {
      get: {
        summary: 'totals (open, closed, overdue, today), by status, category, unit, township; lights of the open cases (dept roles: their unit)',
        security,
        responses: { '200': json(obj), ...guarded },
      },
    },
    '/dashboard/trends': {
      get: {
        summary: 'per local day: created, closed, deadlines missed',
        security,
        parameters: query(trendsQuery),
        responses: { '200': json({ type: 'object', properties: { days: arr } }), '400': err('bad days'), ...guarded },
      },
    },
    '/dashboard/rankings': {
      get: {
        summary: 'unit ranking for a month: stored monthly evaluation, else computed live; 接办率 = accepted / received',
        security,
        parameters: query(rankingsQuery),
        responses: { '200': json(arr), '400': err('bad month'), ...guarded },
      },
    },
    '/dashboard/hotspots': {
      get: {
        summary: 'grids and event types with ≥ 5 reports in the last 7 days and ≥ 2× their mean of the 4 weeks before (未诉先办)',
        security,
        responses: { '200': json(arr), ...guarded },
      },
    },
    '/dashboard/map': {
      get: {
        summary: 'open cases with coordinates and the grids as a GeoJSON FeatureCollection',
        security,
        responses: {
          '200': json({
            type: 'object',
            properties: {
              cases: arr,
              grids: obj,
              tileUrl: { type: 'string', nullable: true, description: 'MAP_TILE_URL, or null when the map must work offline' },
            },
          }),
          ...guarded,
        },
      },
    },
    '/dashboard/stream': {
      get: {
        summary:
          'Server-Sent Events: `summary` on connect, `changed` with the new summary when cases change, heartbeat comments every 15 s; the token may come as ?access_token= here only',
        security,
        parameters: query(streamQuery),
        responses: {
          '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          '400': err('bad access_token'),
          ...guarded,
        },
      },
    },
  };
}
