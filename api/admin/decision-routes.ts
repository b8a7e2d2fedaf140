import { Router } from 'express';
import { lintDmn } from '../../domain/lint/index.js';
import { DRG_ID_PATTERN, checkXmlInput, decisionFileVersion, decisionFileVersions, deployDecision, listDecisionFiles } from '../../domain/processes/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { lintResponse, oaBody, oaErr, oaGuarded, oaJson, oaPath, xmlBody } from './process-routes.js';

/**
 * Decision administration (issue 15): DMN files (decision requirements graphs) as deployed, by version; lint with
 * the engine's own check; deploy a new version. Admin writes; admin and auditor read and lint.
 */

const readers = requireRole('admin', 'auditor');
const writers = requireRole('admin');

export const drgIdParams = {
  type: 'object',
  required: ['drgId'],
  additionalProperties: false,
  properties: { drgId: { type: 'string', pattern: DRG_ID_PATTERN } },
};
export const drgVersionParams = {
  type: 'object',
  required: ['drgId', 'version'],
  additionalProperties: false,
  properties: { drgId: { type: 'string', pattern: DRG_ID_PATTERN }, version: { type: 'string', pattern: '^(latest|[1-9][0-9]{0,8})$' } },
};
export const decisionDeployResponse = {
  type: 'object',
  required: ['drgId', 'version', 'isNew', 'problems'],
  properties: { drgId: { type: 'string' }, version: { type: 'integer' }, isNew: { type: 'boolean' }, problems: { type: 'array', items: { type: 'object' } } },
};

export function decisionRoutes(port: WorkflowEngine): Router {
  const r = Router();

  r.get('/admin/decisions', requireAuth, readers, validate({}), async (_req, res) => {
    res.json(await listDecisionFiles());
  });

  r.get('/admin/decisions/:drgId/versions', requireAuth, readers, validate({ params: drgIdParams }), async (req, res) => {
    const versions = await decisionFileVersions(String(req.params['drgId']));
    if (!versions) throw new HttpError(404, 'decision_not_found');
    res.json(versions);
  });

  r.get('/admin/decisions/:drgId/versions/:version', requireAuth, readers, validate({ params: drgVersionParams }), async (req, res) => {
    const drgId = String(req.params['drgId']);
    const ref = String(req.params['version']);
    const row = await decisionFileVersion(drgId, ref === 'latest' ? 'latest' : Number(ref));
    if (!row) throw new HttpError(404, (await decisionFileVersions(drgId)) ? 'version_not_found' : 'decision_not_found');
    res.type('application/xml').send(row.xml);
  });

  // lint answers, changes nothing: auditors may run it too
  r.post('/admin/decisions/lint', requireAuth, readers, validate({ body: xmlBody }), async (req, res) => {
    const xml = (req.body as { xml: string }).xml;
    checkXmlInput(xml);
    res.json({ problems: await lintDmn(xml), rulesOff: [] });
  });

  r.post('/admin/decisions/:drgId/deploy', requireAuth, writers, validate({ params: drgIdParams, body: xmlBody }), async (req, res) => {
    const actor = actorOf(req);
    const deployed = await deployDecision(port, String(req.params['drgId']), (req.body as { xml: string }).xml, {
      username: actor.username,
      role: actor.role,
    });
    res.status(deployed.isNew ? 201 : 200).json(deployed);
  });

  return r;
}

const security = [{ bearer: [] }];
const anyArray = { type: 'array', items: { type: 'object' } };

export function decisionApiPaths(): Record<string, unknown> {
  return {
    '/admin/decisions': {
      get: {
        summary: 'DMN files (decision requirements graphs) with their latest version and decision ids',
        security,
        responses: { '200': oaJson(anyArray), ...oaGuarded },
      },
    },
    '/admin/decisions/{drgId}/versions': {
      get: {
        summary: 'versions of a DMN file, newest first',
        security,
        parameters: oaPath(drgIdParams),
        responses: { '200': oaJson(anyArray), ...oaGuarded, '404': oaErr('no such DMN file') },
      },
    },
    '/admin/decisions/{drgId}/versions/{version}': {
      get: {
        summary: 'the DMN XML of a version (`latest` allowed)',
        security,
        parameters: oaPath(drgVersionParams),
        responses: {
          '200': { description: 'DMN XML', content: { 'application/xml': { schema: { type: 'string' } } } },
          ...oaGuarded,
          '404': oaErr('no such file or version'),
        },
      },
    },
    '/admin/decisions/lint': {
      post: {
        summary: "lint a DMN file: the engine's deploy check (errors) and naming advice (warnings); changes nothing",
        security,
        requestBody: oaBody(xmlBody),
        responses: { '200': oaJson(lintResponse), '400': oaErr('not XML, or a DOCTYPE'), ...oaGuarded, '413': oaErr('xml_too_large') },
      },
    },
    '/admin/decisions/{drgId}/deploy': {
      post: {
        summary:
          'deploy a DMN file as the next version of its DRG (definitions id = drgId); lint errors → 422 decision_definition_invalid; identical XML → 200 with the existing version',
        security,
        parameters: oaPath(drgIdParams),
        requestBody: oaBody(xmlBody),
        responses: {
          '201': oaJson(decisionDeployResponse, 'new version'),
          '200': oaJson(decisionDeployResponse, 'unchanged'),
          '400': oaErr('invalid input'),
          ...oaGuarded,
          '413': oaErr('xml_too_large'),
          '422': oaErr('decision_definition_invalid: details.errors (the lint errors)'),
        },
      },
    },
  };
}
