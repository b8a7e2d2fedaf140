import { compileForm, parseFormDefinition, type FormComponent } from '../forms/index.js';
import { FormDefinitionError, formWording, type FormMessageKey } from '../forms/form-messages.js';
import type { MessageParams } from '../shared/wording.js';
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
  /** `form.<key>` (domain/forms/form-messages.ts), for the caller's language */
  key?: string;
  params?: MessageParams;
}

const problem = (path: string, key: FormMessageKey, params?: MessageParams): FormProblem => ({ path, ...formWording(key, params) });

const refuse = (problems: FormProblem[]) =>
  new DomainError('INVALID_ARGUMENT', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
    apiCode: 'form_definition_invalid',
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
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) return [problem('/', 'too_large', { max: MAX_FORM_BYTES })];
  let form;
  try {
    form = parseFormDefinition(text, 'schema');
  } catch (err) {
    return [err instanceof FormDefinitionError ? { path: '/', ...err.wording } : { path: '/', message: (err as Error).message.replace(/^schema: /, '') }];
  }
  const problems: FormProblem[] = [];
  if (form.id !== formId) problems.push(problem('/id', 'id_mismatch', { id: form.id, formId }));
  const ids = new Map<string, string>();
  const keys = new Map<string, string>();
  const walk = (components: unknown, path: string) => {
    if (!Array.isArray(components)) return problems.push(problem(path, 'components_array'));
    components.forEach((raw: unknown, i: number) => {
      const at = `${path}/${i}`;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problems.push(problem(at, 'component_object'));
      const c = raw as FormComponent;
      if (typeof c.type !== 'string' || !c.type) problems.push(problem(`${at}/type`, 'component_type'));
      if (c.id !== undefined) {
        if (typeof c.id !== 'string' || !c.id) problems.push(problem(`${at}/id`, 'id_string'));
        else if (ids.has(c.id)) problems.push(problem(`${at}/id`, 'id_twice', { id: c.id, other: ids.get(c.id)! }));
        else ids.set(c.id, at);
      }
      if (c.key !== undefined) {
        if (typeof c.key !== 'string' || !c.key) problems.push(problem(`${at}/key`, 'key_string'));
        else if (keys.has(c.key)) problems.push(problem(`${at}/key`, 'key_twice', { key: c.key, other: keys.get(c.key)! }));
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
    problems.push(problem('/', 'no_submission_schema', { detail: (err as Error).message }));
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
