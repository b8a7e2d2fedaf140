import { Router, type Request } from 'express';
import {
  migrateInstance,
  previewBatchMigration,
  previewInstanceMigration,
  startBatch,
  type InstanceFilter,
  type Operator,
} from '../../domain/operations/index.js';
import type { MigrationPlan, WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { text, validate } from '../http/validate.js';
import { batchBody, keyParams } from './operations-routes.js';

/**
 * 流程迁移 (issue 18): move running instances to another deployed version by element mappings, Camunda 8's
 * process instance migration. Preview first (what moves, what cannot and why, nothing written), then
 * migrate one instance or a filtered batch (202, progress at GET /operations/batches/{id}). Administrators
 * migrate, auditors may preview; each migration is an audit record `ops_instance_migrated` with who and why.
 */
const writers = requireRole('admin');
/** a preview writes nothing: auditors may look at what a migration would do */
const readers = requireRole('admin', 'auditor');
const ELEMENT_ID = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,254}$' };
const plan = {
  type: 'object',
  required: ['targetProcessDefinitionKey', 'mappingInstructions'],
  additionalProperties: false,
  properties: {
    targetProcessDefinitionKey: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
    mappingInstructions: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['sourceElementId', 'targetElementId'],
        additionalProperties: false,
        properties: { sourceElementId: ELEMENT_ID, targetElementId: ELEMENT_ID },
      },
    },
  },
};
const filter = (batchBody.properties as { filter: Record<string, unknown> }).filter;
export const previewBody = { type: 'object', required: ['plan'], additionalProperties: false, properties: { plan } };
export const migrateBody = { type: 'object', required: ['plan', 'reason'], additionalProperties: false, properties: { plan, reason: text(500) } };
export const batchPreviewBody = { type: 'object', required: ['plan', 'filter'], additionalProperties: false, properties: { plan, filter } };
export const batchMigrateBody = {
  type: 'object',
  required: ['plan', 'filter', 'reason'],
  additionalProperties: false,
  properties: { plan, filter, reason: text(500) },
};

const operator = (req: Request): Operator => {
  const a = actorOf(req);
  return { username: a.username, role: a.role, reason: String((req.body as { reason: string }).reason).trim() };
};
const planOf = (req: Request) => (req.body as { plan: MigrationPlan }).plan;
const filterOf = (req: Request) => (req.body as { filter: InstanceFilter }).filter;
const key = (req: Request) => String(req.params['processInstanceKey']);

export function migrationRoutes(port: WorkflowEngine): Router {
  const r = Router();
  const instance = { params: keyParams('processInstanceKey') };

  r.post(
    '/operations/instances/:processInstanceKey/migration/preview',
    requireAuth,
    readers,
    validate({ ...instance, body: previewBody }),
    async (req, res) => {
      res.json(await previewInstanceMigration(port, key(req), planOf(req)));
    },
  );

  r.post('/operations/instances/:processInstanceKey/migration', requireAuth, writers, validate({ ...instance, body: migrateBody }), async (req, res) => {
    const done = await migrateInstance(port, key(req), planOf(req), operator(req));
    res.json({ processInstanceKey: key(req), version: done.version, auditId: done.audit.id });
  });

  r.post('/operations/migrations/preview', requireAuth, readers, validate({ body: batchPreviewBody }), async (req, res) => {
    res.json(await previewBatchMigration(port, filterOf(req), planOf(req)));
  });

  r.post('/operations/migrations', requireAuth, writers, validate({ body: batchMigrateBody }), async (req, res) => {
    const { batch } = await startBatch(port, 'migrate', filterOf(req), operator(req), planOf(req));
    res.status(202).location(`/api/operations/batches/${batch.id}`).json(batch);
  });

  return r;
}

// ── OpenAPI (api/docs/openapi.ts spreads these paths in) ──

const security = [{ bearer: [] }];
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description = 'OK') => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (schema: Record<string, unknown>) => ({ required: true, content: { 'application/json': { schema } } });
const path = [{ name: 'processInstanceKey', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' } }];
const guarded = { '401': err('no or bad bearer token'), '403': err('role not allowed (admin only)') };
const guardedPreview = { '401': err('no or bad bearer token'), '403': err('role not allowed (admins and auditors)') };

export function migrationApiPaths(): Record<string, unknown> {
  return {
    '/operations/instances/{processInstanceKey}/migration/preview': {
      post: {
        summary:
          'dry run of migrating one instance: element instances that move (with job, user task, incidents, timers and subscriptions) and every refusal with its reason; writes nothing',
        security,
        parameters: path,
        requestBody: body(previewBody),
        responses: {
          '200': json(),
          '400': err('invalid_input'),
          ...guardedPreview,
          '404': err('instance_not_found'),
          '409': err('instance_not_active'),
          '503': err('engine_unavailable (no dry run on Camunda)'),
        },
      },
    },
    '/operations/instances/{processInstanceKey}/migration': {
      post: {
        summary: 'migrate one instance to the target version by element mappings, all or nothing; audited `ops_instance_migrated` with the reason',
        security,
        parameters: path,
        requestBody: body(migrateBody),
        responses: {
          '200': json(),
          '400': err('invalid_input'),
          ...guarded,
          '404': err('instance_not_found'),
          '409': err('instance_not_active / migration_refused (details.refusals: each element and why) / operation_in_progress'),
        },
      },
    },
    '/operations/migrations/preview': {
      post: {
        summary: 'dry run over the running instances a filter matches (at most 500): per instance whether it can move and why not',
        security,
        requestBody: body(batchPreviewBody),
        responses: { '200': json(), '400': err('invalid_input'), ...guardedPreview, '422': err('batch_empty / batch_too_large') },
      },
    },
    '/operations/migrations': {
      post: {
        summary:
          'migrate the running instances a filter matches (at most 500) as a batch; 202 with the batch, progress and per-instance results at /operations/batches/{id}',
        security,
        requestBody: body(batchMigrateBody),
        responses: { '202': json('started'), '400': err('invalid_input'), ...guarded, '422': err('batch_empty / batch_too_large') },
      },
    },
  };
}
