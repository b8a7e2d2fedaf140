import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { checkHideCondition, HideConditionError, isHidden, type ConditionField } from './hide-conditions.js';
import {
  allComponents,
  CONTAINER_TYPES,
  INPUT_TYPES,
  inputComponents,
  PRESENTATION_TYPES,
  type FormComponent,
  type FormDefinition,
} from './form-definition.js';

/** A form definition the server cannot turn into a submission schema. Raised at derivation (deploy/start) time. */
export class FormSchemaError extends Error {
  constructor(
    readonly formId: string,
    readonly componentId: string | undefined,
    reason: string,
  ) {
    super(`form ${formId}${componentId ? `, component ${componentId}` : ''}: ${reason}`);
    this.name = 'FormSchemaError';
  }
}

/** One input field as the schema sees it. */
export interface DerivedField {
  key: string;
  componentId: string | undefined;
  type: string;
  label: string | undefined;
  /** `validate.required`; for a conditional field, required only while it is shown. */
  required: boolean;
  /** The `conditional.hide` expressions (enclosing groups first); empty when always shown. */
  hideConditions: string[];
  /** Static option values and labels (radio, select, checklist, taglist with `values`). */
  options?: ReadonlyArray<{ label: string; value: unknown }>;
  /** The variable the options come from (`valuesKey`), checked by the caller, not by the schema. */
  valuesKey?: string;
  /** `validate.patternErrorMessage`, quoted when the pattern fails. */
  patternMessage?: string;
}

/** A JSON Schema (draft-07): an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

export interface DerivedFormSchema {
  formId: string;
  /**
   * JSON Schema draft-07 of a submission (`additionalProperties: false`) apart from its hide conditions:
   * which conditional fields are shown, and so allowed and maybe required, is decided per submission by
   * evaluating the conditions with feelin as form-js does ({@link validateSubmission}).
   */
  schema: { [keyword: string]: unknown };
  fields: DerivedField[];
}

export interface FieldError {
  /** The component key ('' for the submission as a whole). */
  field: string;
  /** Stable code: required, not_allowed, unknown_field, type, option, too_short, too_long, min, max, integer, step, pattern, format, duplicate, invalid. */
  code: string;
  /** Chinese message for the clerk. */
  message: string;
}

export type SubmissionResult = { ok: true } | { ok: false; errors: FieldError[] };

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const NON_BLANK = '\\S';
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** form-js `time` / `datetime` values: `HH:mm`, optionally `Z` or an offset (timeSerializingFormat). */
const TIME = '([01]\\d|2[0-3]):[0-5]\\d(Z|[+-]\\d{2}:\\d{2})?';
const UNSUPPORTED: Record<string, string> = {
  filepicker: 'filepicker uploads through Camunda document handling; model photos as attachment ids in a textfield',
  expression: 'expression fields compute values in the browser; compute them on the server instead',
  dynamiclist: 'dynamic lists (repeating groups) are not supported',
};

/**
 * Derives the JSON Schema a submission of `form` must satisfy.
 *
 * One property per input key; `additionalProperties: false`; `required` from `validate.required` for the
 * fields always shown. Throws {@link FormSchemaError} for anything it cannot check faithfully (unknown
 * component types, FEEL-valued limits, readonly inputs, hide conditions that read what the submission does
 * not carry, …).
 */
export function deriveSchema(form: FormDefinition): DerivedFormSchema {
  const formId = form.id;
  const fail = (c: FormComponent | undefined, reason: string): never => {
    throw new FormSchemaError(formId, c?.id, reason);
  };

  for (const c of allComponents(form)) {
    if (UNSUPPORTED[c.type]) fail(c, UNSUPPORTED[c.type]!);
    if (!INPUT_TYPES.has(c.type) && !PRESENTATION_TYPES.has(c.type) && !CONTAINER_TYPES.has(c.type)) {
      fail(c, `unsupported component type '${c.type}'`);
    }
    if (CONTAINER_TYPES.has(c.type) && c.path) fail(c, 'groups with a path (nested objects) are not supported');
    if (INPUT_TYPES.has(c.type) && typeof c.key !== 'string') fail(c, `a ${c.type} needs a key`);
  }

  const inputs = inputComponents(form);
  const seen = new Set<string>();
  const fields: DerivedField[] = [];
  const properties: Record<string, JsonSchema> = {};
  for (const { component: c, key, hideConditions } of inputs) {
    if (!KEY_PATTERN.test(key)) fail(c, `key '${key}' must be a plain identifier (dotted keys make nested objects, not supported)`);
    if (seen.has(key)) fail(c, `key '${key}' is used twice`);
    seen.add(key);
    if (c.readonly !== undefined && c.readonly !== false) fail(c, 'readonly inputs are not supported: show context with a text component');
    if (c.disabled) fail(c, 'disabled inputs are not supported: show context with a text component');
    properties[key] = fieldSchema(c, (reason) => fail(c, reason));
    fields.push({
      key,
      componentId: c.id,
      type: c.type,
      label: c.label,
      required: c.validate?.required === true,
      hideConditions,
      ...(c.values && !c.valuesKey ? { options: c.values.map((o) => ({ label: o.label, value: o.value })) } : {}),
      ...(c.valuesKey ? { valuesKey: c.valuesKey } : {}),
      ...(c.validate?.patternErrorMessage ? { patternMessage: c.validate.patternErrorMessage } : {}),
    });
  }

  const conditionFields = new Map<string, ConditionField>();
  for (const f of fields) {
    if (f.hideConditions.length) continue;
    conditionFields.set(f.key, conditionFieldOf(f, inputs.find((i) => i.key === f.key)!.component));
  }

  const required: string[] = [];
  for (const f of fields) {
    if (!f.hideConditions.length) {
      if (f.required) required.push(f.key);
      continue;
    }
    const component = inputs.find((i) => i.key === f.key)!.component;
    for (const condition of f.hideConditions) {
      try {
        checkHideCondition(condition, conditionFields);
      } catch (err) {
        if (err instanceof HideConditionError) return fail(component, err.message);
        throw err;
      }
    }
  }

  const schema: { [keyword: string]: unknown } = {
    $schema: DRAFT_07,
    title: formId,
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
  };
  return { formId, schema, fields };
}

/**
 * Checks a submission against the form's derived schema (compiled once per form object).
 * Dynamic options (`valuesKey`) are only checked to be strings; compare them with the catalogue yourself.
 */
export function validateSubmission(form: FormDefinition, data: unknown): SubmissionResult {
  const { derived, validate } = compiled(form);
  const valid = validate(data);
  const errors = valid ? [] : toFieldErrors(validate.errors ?? [], derived, data);
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    for (const f of derived.fields) {
      if (!f.hideConditions.length) continue;
      const given = Object.prototype.hasOwnProperty.call(record, f.key);
      if (isHidden(f.hideConditions, record)) {
        if (given) addError(errors, f.key, 'not_allowed', '按当前选择此项不应填写');
      } else if (f.required && !given) addError(errors, f.key, 'required', '此项为必填项');
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true };
}

/** One error per field and code: the first message stays. */
function addError(errors: FieldError[], field: string, code: string, message: string): void {
  if (!errors.some((e) => e.field === field && e.code === code)) errors.push({ field, code, message });
}

/** Derives and compiles once per form object; throws FormSchemaError like {@link deriveSchema}. */
export function compileForm(form: FormDefinition): { derived: DerivedFormSchema; validate: ValidateFunction } {
  return compiled(form);
}

// helpers //////////

const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }));
const cache = new WeakMap<FormDefinition, { derived: DerivedFormSchema; validate: ValidateFunction }>();

function compiled(form: FormDefinition) {
  let entry = cache.get(form);
  if (!entry) {
    const derived = deriveSchema(form);
    entry = { derived, validate: ajv.compile(derived.schema) };
    cache.set(form, entry);
  }
  return entry;
}

function limit(value: unknown, what: string, fail: (reason: string) => never): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && value.trim().startsWith('=')) fail(`${what} is a FEEL expression; only fixed numbers can be checked on the server`);
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) fail(`${what} ${JSON.stringify(value)} is not a number`);
  return n;
}

function checkPattern(pattern: string, fail: (reason: string) => never): string {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    fail(`pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`);
  }
  return pattern;
}

function staticValues(c: FormComponent, fail: (reason: string) => never): unknown[] | undefined {
  if (c.valuesKey || c.valuesExpression) return undefined;
  if (!Array.isArray(c.values) || c.values.length === 0) fail(`a ${c.type} needs values or a valuesKey`);
  const values = c.values!.map((o) => o.value);
  for (const v of values) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`option value ${JSON.stringify(v)} is not a string, number or boolean`);
  }
  return [...new Set(values)];
}

function fieldSchema(c: FormComponent, fail: (reason: string) => never): JsonSchema {
  const v = c.validate ?? {};
  const required = v.required === true;
  const nullable = (type: string): string | string[] => (required ? type : [type, 'null']);
  switch (c.type) {
    case 'textfield':
    case 'textarea': {
      const s: Record<string, unknown> = { type: nullable('string') };
      const maxLength = limit(v.maxLength, 'maxLength', fail);
      const minLength = limit(v.minLength, 'minLength', fail);
      if (maxLength !== undefined) s['maxLength'] = maxLength;
      // form-js checks pattern, minLength and email only on a non-empty value.
      const whenFilled: Record<string, unknown> = {};
      if (minLength !== undefined) whenFilled['minLength'] = minLength;
      if (v.pattern) whenFilled['pattern'] = checkPattern(v.pattern, fail);
      if (v.validationType === 'email') whenFilled['format'] = 'email';
      else if (v.validationType) fail(`validationType '${v.validationType}' is not supported`);
      if (required) {
        // Stricter than form-js: a required text must not be blank.
        Object.assign(s, whenFilled, { minLength: Math.max(1, minLength ?? 0) });
        if (s['pattern']) s['allOf'] = [{ pattern: NON_BLANK }];
        else s['pattern'] = NON_BLANK;
      } else if (Object.keys(whenFilled).length) {
        s['if'] = { type: 'string', minLength: 1 };
        s['then'] = whenFilled;
      }
      return s;
    }
    case 'number': {
      if (c.serializeToString) fail('serializeToString numbers are not supported');
      const digits = c.decimalDigits;
      if (digits !== undefined && digits !== 0) fail('decimalDigits > 0 cannot be checked exactly in JSON Schema; use an integer unit (e.g. fen, minutes)');
      const s: Record<string, unknown> = { type: nullable(digits === 0 ? 'integer' : 'number') };
      const min = limit(v.min, 'min', fail);
      const max = limit(v.max, 'max', fail);
      if (min !== undefined) s['minimum'] = min;
      if (max !== undefined) s['maximum'] = max;
      const increment = limit(c.increment, 'increment', fail);
      if (increment !== undefined) {
        if (!Number.isInteger(increment) || increment <= 0) fail('only positive whole-number increments are supported');
        if (increment > 1) s['multipleOf'] = increment;
      }
      return s;
    }
    case 'checkbox':
      // form-js: a required checkbox must be ticked.
      return required ? { type: 'boolean', const: true } : { type: 'boolean' };
    case 'radio':
    case 'select': {
      const values = staticValues(c, fail);
      if (!values) return required ? { type: 'string', minLength: 1 } : { type: ['string', 'null'] };
      return { enum: required ? values : [...values, null] };
    }
    case 'checklist':
    case 'taglist': {
      const values = staticValues(c, fail);
      return {
        type: nullable('array'),
        items: values ? { enum: values } : { type: 'string' },
        uniqueItems: true,
        ...(required ? { minItems: 1 } : {}),
      };
    }
    case 'datetime': {
      const subtype = c.subtype ?? 'date';
      if (subtype === 'date') return { type: nullable('string'), format: 'date' };
      if (subtype === 'time') return { type: nullable('string'), pattern: `^${TIME}$` };
      if (subtype === 'datetime') return { type: nullable('string'), pattern: `^\\d{4}-\\d{2}-\\d{2}T${TIME}$` };
      return fail(`datetime subtype '${subtype}' is not supported`);
    }
    default:
      return fail(`unsupported input type '${c.type}'`);
  }
}

function conditionFieldOf(f: DerivedField, c: FormComponent): ConditionField {
  switch (c.type) {
    case 'number':
      return { key: f.key, valueType: 'number' };
    case 'checkbox':
      return { key: f.key, valueType: 'boolean' };
    case 'radio':
    case 'select':
      return f.options ? { key: f.key, valueType: 'string', values: f.options.map((o) => o.value) } : { key: f.key, valueType: 'string' };
    case 'checklist':
    case 'taglist':
      return { key: f.key, valueType: 'list' };
    default:
      return { key: f.key, valueType: 'string' };
  }
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function toFieldErrors(errors: ErrorObject[], derived: DerivedFormSchema, data: unknown): FieldError[] {
  const byKey = new Map(derived.fields.map((f) => [f.key, f]));
  const out: FieldError[] = [];
  const add = (field: string, code: string, message: string) => addError(out, field, code, message);
  const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};

  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (e.instancePath === '') {
      if (e.keyword === 'required') {
        add(String(e.params['missingProperty']), 'required', '此项为必填项');
      } else if (e.keyword === 'additionalProperties') {
        add(String(e.params['additionalProperty']), 'unknown_field', '表单中没有此字段');
      } else if (e.keyword === 'type') {
        add('', 'type', '提交内容必须是 JSON 对象');
      } else {
        add('', 'invalid', e.message ?? '提交内容不合法');
      }
      continue;
    }
    const key = decodePointer(e.instancePath.split('/')[1] ?? '');
    const field = byKey.get(key);
    const value = record[key];
    const p = e.params as Record<string, unknown>;
    if (field?.required && isEmpty(value) && ['type', 'enum', 'const', 'minLength', 'minItems', 'pattern'].includes(e.keyword)) {
      add(key, 'required', '此项为必填项');
      continue;
    }
    switch (e.keyword) {
      case 'type':
        add(key, p['type'] === 'integer' && typeof value === 'number' ? 'integer' : 'type', typeMessage(String(p['type'])));
        break;
      case 'enum':
      case 'const': {
        const labels = field?.options?.map((o) => o.label).join('、');
        if (field?.type === 'checkbox') {
          if (typeof value === 'boolean') add(key, 'required', '请勾选此项'); // else the type error says it
        } else add(key, 'option', labels ? `应为以下之一：${labels}` : '不是可选的值');
        break;
      }
      case 'minLength':
        add(key, 'too_short', `至少 ${String(p['limit'])} 个字`);
        break;
      case 'maxLength':
        add(key, 'too_long', `不能超过 ${String(p['limit'])} 个字`);
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        add(key, 'min', `不能小于 ${String(p['limit'])}`);
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        add(key, 'max', `不能大于 ${String(p['limit'])}`);
        break;
      case 'multipleOf':
        add(key, 'step', `应为 ${String(p['multipleOf'])} 的整数倍`);
        break;
      case 'pattern':
        if (p['pattern'] === NON_BLANK) add(key, 'required', '此项不能只填空格');
        else add(key, 'pattern', field?.patternMessage ?? '格式不正确');
        break;
      case 'format':
        add(key, 'format', `格式不正确（应为 ${String(p['format'])}）`);
        break;
      case 'minItems':
        add(key, 'required', '至少选择一项');
        break;
      case 'uniqueItems':
        add(key, 'duplicate', '选项重复');
        break;
      default:
        add(key, 'invalid', e.message ?? '不合法');
    }
  }
  return out;
}

function typeMessage(type: string): string {
  const names: Record<string, string> = {
    string: '文本',
    number: '数字',
    integer: '整数',
    boolean: '是/否',
    array: '列表',
    null: '空',
  };
  const wanted = type
    .split(',')
    .filter((t) => t !== 'null')
    .map((t) => names[t] ?? t);
  return `应为${wanted.join('或')}`;
}
