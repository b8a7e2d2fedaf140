/**
 * What the registry administration says about a refused field, by key, in both languages. The checks
 * (column-checks.ts, the registry services) name a key and its parameters; the English is filled in at once,
 * the Chinese by the API for a Chinese caller.
 */
import { fillIn, type MessageParams, type Wording } from '../shared/wording.js';

/** The records that may still refer to a registry entry (the `what` of `in_use`). */
const REFERENCES: Record<string, string> = {
  'child units': '下级单位',
  'child communities': '下级社区',
  grids: '网格',
  users: '用户',
  'event types': '事件类型',
  'governance items': '治理事项',
  cases: '案卷',
  tasks: '任务',
  'grid workers': '网格员',
};

export const REGISTRY_MESSAGES = {
  required: { en: 'is required', zh: '必填' },
  not_a_date: { en: '{value} is not a calendar date YYYY-MM-DD', zh: '{value} 不是有效的日期（YYYY-MM-DD）' },
  stage_name: { en: 'no ; or = and no surrounding spaces', zh: '名称中不能有 ; 或 =，首尾不能有空格' },
  keyword: { en: 'a keyword is not blank and has no |', zh: '关键词不能为空，也不能含有 |' },
  unknown_unit: { en: '{code} is not a known unit', zh: '单位 {code} 不存在' },
  unknown_event_type: { en: '{code} is not a known event type', zh: '事件类型 {code} 不存在' },
  unknown_township: { en: '{code} is not a known township', zh: '街道（乡镇）{code} 不存在' },
  unknown_community: { en: '{code} is not a known community of {township}', zh: '{township} 下没有社区 {code}' },
  unknown_grid: { en: '{code} is not a known grid', zh: '网格 {code} 不存在' },
  own_parent: { en: 'a unit cannot be its own parent', zh: '单位不能是自己的上级' },
  community_parent: { en: 'a community belongs to a township', zh: '社区须隶属于街道（乡镇）' },
  parent_below: { en: '{code} is below this unit', zh: '{code} 是本单位的下级，不能作为上级' },
  unit_role: { en: 'a {role} belongs to a unit', zh: '该角色须属于某个单位' },
  grid_worker_grids: { en: 'a grid worker patrols at least one grid', zh: '网格员至少负责一个网格' },
  grids_for_workers: { en: 'only grid workers have grids', zh: '只有网格员可以分配网格' },
  taken: { en: '{value} is already taken', zh: '{value} 已被占用' },
  in_use: {
    en: 'referenced by {n} {what}; switch it off with enabled: false instead',
    zh: '仍有 {n} 个{what}引用它；请改为停用（enabled: false）',
    names: { what: REFERENCES },
  },
  in_use_account: {
    en: 'referenced by {n} {what}; switch the account off with enabled: false instead',
    zh: '仍有 {n} 个{what}引用该账号；请改为停用（enabled: false）',
    names: { what: REFERENCES },
  },
  in_use_kind: {
    en: 'referenced by {n} {what}; the kind cannot change while they do',
    zh: '仍有 {n} 个{what}引用它，不能更改类型',
    names: { what: REFERENCES },
  },
  in_use_table: {
    en: 'referenced by rows of {table}; switch it off with enabled: false instead',
    zh: '仍被 {table} 表中的记录引用；请改为停用（enabled: false）',
  },
  self_lockout: { en: 'you cannot disable, demote or delete your own account', zh: '不能停用、降级或删除自己的账号' },
  // the importer's column checks (db/import/columns.ts), read from their English by column-checks.ts
  column_code: { en: '{value} must be 2–32 letters, digits, _ or -', zh: '{value} 须为 2–32 位字母、数字、_ 或 -' },
  column_one_of: { en: '{value} must be one of {allowed}', zh: '{value} 须为以下之一：{allowed}' },
  column_max_length: { en: '{value} longer than {max} characters', zh: '{value} 超过 {max} 个字符' },
  column_number: { en: '{value} must be a number from {min} to {max}', zh: '{value} 须为 {min} 到 {max} 之间的数字' },
  column_duration: { en: '{value} must be a duration like 30m, 4h or 0.5d', zh: '{value} 须为时长，如 30m、4h 或 0.5d' },
  column_phone: { en: '{value} must be 7–20 digits, +, - or spaces', zh: '{value} 须为 7–20 位数字、+、- 或空格' },
  column_code_list: { en: '{value} must be codes separated by |', zh: '{value} 须为以 | 分隔的编码' },
  column_polygon: {
    en: '{value} must be a closed ring "lng lat, lng lat, ..." of at least 4 points',
    zh: '{value} 须为至少 4 个点首尾相接的闭合环（"经度 纬度, 经度 纬度, ..."）',
  },
  column_polygon_outside: { en: '{value} has a point outside longitude 73–136 / latitude 3–54', zh: '{value} 有点超出经度 73–136、纬度 3–54 的范围' },
  column_polygon_area: { en: '{value} encloses no area', zh: '{value} 围成的面积为零（各点在一条线上）' },
  column_stages: { en: '{value} must be name=duration pairs separated by ;', zh: '{value} 须为以 ; 分隔的“名称=时长”' },
} satisfies Record<string, Wording>;

export type RegistryMessageKey = keyof typeof REGISTRY_MESSAGES;

/** One problem with a field of a registry request: the JSON pointer of the field, what is wrong (key and English). */
export interface FieldProblem {
  path: string;
  /** `registry.<key>`; none only for a column check whose sentence is not known here */
  key?: `registry.${RegistryMessageKey}`;
  params?: MessageParams;
  message: string;
}

export function fieldProblem(path: string, key: RegistryMessageKey, params?: MessageParams): FieldProblem {
  const wording: Wording = REGISTRY_MESSAGES[key];
  return { path, key: `registry.${key}`, ...(params ? { params } : {}), message: fillIn(wording.en, params) };
}

/**
 * The importer's column checks speak English only (db/import/columns.ts): each of their sentences, read
 * back into a key. A sentence not listed keeps its English (test/api/admin-messages.test.ts lists every check).
 */
const COLUMN_SHAPES: Array<[RegExp, RegistryMessageKey, string[]]> = [
  [/^must be 2–32 letters, digits, _ or -$/, 'column_code', []],
  [/^must be one of (.+)$/, 'column_one_of', ['allowed']],
  [/^longer than (\d+) characters$/, 'column_max_length', ['max']],
  [/^must be a number from (\S+) to (\S+)$/, 'column_number', ['min', 'max']],
  [/^must be a duration like 30m, 4h or 0\.5d$/, 'column_duration', []],
  [/^must be 7–20 digits, \+, - or spaces$/, 'column_phone', []],
  [/^must be codes separated by \|$/, 'column_code_list', []],
  [/^must be a closed ring /, 'column_polygon', []],
  [/^has a point outside longitude/, 'column_polygon_outside', []],
  [/^encloses no area$/, 'column_polygon_area', []],
  [/^must be name=duration pairs separated by ;$/, 'column_stages', []],
];

/** A column check's refusal of `value` as a field problem: keyed when its sentence is known. */
export function columnProblem(path: string, value: string, sentence: string): FieldProblem {
  for (const [shape, key, names] of COLUMN_SHAPES) {
    const m = shape.exec(sentence);
    if (!m) continue;
    const params: MessageParams = { value: JSON.stringify(value) };
    names.forEach((name, i) => (params[name] = m[i + 1]!));
    return { path, key: `registry.${key}`, params, message: `${JSON.stringify(value)} ${sentence}` };
  }
  return { path, message: `${JSON.stringify(value)} ${sentence}` };
}
