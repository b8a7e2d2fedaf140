import { Router } from 'express';
import { lintBpmn, RULES_OFF } from '../../domain/lint/index.js';
import {
  deleteDraft,
  deployProcess,
  deployedProcessIds,
  diffProcessXml,
  elementTemplates,
  listProcesses,
  processVersion,
  processVersions,
  readBpmn,
  readDraft,
  saveDraft,
  PROCESS_ID_PATTERN,
} from '../../domain/processes/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate, type Schema } from '../http/validate.js';

/**
 * Process-definition administration: versions as deployed, the modeler's drafts, lint with the modeler's
 * rules, deploy (lint errors → 422, nothing deployed), diff between versions, element templates for the
 * worker job types. Administrators write; administrators and auditors read; everyone else 403.
 *
 * Diagrams are larger than the API's 256 KB JSON limit: app.ts parses the bodies of these paths with
 * {@link ADMIN_JSON_LIMIT} first, and the XML itself is capped at 2 MB (domain/processes/xml-input.ts).
 */
export const ADMIN_JSON_LIMIT = '4mb';
/** The paths whose JSON bodies may carry a whole diagram or form. */
export const ADMIN_LARGE_BODY_PATHS = ['/api/admin/processes', '/api/admin/lint', '/api/admin/forms', '/api/admin/decisions'];

const readers = requireRole('admin', 'auditor');
const writers = requireRole('admin');

export const processIdParams = {
  type: 'object',
  required: ['processId'],
  additionalProperties: false,
  properties: { processId: { type: 'string', pattern: PROCESS_ID_PATTERN } },
};
export const versionParams = {
  type: 'object',
  required: ['processId', 'version'],
  additionalProperties: false,
  properties: { processId: { type: 'string', pattern: PROCESS_ID_PATTERN }, version: { type: 'string', pattern: '^(latest|[1-9][0-9]{0,8})$' } },
};
/** The XML travels as a JSON string; its size is checked in bytes by the domain (413 xml_too_large). */
export const xmlBody = {
  type: 'object',
  required: ['xml'],
  additionalProperties: false,
  properties: { xml: { type: 'string', minLength: 1, maxLength: 4 * 1024 * 1024 } },
};
const versionRef = { type: 'string', pattern: '^(latest|draft|[1-9][0-9]{0,8})$' };
export const diffQuery = { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: versionRef, to: versionRef } };

const lintProblem = {
  type: 'object',
  required: ['elementId', 'message', 'severity', 'rule', 'source'],
  properties: {
    elementId: { type: ['string', 'null'] },
    message: { type: 'string' },
    severity: { enum: ['error', 'warning'] },
    rule: { type: 'string' },
    source: { enum: ['camunda-compat', 'recommended', 'engine'] },
  },
};
export const lintResponse = {
  type: 'object',
  required: ['problems'],
  properties: { problems: { type: 'array', items: lintProblem }, rulesOff: { type: 'array', items: { type: 'object' } } },
};
export const deployResponse = {
  type: 'object',
  required: ['processId', 'version', 'processDefinitionKey'],
  properties: { processId: { type: 'string' }, version: { type: 'integer' }, processDefinitionKey: { type: 'string' }, isNew: { type: 'boolean' } },
};
const diffElement = { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, name: { type: ['string', 'null'] } } };
export const diffResponse = {
  type: 'object',
  required: ['added', 'removed', 'changed', 'layoutChanged'],
  properties: {
    added: { type: 'array', items: diffElement },
    removed: { type: 'array', items: diffElement },
    changed: { type: 'array', items: { ...diffElement, properties: { ...diffElement.properties, attrs: { type: 'object' } } } },
    layoutChanged: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
  },
};

const byOf = (req: Parameters<typeof actorOf>[0]) => {
  const a = actorOf(req);
  return { username: a.username, role: a.role };
};

async function xmlOf(processId: string, ref: string): Promise<string> {
  if (ref === 'draft') {
    const draft = await readDraft(processId);
    if (!draft) throw new HttpError(404, 'draft_not_found');
    return draft.xml;
  }
  const row = await processVersion(processId, ref === 'latest' ? 'latest' : Number(ref));
  if (!row) throw new HttpError(404, (await processVersions(processId)) ? 'version_not_found' : 'process_not_found');
  return row.xml;
}

export function processRoutes(port: WorkflowEngine): Router {
  const r = Router();

  r.get('/admin/processes', requireAuth, readers, validate({}), async (_req, res) => {
    res.json(await listProcesses());
  });

  r.post('/admin/processes/deploy', requireAuth, writers, validate({ body: xmlBody }), async (req, res) => {
    const outcome = await deployProcess(port, (req.body as { xml: string }).xml, byOf(req));
    if (outcome.kind === 'lint_failed') throw new HttpError(422, 'lint_failed', undefined, { problems: outcome.problems });
    const { processId, version, processDefinitionKey, isNew } = outcome;
    // a new version is created (201); identical XML gets the existing version back (200), as the engines do
    res.status(isNew ? 201 : 200).json({ processId, version, processDefinitionKey, isNew });
  });

  r.get('/admin/processes/:processId/versions', requireAuth, readers, validate({ params: processIdParams }), async (req, res) => {
    const versions = await processVersions(String(req.params['processId']));
    if (!versions) throw new HttpError(404, 'process_not_found');
    res.json(versions);
  });

  r.get('/admin/processes/:processId/versions/:version/xml', requireAuth, readers, validate({ params: versionParams }), async (req, res) => {
    const xml = await xmlOf(String(req.params['processId']), String(req.params['version']));
    res.type('application/xml').send(xml);
  });

  r.get('/admin/processes/:processId/draft', requireAuth, readers, validate({ params: processIdParams }), async (req, res) => {
    const draft = await readDraft(String(req.params['processId']));
    if (!draft) throw new HttpError(404, 'draft_not_found');
    res.json(draft);
  });

  r.put('/admin/processes/:processId/draft', requireAuth, writers, validate({ params: processIdParams, body: xmlBody }), async (req, res) => {
    res.json(await saveDraft(String(req.params['processId']), (req.body as { xml: string }).xml, byOf(req)));
  });

  r.delete('/admin/processes/:processId/draft', requireAuth, writers, validate({ params: processIdParams }), async (req, res) => {
    if (!(await deleteDraft(String(req.params['processId']), byOf(req)))) throw new HttpError(404, 'draft_not_found');
    res.status(204).end();
  });

  r.get('/admin/processes/:processId/diff', requireAuth, readers, validate({ params: processIdParams, query: diffQuery }), async (req, res) => {
    const processId = String(req.params['processId']);
    const q = req.query as { from: string; to: string };
    res.json(await diffProcessXml(await xmlOf(processId, String(q.from)), await xmlOf(processId, String(q.to))));
  });

  // lint answers, changes nothing: auditors may run it too
  r.post('/admin/lint', requireAuth, readers, validate({ body: xmlBody }), async (req, res) => {
    const xml = (req.body as { xml: string }).xml;
    await readBpmn(xml); // size, DOCTYPE and well-formedness first: 4xx, not a lint list, for what is no diagram
    res.json({ problems: await lintBpmn(xml, { deployedProcessIds: await deployedProcessIds() }), rulesOff: RULES_OFF });
  });

  // the job types and what they read and write come from the process contract (processes/contract.ts)
  r.get('/admin/element-templates', requireAuth, readers, validate({}), (_req, res) => {
    res.json(elementTemplates());
  });

  return r;
}

// ── OpenAPI (api/docs/openapi.ts spreads these paths in) ──

const errorRef = { $ref: '#/components/schemas/Error' };
export const oaErr = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
export const oaJson = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const oaBody = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
export const oaPath = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'path', required: true, schema: s }));
export const oaQuery = (schema: { properties: Record<string, Schema>; required?: string[] }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: s }));
export const oaGuarded = { '401': oaErr('no or bad bearer token'), '403': oaErr('role not allowed (admin writes; admin and auditor read)') };
const security = [{ bearer: [] }];
const anyArray = { type: 'array', items: { type: 'object' } };

export function processApiPaths(): Record<string, unknown> {
  return {
    '/admin/processes': {
      get: { summary: 'processes with their latest version (and those with only a draft)', security, responses: { '200': oaJson(anyArray), ...oaGuarded } },
    },
    '/admin/processes/deploy': {
      post: {
        summary:
          'deploy a BPMN document (one process) as a new version; lint errors → 422 lint_failed, nothing deployed; identical XML → 200 with the existing version',
        security,
        requestBody: oaBody(xmlBody),
        responses: {
          '201': oaJson(deployResponse, 'new version'),
          '200': oaJson(deployResponse, 'unchanged: the existing version'),
          '400': oaErr('not BPMN, DOCTYPE, not exactly one process'),
          ...oaGuarded,
          '413': oaErr('XML over 2 MB'),
          '422': oaErr('lint_failed: details.problems'),
        },
      },
    },
    '/admin/processes/{processId}/versions': {
      get: {
        summary: 'versions, newest first',
        security,
        parameters: oaPath(processIdParams),
        responses: { '200': oaJson(anyArray), ...oaGuarded, '404': oaErr('no such process') },
      },
    },
    '/admin/processes/{processId}/versions/{version}/xml': {
      get: {
        summary: 'the XML of a version as deployed (`latest` allowed)',
        security,
        parameters: oaPath(versionParams),
        responses: {
          '200': { description: 'BPMN XML', content: { 'application/xml': { schema: { type: 'string' } } } },
          ...oaGuarded,
          '404': oaErr('no such process or version'),
        },
      },
    },
    '/admin/processes/{processId}/draft': {
      get: {
        summary: 'the saved draft',
        security,
        parameters: oaPath(processIdParams),
        responses: { '200': oaJson({ type: 'object' }), ...oaGuarded, '404': oaErr('no draft') },
      },
      put: {
        summary: 'save the draft (replaces it; the document’s process id must be the path’s)',
        security,
        parameters: oaPath(processIdParams),
        requestBody: oaBody(xmlBody),
        responses: { '200': oaJson({ type: 'object' }), '400': oaErr('not BPMN or id mismatch'), ...oaGuarded, '413': oaErr('XML over 2 MB') },
      },
      delete: {
        summary: 'drop the draft',
        security,
        parameters: oaPath(processIdParams),
        responses: { '204': { description: 'dropped' }, ...oaGuarded, '404': oaErr('no draft') },
      },
    },
    '/admin/processes/{processId}/diff': {
      get: {
        summary: 'bpmn-js-differ between two versions (`latest`, `draft` allowed)',
        security,
        parameters: [...oaPath(processIdParams), ...oaQuery(diffQuery)],
        responses: { '200': oaJson(diffResponse), '400': oaErr('bad version'), ...oaGuarded, '404': oaErr('no such process, version or draft') },
      },
    },
    '/admin/lint': {
      post: {
        summary: 'lint: bpmnlint camunda-compat 8.8 + recommended, and the embedded engine’s supported set',
        security,
        requestBody: oaBody(xmlBody),
        responses: { '200': oaJson(lintResponse), '400': oaErr('not BPMN or DOCTYPE'), ...oaGuarded, '413': oaErr('XML over 2 MB') },
      },
    },
    '/admin/element-templates': {
      get: { summary: 'Camunda 8 element templates, one per worker job type', security, responses: { '200': oaJson(anyArray), ...oaGuarded } },
    },
  };
}
