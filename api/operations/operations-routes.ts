import { Router, type Request } from 'express';
import {
  actionsOfInstance,
  cancelInstance,
  caseOfInstance,
  getBatch,
  listBatches,
  listInstances,
  retryIncident,
  setVariablesAndResolve,
  startBatch,
  type InstanceFilter,
  type Operator,
} from '../../domain/operations/index.js';
import { PROCESS_ID_PATTERN } from '../../domain/processes/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { afterParam, keysetPageSize } from '../http/paging-schema.js';
import { text, validate } from '../http/validate.js';

/**
 * Operations (issue 18), Operate's jobs on our API: processes with their versions and what runs and is
 * stuck in them, per element for the diagram; the instance list; an instance's incidents; retry, set
 * variables then resolve, cancel — one at a time or as a batch over a filter. Administrators act,
 * auditors read; every action carries a reason and is an audit record (who, why, what).
 */
const readers = requireRole('admin', 'auditor');
const writers = requireRole('admin');

const KEY = { type: 'string', pattern: '^[1-9][0-9]{0,18}$' };
const INCIDENT_TYPES = [
  'JOB_NO_RETRIES',
  'CONDITION_ERROR',
  'EXTRACT_VALUE_ERROR',
  'IO_MAPPING_ERROR',
  'CALLED_ELEMENT_ERROR',
  'UNHANDLED_ERROR_EVENT',
  'EXECUTION_LISTENER_NO_RETRIES',
  'TASK_LISTENER_NO_RETRIES',
  'MESSAGE_SIZE_EXCEEDED',
  'CALLED_DECISION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'FORM_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
  'UNKNOWN',
];
const instant = { type: 'string', format: 'date-time' };
const filterProperties = {
  bpmnProcessId: { type: 'string', pattern: PROCESS_ID_PATTERN },
  version: { type: 'integer', minimum: 1, maximum: 999999999 },
  state: { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED', 'INCIDENT'] },
  elementId: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,254}$' },
  incidentType: { enum: INCIDENT_TYPES },
  caseNo: { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' },
  startedFrom: instant,
  startedTo: instant,
};
export const instancesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...filterProperties, after: afterParam, pageSize: keysetPageSize(50) },
};
export const keyParams = (name: string) => ({ type: 'object', required: [name], additionalProperties: false, properties: { [name]: KEY } });
const reason = text(500);
export const retryBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason, retries: { type: 'integer', minimum: 1, maximum: 10 } },
};
export const variablesBody = {
  type: 'object',
  required: ['reason', 'variables'],
  additionalProperties: false,
  properties: {
    reason,
    scope: { enum: ['instance', 'element'] },
    variables: { type: 'object', minProperties: 1, maxProperties: 50, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } },
  },
};
export const cancelBody = { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason } };
export const batchBody = {
  type: 'object',
  required: ['action', 'reason', 'filter'],
  additionalProperties: false,
  properties: { action: { enum: ['retry', 'cancel'] }, reason, filter: { type: 'object', additionalProperties: false, properties: filterProperties } },
};
export const batchesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
};
const batchParams = { type: 'object', required: ['batchId'], additionalProperties: false, properties: { batchId: { type: 'string', format: 'uuid' } } };

const operator = (req: Request): Operator => {
  const a = actorOf(req);
  return { username: a.username, role: a.role, reason: String((req.body as { reason: string }).reason).trim() };
};

export function operationsRoutes(port: WorkflowEngine): Router {
  const r = Router();

  /** processes with their versions; per version and per process the running instances and open incidents */
  r.get('/operations/processes', requireAuth, readers, validate({}), async (_req, res) => {
    const byProcess = new Map<string, { bpmnProcessId: string; runningInstances: number; openIncidents: number; versions: unknown[] }>();
    for (const d of await port.listProcessDefinitions()) {
      const p =
        byProcess.get(d.bpmnProcessId) ??
        byProcess.set(d.bpmnProcessId, { bpmnProcessId: d.bpmnProcessId, runningInstances: 0, openIncidents: 0, versions: [] }).get(d.bpmnProcessId)!;
      p.runningInstances += d.runningInstances;
      p.openIncidents += d.openIncidents;
      p.versions.push({
        version: d.version,
        processDefinitionKey: d.processDefinitionKey,
        runningInstances: d.runningInstances,
        openIncidents: d.openIncidents,
      });
    }
    res.json([...byProcess.values()]);
  });

  r.get(
    '/operations/definitions/:processDefinitionKey/statistics',
    requireAuth,
    readers,
    validate({ params: keyParams('processDefinitionKey') }),
    async (req, res) => {
      res.json(await port.elementStatistics(String(req.params['processDefinitionKey'])));
    },
  );

  r.get(
    '/operations/definitions/:processDefinitionKey/xml',
    requireAuth,
    readers,
    validate({ params: keyParams('processDefinitionKey') }),
    async (req, res) => {
      res.type('application/xml').send(await port.processDefinitionXml(String(req.params['processDefinitionKey'])));
    },
  );

  r.get('/operations/instances', requireAuth, readers, validate({ query: instancesQuery }), async (req, res) => {
    const { after, pageSize, ...filter } = req.query as unknown as InstanceFilter & { after?: string; pageSize: number };
    if (filter.startedFrom && filter.startedTo && Date.parse(filter.startedFrom) >= Date.parse(filter.startedTo)) {
      throw new HttpError(400, 'invalid_input', 'startedFrom must be before startedTo', {
        errors: [{ path: '/startedTo', message: 'must be after startedFrom' }],
      });
    }
    res.json(await listInstances(port, filter, { pageSize, ...(after !== undefined ? { after } : {}) }));
  });

  /** one instance with its case, its open incidents (error, element, job and the job's retries) and what administrators did to it (from the audit log) */
  r.get('/operations/instances/:processInstanceKey', requireAuth, readers, validate({ params: keyParams('processInstanceKey') }), async (req, res) => {
    const key = String(req.params['processInstanceKey']);
    const instance = await port.getInstance(key);
    if (!instance) throw new HttpError(404, 'instance_not_found');
    const [incidents, c, actions] = await Promise.all([
      port.listIncidents({ processInstanceKeys: [key] }),
      caseOfInstance(port, key),
      actionsOfInstance(port, key),
    ]);
    res.json({ ...instance, case: c, incidents, actions });
  });

  r.get(
    '/operations/instances/:processInstanceKey/incidents',
    requireAuth,
    readers,
    validate({ params: keyParams('processInstanceKey') }),
    async (req, res) => {
      const key = String(req.params['processInstanceKey']);
      if (!(await port.getInstance(key))) throw new HttpError(404, 'instance_not_found');
      res.json(await port.listIncidents({ processInstanceKeys: [key] }));
    },
  );

  r.post(
    '/operations/incidents/:incidentKey/retry',
    requireAuth,
    writers,
    validate({ params: keyParams('incidentKey'), body: retryBody }),
    async (req, res) => {
      const body = req.body as { retries?: number };
      const done = await retryIncident(port, String(req.params['incidentKey']), body.retries ?? 1, operator(req));
      res.json({ incidentKey: done.incident.incidentKey, processInstanceKey: done.incident.processInstanceKey, auditId: done.audit.id });
    },
  );

  r.post(
    '/operations/incidents/:incidentKey/variables',
    requireAuth,
    writers,
    validate({ params: keyParams('incidentKey'), body: variablesBody }),
    async (req, res) => {
      const body = req.body as { variables: Record<string, unknown>; scope?: 'instance' | 'element' };
      const done = await setVariablesAndResolve(
        port,
        String(req.params['incidentKey']),
        { variables: body.variables, scope: body.scope ?? 'instance' },
        operator(req),
      );
      res.json({ incidentKey: done.incident.incidentKey, processInstanceKey: done.incident.processInstanceKey, auditId: done.audit.id });
    },
  );

  r.post(
    '/operations/instances/:processInstanceKey/cancel',
    requireAuth,
    writers,
    validate({ params: keyParams('processInstanceKey'), body: cancelBody }),
    async (req, res) => {
      const done = await cancelInstance(port, String(req.params['processInstanceKey']), operator(req));
      res.json({ processInstanceKey: String(req.params['processInstanceKey']), caseId: done.caseId, auditId: done.audit.id });
    },
  );

  /** 202 at once with the batch's targets; its progress and per-instance results at GET /operations/batches/{id} */
  r.post('/operations/batches', requireAuth, writers, validate({ body: batchBody }), async (req, res) => {
    const body = req.body as { action: 'retry' | 'cancel'; filter: InstanceFilter };
    const { batch } = await startBatch(port, body.action, body.filter, operator(req));
    res.status(202).location(`/api/operations/batches/${batch.id}`).json(batch);
  });

  /** the latest batches, newest first: who started each and why, and its progress */
  r.get('/operations/batches', requireAuth, readers, validate({ query: batchesQuery }), async (req, res) => {
    res.json(await listBatches(Number((req.query as { limit?: number }).limit ?? 20)));
  });

  r.get('/operations/batches/:batchId', requireAuth, readers, validate({ params: batchParams }), async (req, res) => {
    const batch = await getBatch(String(req.params['batchId']));
    if (!batch) throw new HttpError(404, 'batch_not_found');
    res.json(batch);
  });

  return r;
}

// ── OpenAPI (api/docs/openapi.ts spreads these paths in) ──

const security = [{ bearer: [] }];
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description = 'OK') => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (schema: Record<string, unknown>) => ({ required: true, content: { 'application/json': { schema } } });
const path = (name: string) => [{ name, in: 'path', required: true, schema: KEY }];
const guarded = { '401': err('no or bad bearer token'), '403': err('role not allowed (admin acts; admin and auditor read)') };
const actionErrors = {
  '400': err('invalid_input'),
  ...guarded,
  '404': err('incident_not_found / instance_not_found'),
  '409': err('incident_resolved / instance_not_active / not_root_instance / operation_in_progress'),
};

export function operationsApiPaths(): Record<string, unknown> {
  return {
    '/operations/processes': {
      get: {
        summary: 'processes with their versions; running instances and open incidents per version and process',
        security,
        responses: { '200': json(), ...guarded },
      },
    },
    '/operations/definitions/{processDefinitionKey}/statistics': {
      get: {
        summary: 'per element of a version: element instances active now and open incidents (the diagram badges)',
        security,
        parameters: path('processDefinitionKey'),
        responses: { '200': json(), ...guarded },
      },
    },
    '/operations/definitions/{processDefinitionKey}/xml': {
      get: {
        summary: 'the BPMN XML of a deployed version',
        security,
        parameters: path('processDefinitionKey'),
        responses: {
          '200': { description: 'BPMN XML', content: { 'application/xml': { schema: { type: 'string' } } } },
          ...guarded,
          '404': err('no such definition'),
        },
      },
    },
    '/operations/instances': {
      get: {
        summary:
          'instances newest first, filtered by process, version, state (INCIDENT: with an open incident), element, incident type, case number, start time; paged by `after`',
        security,
        parameters: Object.entries(instancesQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        responses: { '200': json(), '400': err('invalid_input / bad_cursor'), ...guarded },
      },
    },
    '/operations/instances/{processInstanceKey}': {
      get: {
        summary:
          'an instance with its case, its open incidents (error, element, job, retries) and `actions`: every retry, variable fix, cancel and migration of it from the audit log (who, role, when, why, batch, the record’s hash)',
        security,
        parameters: path('processInstanceKey'),
        responses: { '200': json(), ...guarded, '404': err('instance_not_found') },
      },
    },
    '/operations/instances/{processInstanceKey}/incidents': {
      get: {
        summary: 'the open incidents of an instance',
        security,
        parameters: path('processInstanceKey'),
        responses: { '200': json(), ...guarded, '404': err('instance_not_found') },
      },
    },
    '/operations/incidents/{incidentKey}/retry': {
      post: {
        summary: 'give the job retries (default 1) and resolve the incident; audited `ops_incident_retried` with the reason',
        security,
        parameters: path('incidentKey'),
        requestBody: body(retryBody),
        responses: { '200': json(), ...actionErrors },
      },
    },
    '/operations/incidents/{incidentKey}/variables': {
      post: {
        summary: 'set variables on the instance (or locally on the incident’s element) then resolve; audited `ops_variables_set`',
        security,
        parameters: path('incidentKey'),
        requestBody: body(variablesBody),
        responses: { '200': json(), ...actionErrors },
      },
    },
    '/operations/instances/{processInstanceKey}/cancel': {
      post: {
        summary: 'cancel a root instance; its case is closed with the reason (`ops_instance_cancelled`)',
        security,
        parameters: path('processInstanceKey'),
        requestBody: body(cancelBody),
        responses: { '200': json(), ...actionErrors },
      },
    },
    '/operations/batches': {
      get: {
        summary: 'the latest batches (`limit`, default 20, at most 100), newest first: action, who, why, filter, progress',
        security,
        parameters: [{ name: 'limit', in: 'query', required: false, schema: batchesQuery.properties.limit }],
        responses: { '200': json(), '400': err('invalid_input'), ...guarded },
      },
      post: {
        summary: 'retry every open incident of, or cancel, the instances a filter matches (at most 500); 202 with the batch',
        security,
        requestBody: body(batchBody),
        responses: { '202': json('started'), '400': err('invalid_input'), ...guarded, '422': err('batch_empty / batch_too_large') },
      },
    },
    '/operations/batches/{batchId}': {
      get: {
        summary: 'a batch’s progress and its result per instance',
        security,
        parameters: [{ name: 'batchId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': json(), ...guarded, '404': err('batch_not_found') },
      },
    },
  };
}
