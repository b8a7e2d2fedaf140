import { Router } from 'express';
import { decisionApiPaths } from '../admin/decision-routes.js';
import { formApiPaths } from '../admin/form-routes.js';
import { processApiPaths } from '../admin/process-routes.js';
import { migrationApiPaths } from '../operations/migration-routes.js';
import { operationsApiPaths } from '../operations/operations-routes.js';
import { registryApiPaths } from '../admin/registry/registry-openapi.js';
import { actorSchema, loginBody } from '../auth/auth-routes.js';
import { auditRecordsApiPaths } from '../audit/audit-records-routes.js';
import { cameraEventsApiPaths } from '../camera/camera-event-routes.js';
import { assignmentBody } from '../assignments/assignment-routes.js';
import { caseIdParams, newCaseBody, redispatchBody } from '../cases/case-routes.js';
import { fieldReportBody } from '../field/field-report-routes.js';
import { caseSearchOperation, reportingApiPaths } from '../dashboard/reporting-openapi.js';
import { pagingErrors, pagingFields } from '../http/paging-schema.js';
import { open311ApiPaths } from '../open311/open311-docs.js';
import { ratingBody, tokenParams } from '../public/public-routes.js';
import { completeBody, taskKeyParams, taskListQuery } from '../tasks/task-routes.js';
import { publicReportRequestBody, publicReportUploadResponses, uploadApiPaths } from '../uploads/upload-openapi.js';

type Schema = Record<string, unknown>;
const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const pathParams = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'path', required: true, schema: s }));
const queryParams = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
const idemHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 128 },
  description: 'a retry with the same key and body returns the first answer; another body 409',
};
const auth = [{ bearer: [] }];
const guarded = { '401': err('no or bad bearer token'), '403': err('role not allowed') };
const anyObject = { type: 'object' };

/** The OpenAPI 3 document, built from the same JSON Schemas ajv checks the requests with. */
export function openApiDocument(version: string): Schema {
  return {
    openapi: '3.0.3',
    info: {
      title: '一网统管 case platform API',
      version,
      description: 'Errors are `{code, message}`; messages in Chinese, English with `Accept-Language: en`.',
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: anyObject } },
      },
    },
    paths: {
      '/health': { get: { summary: 'health check', responses: { '200': json(anyObject), '503': err('database down') } } },
      '/auth/login': {
        post: {
          summary: 'log in, get a bearer token',
          requestBody: body(loginBody),
          responses: {
            '200': json({
              type: 'object',
              properties: { token: { type: 'string' }, tokenType: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, user: actorSchema },
            }),
            '400': err('invalid input'),
            '401': err('bad credentials'),
            '429': err('rate limited'),
          },
        },
      },
      '/auth/me': {
        get: {
          summary: 'the caller',
          security: auth,
          responses: { '200': json({ type: 'object', properties: { user: actorSchema } }), '401': err('not logged in') },
        },
      },
      '/auth/logout': {
        post: { summary: 'end the session', security: auth, responses: { '204': { description: 'logged out' }, '401': err('not logged in') } },
      },
      '/cases': {
        get: caseSearchOperation,
        post: {
          summary: 'file a case: hotline (operator), grid worker report, leader 交办 (high priority)',
          security: auth,
          parameters: [idemHeader],
          requestBody: body(newCaseBody),
          responses: { '201': json(anyObject, 'filed'), '400': err('invalid input'), ...guarded, '409': err('Idempotency-Key conflict') },
        },
      },
      '/cases/{id}/redispatch': {
        post: {
          summary:
            "改派 by the centre (operator, admin) while a unit handles the case: the unit's open task ends, the new unit handles it with a fresh deadline, audited with the reason",
          security: auth,
          parameters: [...pathParams(caseIdParams), idemHeader],
          requestBody: body(redispatchBody),
          responses: {
            '202': json(anyObject, 'ordered; the process moves the case'),
            '400': err('invalid input, unknown_unit'),
            ...guarded,
            '404': err('case_not_found'),
            '409': err('not_redispatchable (closed, in 核查, between steps), redispatch_unsupported, same_unit, Idempotency-Key conflict'),
          },
        },
      },
      '/cases/{id}': {
        get: {
          summary: 'a case (unit-scoped; reporter phone masked unless operator/admin)',
          security: auth,
          parameters: pathParams(caseIdParams),
          responses: { '200': json(anyObject), ...guarded, '404': err('no such case or not yours') },
        },
      },
      '/assignments': {
        post: {
          summary: 'leader 交办: a case with priority, the unit named, a deadline and the instruction (leader, admin); routed to that unit, due at that time',
          security: auth,
          parameters: [idemHeader],
          requestBody: body(assignmentBody),
          responses: {
            '201': json(anyObject, 'filed'),
            '400': err('invalid input, unknown_unit, due_in_past, location_required'),
            ...guarded,
            '409': err('Idempotency-Key conflict'),
          },
        },
        get: { summary: "the leader's own 交办 with their status, newest first", security: auth, responses: { '200': json(anyObject), ...guarded } },
      },
      '/field-reports': {
        post: {
          summary: 'grid worker 巡查上报: multipart (fields as text, photos in `photos`); selfHandled=true with result = 自处置, filed and closed at once',
          security: auth,
          parameters: [idemHeader],
          requestBody: { required: true, content: { 'multipart/form-data': { schema: fieldReportBody } } },
          responses: {
            '201': json(anyObject, 'filed'),
            '400': err('invalid input, result_required, unknown_event_type, location_required'),
            ...guarded,
            '409': err('Idempotency-Key conflict; not_self_handled'),
            '413': err('file_too_large, too_many_files, image_too_many_pixels'),
            '415': err('multipart_required, unsupported_file_type, image_invalid'),
          },
        },
        get: { summary: "the grid worker's own recent reports", security: auth, responses: { '200': json(anyObject), ...guarded } },
      },
      '/public/reports': {
        post: {
          summary:
            "随手拍: public report, no login, rate-limited; JSON, or multipart with photos. Sent with a staff session it is refused (403 staff_report_elsewhere, details.page = the role's own page)",
          parameters: [idemHeader],
          requestBody: publicReportRequestBody,
          responses: {
            ...publicReportUploadResponses,
            '403': err('staff_report_elsewhere'),
            '201': json({ type: 'object', properties: { caseNo: { type: 'string' }, status: { type: 'string' }, trackingToken: { type: 'string' } } }),
            '400': err('invalid input'),
            '409': err('Idempotency-Key conflict'),
            '429': err('rate limited'),
          },
        },
      },
      '/public/reports/{token}': {
        get: {
          summary: 'follow a case by its tracking token',
          parameters: pathParams(tokenParams),
          responses: { '200': json(anyObject), '404': err('unknown token'), '429': err('rate limited') },
        },
      },
      '/public/reports/{token}/rating': {
        post: {
          summary: '回访: rate the handling (publishes case-rating with a TTL)',
          parameters: [...pathParams(tokenParams), idemHeader],
          requestBody: body(ratingBody),
          responses: {
            '202': json(anyObject, 'accepted'),
            '400': err('invalid input'),
            '404': err('unknown token'),
            '409': err('already rated or not rateable'),
            '429': err('rate limited'),
          },
        },
      },
      '/tasks': {
        get: {
          summary: "the task inbox (unit-scoped) with filters (status, unit, dueSoon, overdue, light, category); each task carries its case's category",
          description:
            'Open tasks most urgent first (priority, then due time, then id); completed and cancelled ones newest first. Follow `next` with `after`; `offset` works within the first 10,000 rows.',
          security: auth,
          parameters: queryParams(taskListQuery),
          responses: {
            '200': json({ type: 'object', required: ['tasks', 'next'], properties: { tasks: { type: 'array', items: anyObject }, ...pagingFields } }),
            '400': err(pagingErrors),
            '401': err('not logged in'),
          },
        },
      },
      '/tasks/incidents': {
        get: {
          summary:
            "the cases the engine stopped on an open incident (the centre's inbox: they wait at no task), longest stuck first, each with where and why: `{ total, items: [{ caseId, caseNo, status, since, incidents: [{ incidentKey, elementId, errorType, errorMessage, createdAt … }] }] }`, at most 100 cases",
          security: auth,
          responses: { '200': json(anyObject), '401': err('not logged in'), '403': err('admins and operators only') },
        },
      },
      '/tasks/{key}': {
        get: {
          summary: 'a task with its form (form-js JSON), its case and `variables`: the process variables the form reads (reporter phone masked by role)',
          security: auth,
          parameters: pathParams(taskKeyParams),
          responses: { '200': json(anyObject), '401': err('not logged in'), '404': err('no such task or not yours') },
        },
      },
      '/tasks/{key}/claim': {
        post: {
          summary: 'claim (签收)',
          security: auth,
          parameters: pathParams(taskKeyParams),
          responses: { '200': json(anyObject), ...guarded, '404': err('no such task'), '409': err('claimed by someone else or finished') },
        },
      },
      '/tasks/{key}/unclaim': {
        post: {
          summary: 'give back',
          security: auth,
          parameters: pathParams(taskKeyParams),
          responses: { '200': json(anyObject), ...guarded, '404': err('no such task'), '409': err('claimed by someone else or finished') },
        },
      },
      '/tasks/{key}/complete': {
        post: {
          summary: 'complete with form data, checked against the schema derived from the form (unknown keys refused)',
          security: auth,
          parameters: [...pathParams(taskKeyParams), idemHeader],
          requestBody: body(completeBody),
          responses: {
            '200': json(anyObject),
            '400': err('form data invalid'),
            ...guarded,
            '404': err('no such task'),
            '409': err('finished or claimed by someone else'),
          },
        },
      },
      ...processApiPaths(),
      ...operationsApiPaths(),
      ...migrationApiPaths(),
      ...formApiPaths(),
      ...decisionApiPaths(),
      ...open311ApiPaths(),
      ...registryApiPaths(),
      ...reportingApiPaths(),
      ...uploadApiPaths(),
      ...auditRecordsApiPaths(),
      ...cameraEventsApiPaths(),
      '/docs': { get: { summary: 'this document', responses: { '200': json(anyObject) } } },
    },
  };
}

export function docsRoute(version: string): Router {
  const r = Router();
  const doc = openApiDocument(version);
  r.get('/docs', (_req, res) => {
    res.json(doc);
  });
  return r;
}
