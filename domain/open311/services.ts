import { appSql } from '../../db/sql/current.js';
import { eventTypeByCode, eventTypeRecord, type EventTypeRecord } from '../admin/event-type-record.js';
import { DomainError } from '../shared/errors.js';

/**
 * The Open311 service list and definitions, read from the catalogue: one service per active event
 * type (小类), `service_code` = its code, `group` = its category. Requests are filed synchronously, so
 * every service is `realtime`.
 */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export type Open311Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: Open311Datatype;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: Array<{ key: string; name: string }>;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

type EventType = EventTypeRecord;

const UNIT_WORDS: Record<string, string> = { m: '分钟', h: '小时', d: '个工作日' };

/** `0.5h` → `0.5小时`; natural-clock days are plain days. */
function limitText(limit: string, natural: boolean): string {
  const m = /^([0-9.]+)([mhd])$/.exec(limit);
  if (!m) return limit;
  return `${m[1]}${m[2] === 'd' && natural ? '天' : UNIT_WORDS[m[2]!]}`;
}

/** What the reporter may expect: the catalogue's stage time limits, on the working or natural clock. */
export function serviceNotice(t: EventType): string {
  const natural = t.clock === 'natural';
  return `受理 ${limitText(t.acceptLimit, natural)}，派遣 ${limitText(t.dispatchLimit, natural)}，处置 ${limitText(t.handleLimit, natural)}（${natural ? '自然时间，全天候' : '按工作时间计'}）`;
}

export function toService(t: EventType): Open311Service {
  return {
    service_code: t.code,
    service_name: t.name,
    description: `${t.major}（${t.kind}）：${t.filingCondition}`,
    metadata: true,
    type: 'realtime',
    keywords: (t.keywords ?? []).join(','),
    group: t.category,
  };
}

/**
 * The attributes every service asks for: the time limits (informational, `variable: false`), the
 * facility number for 部件 (components carry a plate or cover number), when it was seen, and whether it
 * is a safety hazard (required for emergency types, so the centre can triage at once).
 */
export function attributesOf(t: EventType): Open311Attribute[] {
  const list: Open311Attribute[] = [
    {
      variable: false,
      code: 'time_limit',
      datatype: 'string',
      required: false,
      datatype_description: '',
      order: 1,
      description: `办理时限：${serviceNotice(t)}`,
    },
  ];
  if (t.kind === '部件') {
    list.push({
      variable: true,
      code: 'facility_code',
      datatype: 'string',
      required: false,
      datatype_description: '最多 64 个字符',
      order: list.length + 1,
      description: '部件编号：设施标牌、井盖或杆体上的编号（不清楚可不填）',
    });
  }
  list.push(
    {
      variable: true,
      code: 'observed_at',
      datatype: 'datetime',
      required: false,
      datatype_description: 'ISO 8601 含时区，例如 2026-11-28T09:30:00+08:00',
      order: list.length + 1,
      description: '发现时间',
    },
    {
      variable: true,
      code: 'safety_hazard',
      datatype: 'singlevaluelist',
      required: t.emergency,
      datatype_description: '',
      order: list.length + 2,
      description: '现场是否存在安全隐患（如井盖缺失、电线裸露、可能伤人）',
      values: [
        { key: 'yes', name: '是' },
        { key: 'no', name: '否' },
      ],
    },
  );
  return list;
}

export async function listServices(): Promise<Open311Service[]> {
  return (await appSql().selectFrom('event_types').selectAll().where('active', '=', true).orderBy('code', 'asc').execute()).map((t) =>
    toService(eventTypeRecord(t)),
  );
}

export async function activeServiceType(code: string): Promise<EventType | null> {
  const t = await eventTypeByCode(code);
  return t && t.active ? t : null;
}

export async function serviceDefinition(code: string): Promise<Open311ServiceDefinition | null> {
  const t = await activeServiceType(code);
  return t ? { service_code: t.code, attributes: attributesOf(t) } : null;
}

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A W3C/ISO 8601 date-time with a time zone, as the spec requires, or null. */
export function parseW3cDate(value: string): Date | null {
  if (!W3C_DATETIME.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const bad = (message: string) => new DomainError('INVALID_ARGUMENT', message, { apiCode: 'open311_bad_attribute', errors: [{ path: 'attribute', message }] });

/**
 * Checks the submitted `attribute[code]` answers against the service definition: only variable
 * attributes, the right datatype, list keys from the list, required ones present.
 */
export function checkAttributes(t: EventType, given: Record<string, string | string[]>): Record<string, string | string[]> {
  const defs = new Map(attributesOf(t).map((a) => [a.code, a]));
  const out: Record<string, string | string[]> = {};
  for (const [code, value] of Object.entries(given)) {
    const def = defs.get(code);
    if (!def) throw bad(`attribute[${code}] is not an attribute of ${t.code}`);
    if (!def.variable) throw bad(`attribute[${code}] is informational and takes no value`);
    const values = Array.isArray(value) ? value : [value];
    if (def.datatype !== 'multivaluelist' && values.length !== 1) throw bad(`attribute[${code}] takes one value`);
    for (const v of values) {
      if (def.datatype === 'string' && v.length > 64) throw bad(`attribute[${code}] is longer than 64 characters`);
      if (def.datatype === 'datetime' && !parseW3cDate(v)) throw bad(`attribute[${code}] is not an ISO 8601 date-time with a time zone`);
      if (def.datatype === 'number' && !/^-?\d+(\.\d+)?$/.test(v)) throw bad(`attribute[${code}] is not a number`);
      if ((def.datatype === 'singlevaluelist' || def.datatype === 'multivaluelist') && !def.values?.some((x) => x.key === v))
        throw bad(`attribute[${code}]: ${v} is not one of its values`);
    }
    if (values.length === 1 && values[0] === '' && def.required) throw bad(`attribute[${code}] is required`);
    out[code] = def.datatype === 'multivaluelist' ? values : values[0]!;
  }
  for (const def of defs.values()) {
    if (def.variable && def.required && out[def.code] === undefined) throw bad(`attribute[${def.code}] is required`);
  }
  return out;
}
