/**
 * Why a form definition is refused (deploying one: domain/processes/deploy-form.ts), by key, in both
 * languages: the English goes into the problem at once, the Chinese to a Chinese caller
 * (api/http/problem-messages.ts). Field names of form-js (`components`, `schemaVersion` …) stay as written.
 */
import { fillIn, type MessageParams, type Wording } from '../shared/wording.js';

export const FORM_MESSAGES = {
  not_json: { en: 'not JSON: {detail}', zh: '不是有效的 JSON：{detail}' },
  not_object: { en: 'a form definition is a JSON object', zh: '表单定义须为 JSON 对象' },
  not_default: { en: 'type must be "default", got {type}', zh: 'type 须为 "default"（此处为 {type}）' },
  no_id: { en: 'id is missing', zh: '缺少 id' },
  no_schema_version: { en: 'schemaVersion is missing', zh: '缺少 schemaVersion' },
  components_array: { en: 'components must be an array', zh: 'components 须为数组' },
  too_large: { en: 'larger than {max} bytes', zh: '超过 {max} 字节' },
  id_mismatch: { en: "is '{id}', expected '{formId}' (the form id it is deployed under)", zh: '为 {id}，应与部署所用的表单 ID {formId} 一致' },
  component_object: { en: 'a component is an object', zh: '组件须为对象' },
  component_type: { en: 'a component needs a type', zh: '组件缺少 type' },
  id_string: { en: 'id must be a non-empty string', zh: 'id 须为非空文本' },
  id_twice: { en: "id '{id}' is used twice (also at {other})", zh: 'id {id} 重复（另见 {other}）' },
  key_string: { en: 'key must be a non-empty string', zh: 'key 须为非空文本' },
  key_twice: { en: "key '{key}' is used twice (also at {other})", zh: 'key {key} 重复（另见 {other}）：两个字段会互相覆盖' },
  no_submission_schema: { en: 'the server cannot derive the submission schema: {detail}', zh: '服务器无法据此表单生成提交校验规则：{detail}' },
} satisfies Record<string, Wording>;

export type FormMessageKey = keyof typeof FORM_MESSAGES;

/** A keyed refusal of a form definition: `form.<key>`, its parameters and its English. */
export function formWording(key: FormMessageKey, params?: MessageParams): { key: `form.${FormMessageKey}`; params?: MessageParams; message: string } {
  return { key: `form.${key}`, ...(params ? { params } : {}), message: fillIn(FORM_MESSAGES[key].en, params) };
}

/** A definition that is no form-js form at all (parseFormDefinition), with the key of what is wrong. */
export class FormDefinitionError extends Error {
  readonly wording: ReturnType<typeof formWording>;
  constructor(source: string, key: FormMessageKey, params?: MessageParams, options?: ErrorOptions) {
    const wording = formWording(key, params);
    super(`${source}: ${wording.message}`, options);
    this.name = 'FormDefinitionError';
    this.wording = wording;
  }
}
