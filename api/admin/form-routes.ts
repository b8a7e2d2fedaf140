import { Router } from 'express';
import { FORM_ID_PATTERN, deployForm, formVersion, formVersions, listForms } from '../../domain/processes/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { oaBody, oaErr, oaGuarded, oaJson, oaPath } from './process-routes.js';

/** Form administration: form-js forms as deployed, by version; deploy a new version. Admin writes; admin and auditor read. */

const readers = requireRole('admin', 'auditor');
const writers = requireRole('admin');

export const formIdParams = {
  type: 'object',
  required: ['formId'],
  additionalProperties: false,
  properties: { formId: { type: 'string', pattern: FORM_ID_PATTERN } },
};
export const formVersionParams = {
  type: 'object',
  required: ['formId', 'version'],
  additionalProperties: false,
  properties: { formId: { type: 'string', pattern: FORM_ID_PATTERN }, version: { type: 'string', pattern: '^(latest|[1-9][0-9]{0,8})$' } },
};
/** The form itself is checked by the domain (form-js shape, id, unique keys): 422 form_definition_invalid with every problem. */
export const formDeployBody = { type: 'object', required: ['schema'], additionalProperties: false, properties: { schema: { type: 'object' } } };
export const formDeployResponse = {
  type: 'object',
  required: ['formId', 'version', 'formKey'],
  properties: { formId: { type: 'string' }, version: { type: 'integer' }, formKey: { type: 'string' }, isNew: { type: 'boolean' } },
};

export function formRoutes(port: WorkflowEngine): Router {
  const r = Router();

  r.get('/admin/forms', requireAuth, readers, validate({}), async (_req, res) => {
    res.json(await listForms());
  });

  r.get('/admin/forms/:formId/versions', requireAuth, readers, validate({ params: formIdParams }), async (req, res) => {
    const versions = await formVersions(String(req.params['formId']));
    if (!versions) throw new HttpError(404, 'form_not_found');
    res.json(versions);
  });

  r.get('/admin/forms/:formId/versions/:version', requireAuth, readers, validate({ params: formVersionParams }), async (req, res) => {
    const formId = String(req.params['formId']);
    const ref = String(req.params['version']);
    const row = await formVersion(formId, ref === 'latest' ? 'latest' : Number(ref));
    if (!row) throw new HttpError(404, (await formVersions(formId)) ? 'version_not_found' : 'form_not_found');
    res.type('application/json').send(row.schema);
  });

  r.post('/admin/forms/:formId/deploy', requireAuth, writers, validate({ params: formIdParams, body: formDeployBody }), async (req, res) => {
    const actor = actorOf(req);
    const deployed = await deployForm(port, String(req.params['formId']), (req.body as { schema: unknown }).schema, {
      username: actor.username,
      role: actor.role,
    });
    res.status(deployed.isNew ? 201 : 200).json(deployed);
  });

  return r;
}

const security = [{ bearer: [] }];
const anyArray = { type: 'array', items: { type: 'object' } };

export function formApiPaths(): Record<string, unknown> {
  return {
    '/admin/forms': { get: { summary: 'forms with their latest version', security, responses: { '200': oaJson(anyArray), ...oaGuarded } } },
    '/admin/forms/{formId}/versions': {
      get: {
        summary: 'versions of a form, newest first',
        security,
        parameters: oaPath(formIdParams),
        responses: { '200': oaJson(anyArray), ...oaGuarded, '404': oaErr('no such form') },
      },
    },
    '/admin/forms/{formId}/versions/{version}': {
      get: {
        summary: 'the form-js JSON of a version (`latest` allowed)',
        security,
        parameters: oaPath(formVersionParams),
        responses: { '200': oaJson({ type: 'object' }), ...oaGuarded, '404': oaErr('no such form or version') },
      },
    },
    '/admin/forms/{formId}/deploy': {
      post: {
        summary:
          'deploy a form-js form as a new version (type default, id = formId, components with unique keys and ids); identical JSON → 200 with the existing version',
        security,
        parameters: oaPath(formIdParams),
        requestBody: oaBody(formDeployBody),
        responses: {
          '201': oaJson(formDeployResponse, 'new version'),
          '200': oaJson(formDeployResponse, 'unchanged'),
          '400': oaErr('invalid input'),
          ...oaGuarded,
          '413': oaErr('body too large'),
          '422': oaErr('form_definition_invalid: details.errors'),
        },
      },
    },
  };
}
