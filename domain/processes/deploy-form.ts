import { compileForm, parseFormDefinition, type FormComponent } from '../forms/index.js';
import type { DeployResource, WorkflowEngine } from '../../port/workflow-engine.js';
import { withAuditChain } from '../audit/index.js';
import { DomainError } from '../shared/errors.js';
import { engineRejection } from './deploy-process.js';
import { recordDeploymentIn, type Deployer } from './versions.js';

/** A form id the engines and the tables both take (the BPMN formId it is linked by). */
export const FORM_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,190}$';
export const MAX_FORM_BYTES = 512 * 1024;

export interface FormProblem {
  path: string;
  message: string;
}

const refuse = (problems: FormProblem[]) =>
  new DomainError('INVALID_ARGUMENT', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
    apiCode: 'form_definition_invalid',
    status: 422,
    errors: problems,
  });

/**
 * What a form must be before it is deployed: a form-js definition (type `default`, schemaVersion, components)
 * whose id is the form id it is deployed under, every component with a type, ids and keys unique (form-js
 * binds data by key; two fields on one key overwrite each other), and a definition the server can turn into
 * the submission schema the task inbox checks completions against.
 */
export function checkFormDefinition(formId: string, schema: unknown): FormProblem[] {
  const text = JSON.stringify(schema);
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) return [{ path: '/', message: `larger than ${MAX_FORM_BYTES} bytes` }];
  let form;
  try {
    form = parseFormDefinition(text, 'schema');
  } catch (err) {
    return [{ path: '/', message: (err as Error).message.replace(/^schema: /, '') }];
  }
  const problems: FormProblem[] = [];
  if (form.id !== formId) problems.push({ path: '/id', message: `is '${form.id}', expected '${formId}' (the form id it is deployed under)` });
  const ids = new Map<string, string>();
  const keys = new Map<string, string>();
  const walk = (components: unknown, path: string) => {
    if (!Array.isArray(components)) return problems.push({ path, message: 'components must be an array' });
    components.forEach((raw: unknown, i: number) => {
      const at = `${path}/${i}`;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problems.push({ path: at, message: 'a component is an object' });
      const c = raw as FormComponent;
      if (typeof c.type !== 'string' || !c.type) problems.push({ path: `${at}/type`, message: 'a component needs a type' });
      if (c.id !== undefined) {
        if (typeof c.id !== 'string' || !c.id) problems.push({ path: `${at}/id`, message: 'id must be a non-empty string' });
        else if (ids.has(c.id)) problems.push({ path: `${at}/id`, message: `id '${c.id}' is used twice (also at ${ids.get(c.id)})` });
        else ids.set(c.id, at);
      }
      if (c.key !== undefined) {
        if (typeof c.key !== 'string' || !c.key) problems.push({ path: `${at}/key`, message: 'key must be a non-empty string' });
        else if (keys.has(c.key)) problems.push({ path: `${at}/key`, message: `key '${c.key}' is used twice (also at ${keys.get(c.key)})` });
        else keys.set(c.key, at);
      }
      if (c.components !== undefined) walk(c.components, `${at}/components`);
      return undefined;
    });
    return undefined;
  };
  walk(form.components, '/components');
  if (problems.length) return problems;
  try {
    compileForm(form);
  } catch (err) {
    problems.push({ path: '/', message: `the server cannot derive the submission schema: ${(err as Error).message}` });
  }
  return problems;
}

/**
 * Deploys a form as a new version (identical JSON: the existing version back). The form is stored as JSON
 * with two-space indentation, the layout of forms/*.form, so the same definition always deploys the same text.
 */
export async function deployForm(
  engine: WorkflowEngine,
  formId: string,
  schema: unknown,
  by: Deployer,
): Promise<{ formId: string; version: number; formKey: string; isNew: boolean }> {
  const problems = checkFormDefinition(formId, schema);
  if (problems.length) throw refuse(problems);
  const resources: DeployResource[] = [{ name: `${formId}.form`, content: `${JSON.stringify(schema, null, 2)}\n` }];
  let result;
  try {
    result = await engine.deploy(resources);
  } catch (err) {
    const rejected = engineRejection(err);
    if (rejected) throw refuse(rejected.map((p) => ({ path: '/', message: p.message })));
    throw err;
  }
  const deployed = result.forms.find((f) => f.formId === formId);
  if (!deployed) throw new Error(`the engine deployed no form '${formId}'`);
  const isNew = await withAuditChain(async (chain) => {
    const recorded = await recordDeploymentIn(chain, resources, { processes: [], forms: [deployed] }, by);
    const fresh = recorded.forms[0]?.isNew ?? false;
    if (!fresh)
      await chain.append({
        caseId: null,
        actor: by.username,
        actorRole: by.role,
        action: 'form.deploy_unchanged',
        detail: { formId, version: deployed.version, formKey: deployed.formKey },
      });
    return fresh;
  });
  return { formId, version: deployed.version, formKey: deployed.formKey, isNew };
}
