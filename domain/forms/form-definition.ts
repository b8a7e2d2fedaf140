/**
 * The parts of a form-js (Camunda Forms, schemaVersion 19) definition this project reads.
 * A `.form` file is JSON; everything not listed here is passed through untouched.
 */
import { FormDefinitionError } from './form-messages.js';

export interface FormOption {
  label: string;
  value: unknown;
}

export interface FormValidate {
  required?: boolean;
  minLength?: number | string;
  maxLength?: number | string;
  min?: number | string;
  max?: number | string;
  pattern?: string;
  patternErrorMessage?: string;
  validationType?: string;
}

export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  path?: string;
  label?: string;
  description?: string;
  text?: string;
  readonly?: boolean | string;
  disabled?: boolean;
  validate?: FormValidate;
  values?: FormOption[];
  valuesKey?: string;
  valuesExpression?: string;
  conditional?: { hide?: string };
  components?: FormComponent[];
  decimalDigits?: number;
  increment?: number | string;
  serializeToString?: boolean;
  subtype?: string;
  [other: string]: unknown;
}

export interface FormDefinition {
  type: string;
  id: string;
  schemaVersion: number;
  components: FormComponent[];
  [other: string]: unknown;
}

/** Components that submit a value under their `key`. */
export const INPUT_TYPES: ReadonlySet<string> = new Set(['textfield', 'textarea', 'number', 'checkbox', 'radio', 'select', 'checklist', 'taglist', 'datetime']);

/** Components that only show something; they submit nothing. */
export const PRESENTATION_TYPES: ReadonlySet<string> = new Set([
  'text',
  'html',
  'image',
  'spacer',
  'separator',
  'button',
  'table',
  'iframe',
  'documentPreview',
]);

/** Containers whose children are laid out inside them; `group` without `path` adds nothing to the data. */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set(['group']);

/** An input component with the hide conditions of its enclosing groups, innermost last. */
export interface InputComponent {
  component: FormComponent;
  key: string;
  /** `conditional.hide` of each enclosing group and of the component itself. */
  hideConditions: string[];
}

/** Every component of the form, depth first, groups included. */
export function allComponents(form: FormDefinition): FormComponent[] {
  const out: FormComponent[] = [];
  const walk = (components: FormComponent[] | undefined) => {
    for (const c of components ?? []) {
      out.push(c);
      walk(c.components);
    }
  };
  walk(form.components);
  return out;
}

/** Input components in form order (keyless and presentational components are skipped). */
export function inputComponents(form: FormDefinition): InputComponent[] {
  const out: InputComponent[] = [];
  const walk = (components: FormComponent[] | undefined, inherited: string[]) => {
    for (const c of components ?? []) {
      const own = c.conditional?.hide ? [...inherited, c.conditional.hide] : inherited;
      if (INPUT_TYPES.has(c.type) && typeof c.key === 'string') out.push({ component: c, key: c.key, hideConditions: own });
      if (c.components) walk(c.components, own);
    }
  };
  walk(form.components, []);
  return out;
}

/** Reads a `.form` file's text; throws when it is not a form-js definition at all. */
export function parseFormDefinition(text: string, source = 'form'): FormDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FormDefinitionError(source, 'not_json', { detail: (err as Error).message }, { cause: err });
  }
  const f = json as Partial<FormDefinition> | null;
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new FormDefinitionError(source, 'not_object');
  if (f.type !== 'default') throw new FormDefinitionError(source, 'not_default', { type: JSON.stringify(f.type) ?? 'undefined' });
  if (typeof f.id !== 'string' || !f.id) throw new FormDefinitionError(source, 'no_id');
  if (typeof f.schemaVersion !== 'number') throw new FormDefinitionError(source, 'no_schema_version');
  if (!Array.isArray(f.components)) throw new FormDefinitionError(source, 'components_array');
  return f as FormDefinition;
}
