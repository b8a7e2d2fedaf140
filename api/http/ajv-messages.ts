/**
 * ajv's problems in the caller's language. ajv words its messages in English ("must match pattern …");
 * a Chinese page shows them beside the field, so each keyword gets a Chinese sentence here. The keyword and
 * the JSON pointer stay as they are: clients act on those, the message is for people. A pattern is not
 * quoted back (a regular expression tells a clerk nothing); the field's hint on the form says what is expected.
 */
import type { ErrorObject } from 'ajv';

type Params = Record<string, unknown>;

const FORMATS: Record<string, string> = {
  date: '日期（YYYY-MM-DD）',
  'date-time': '日期时间（ISO 8601）',
  email: '电子邮箱地址',
  uri: '网址（URL）',
  uuid: 'UUID',
};

const TYPES: Record<string, string> = {
  string: '文本',
  number: '数字',
  integer: '整数',
  boolean: '是或否（true/false）',
  object: '对象',
  array: '列表',
  null: '空值（null）',
};

const typeName = (t: unknown) => (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPES[String(x)] ?? String(x)).join('或');

/** Chinese per keyword; a keyword not listed keeps ajv's English (better than nothing said). */
const ZH: Record<string, (p: Params) => string> = {
  required: (p) => `缺少必填项 ${String(p['missingProperty'])}`,
  additionalProperties: (p) => `不允许的字段 ${String(p['additionalProperty'])}`,
  type: (p) => `应为${typeName(p['type'])}`,
  pattern: () => '格式不符合要求',
  format: (p) => `应为有效的${FORMATS[String(p['format'])] ?? String(p['format'])}`,
  minLength: (p) => (p['limit'] === 1 ? '不能为空' : `至少 ${String(p['limit'])} 个字符`),
  maxLength: (p) => `最多 ${String(p['limit'])} 个字符`,
  minimum: (p) => `不能小于 ${String(p['limit'])}`,
  maximum: (p) => `不能大于 ${String(p['limit'])}`,
  exclusiveMinimum: (p) => `应大于 ${String(p['limit'])}`,
  exclusiveMaximum: (p) => `应小于 ${String(p['limit'])}`,
  multipleOf: (p) => `应为 ${String(p['multipleOf'])} 的整数倍`,
  enum: (p) => `应为以下值之一：${(p['allowedValues'] as unknown[] | undefined)?.map(String).join('、') ?? ''}`,
  const: (p) => `应为 ${String(p['allowedValue'])}`,
  minItems: (p) => `至少 ${String(p['limit'])} 项`,
  maxItems: (p) => `最多 ${String(p['limit'])} 项`,
  uniqueItems: (p) => `第 ${Number(p['j']) + 1} 项与第 ${Number(p['i']) + 1} 项重复`,
  minProperties: (p) => `至少 ${String(p['limit'])} 个字段`,
  maxProperties: (p) => `最多 ${String(p['limit'])} 个字段`,
  dependentRequired: (p) => `有 ${String(p['property'])} 时须同时有 ${String(p['missingProperty'])}`,
  propertyNames: () => '字段名不符合要求',
  oneOf: () => '应恰好符合一种允许的写法',
  anyOf: () => '应符合允许的写法之一',
  not: () => '不允许这样的值',
  if: () => '不符合条件要求',
  contains: () => '缺少要求的项',
};

/** One ajv problem's message: Chinese unless the caller asked for English. */
export function ajvMessage(e: ErrorObject, english: boolean): string {
  if (english) return e.message ?? '';
  const zh = ZH[e.keyword];
  return zh ? zh(e.params as Params) : (e.message ?? '');
}

/** The checks ajv cannot express (validate.ts: unusable values), in both languages. */
export const UNUSABLE = {
  loneSurrogate: { en: 'must be well-formed Unicode (a lone surrogate)', zh: '含有无效字符（孤立的代理项）' },
  notFinite: { en: 'must be a finite number', zh: '应为有限的数字' },
  tooBig: { en: 'must be at most 2^53 - 1 in magnitude', zh: '绝对值不能超过 2^53 - 1' },
  tooDeep: { en: 'must be nested at most {depth} levels deep', zh: '嵌套不能超过 {depth} 层' },
  badKey: { en: 'a property name must be well-formed Unicode', zh: '字段名含有无效字符' },
  notDecimal: { en: 'must be a decimal number', zh: '应为十进制数字' },
} as const;
