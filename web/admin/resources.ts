/**
 * The registry's resources as the admin page edits them (GET/POST /api/admin/<path>, GET/PATCH/DELETE
 * /api/admin/<path>/:key): the list columns, the form fields and how each field's text becomes the JSON
 * the API wants. The server validates everything again (as the CSV importer does) and its field errors
 * are shown beside the fields named here.
 */
export type FieldType = 'text' | 'textarea' | 'select' | 'bool' | 'number' | 'date' | 'list' | 'polygon' | 'stages' | 'password';

export interface Field {
  name: string;
  type: FieldType;
  required?: boolean;
  /** the API accepts null to clear it */
  nullable?: boolean;
  /** sent on create only (the key, a first password) */
  createOnly?: boolean;
  options?: readonly string[];
  /** the option's label key prefix (`role.` → t('role.admin')) */
  optionLabel?: string;
  /** a hint shown under the label */
  hint?: boolean;
  /** codes offered while typing (a <datalist> of the registry's records) */
  suggest?: Suggestion;
}

export type Suggestion = 'units' | 'townships' | 'communities' | 'eventTypes';

/** `optionLabel`: the value is a vocabulary word shown through `<optionLabel><value>` messages (unit kinds). */
export interface Column {
  name: string;
  type?: 'bool' | 'list' | 'role' | 'datetime';
  optionLabel?: string;
}

export interface Resource {
  id: 'units' | 'grids' | 'users' | 'event-types' | 'governance-items' | 'routing-rules' | 'calendar-days';
  path: string;
  /** the record's key in the path (`id`, `date`) */
  key: string;
  columns: Column[];
  fields: Field[];
  canCreate: boolean;
  canDelete: boolean;
  /** has `enabled`, which the in_use refusal offers instead of deleting */
  hasEnabled: boolean;
  /** roles that may read the list (the rest of the signed-in users get the API's 403 explained) */
  readers?: readonly string[];
}

const UNIT_KINDS = ['centre', 'department', 'township', 'community', 'enterprise'] as const;
const ROLES = ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker', 'leader', 'auditor'] as const;
const CATEGORIES = ['市容环境', '生态环境', '矛盾纠纷', '应急指挥', '住房建设', '食品安全', '其他'] as const;

export const RESOURCES: readonly Resource[] = [
  {
    id: 'units',
    path: '/admin/units',
    key: 'id',
    canCreate: true,
    canDelete: true,
    hasEnabled: true,
    columns: [
      { name: 'code' },
      { name: 'name' },
      { name: 'kind', optionLabel: 'ad.kind.' },
      { name: 'parentCode' },
      { name: 'contactPerson' },
      { name: 'contactPhone' },
      { name: 'enabled', type: 'bool' },
    ],
    fields: [
      { name: 'code', type: 'text', required: true, createOnly: true, hint: true },
      { name: 'name', type: 'text', required: true },
      { name: 'shortName', type: 'text', nullable: true },
      { name: 'kind', type: 'select', required: true, options: UNIT_KINDS, optionLabel: 'ad.kind.' },
      { name: 'parentCode', type: 'text', suggest: 'units', nullable: true },
      { name: 'contactPerson', type: 'text', nullable: true },
      { name: 'contactPhone', type: 'text', nullable: true },
      { name: 'enabled', type: 'bool' },
    ],
  },
  {
    id: 'grids',
    path: '/admin/grids',
    key: 'id',
    canCreate: true,
    canDelete: true,
    hasEnabled: true,
    columns: [{ name: 'code' }, { name: 'name' }, { name: 'townshipCode' }, { name: 'communityCode' }, { name: 'gridKind' }, { name: 'enabled', type: 'bool' }],
    fields: [
      { name: 'code', type: 'text', required: true, createOnly: true, hint: true },
      { name: 'name', type: 'text', required: true },
      { name: 'townshipCode', type: 'text', suggest: 'townships', required: true },
      { name: 'communityCode', type: 'text', suggest: 'communities', required: true },
      { name: 'centroidLng', type: 'number', required: true },
      { name: 'centroidLat', type: 'number', required: true },
      { name: 'polygon', type: 'polygon', nullable: true, hint: true },
      { name: 'gridKind', type: 'select', options: ['综合', '专属'] },
      { name: 'enabled', type: 'bool' },
    ],
  },
  {
    id: 'users',
    path: '/admin/users',
    key: 'id',
    canCreate: true,
    canDelete: true,
    hasEnabled: true,
    readers: ['admin', 'auditor'],
    columns: [
      { name: 'username' },
      { name: 'displayName' },
      { name: 'role', type: 'role' },
      { name: 'unitCode' },
      { name: 'phone' },
      { name: 'gridCodes', type: 'list' },
      { name: 'enabled', type: 'bool' },
    ],
    fields: [
      { name: 'username', type: 'text', required: true, createOnly: true, hint: true },
      { name: 'displayName', type: 'text', required: true },
      { name: 'role', type: 'select', required: true, options: ROLES, optionLabel: 'role.' },
      { name: 'unitCode', type: 'text', suggest: 'units', nullable: true, hint: true },
      { name: 'phone', type: 'text', nullable: true },
      { name: 'gridCodes', type: 'list', hint: true },
      { name: 'password', type: 'password', createOnly: true, hint: true },
      { name: 'enabled', type: 'bool' },
    ],
  },
  {
    id: 'event-types',
    path: '/admin/event-types',
    key: 'id',
    canCreate: true,
    canDelete: true,
    hasEnabled: true,
    columns: [
      { name: 'code' },
      { name: 'name' },
      { name: 'kind' },
      { name: 'category' },
      { name: 'ownerUnitCode' },
      { name: 'acceptLimit' },
      { name: 'dispatchLimit' },
      { name: 'handleLimit' },
      { name: 'verifyLimit' },
      { name: 'enabled', type: 'bool' },
    ],
    fields: [
      { name: 'code', type: 'text', required: true, createOnly: true, hint: true },
      { name: 'name', type: 'text', required: true },
      { name: 'kind', type: 'select', required: true, options: ['部件', '事件'] },
      { name: 'major', type: 'text', required: true },
      { name: 'category', type: 'select', required: true, options: CATEGORIES },
      { name: 'filingCondition', type: 'textarea', required: true },
      { name: 'closingCondition', type: 'textarea', required: true },
      { name: 'routingRule', type: 'select', required: true, options: ['属地', '属主'] },
      { name: 'ownerUnitCode', type: 'text', suggest: 'units', required: true },
      { name: 'clock', type: 'select', required: true, options: ['working', 'natural'], optionLabel: 'ad.clock.' },
      { name: 'acceptLimit', type: 'text', required: true, hint: true },
      { name: 'dispatchLimit', type: 'text', required: true, hint: true },
      { name: 'handleLimit', type: 'text', required: true, hint: true },
      { name: 'verifyLimit', type: 'text', required: true, hint: true },
      { name: 'extraStages', type: 'stages', nullable: true, hint: true },
      { name: 'emergency', type: 'bool' },
      { name: 'keywords', type: 'list', nullable: true, hint: true },
      { name: 'enabled', type: 'bool' },
    ],
  },
  {
    id: 'governance-items',
    path: '/admin/governance-items',
    key: 'id',
    canCreate: true,
    canDelete: true,
    hasEnabled: false,
    columns: [
      { name: 'code' },
      { name: 'name' },
      { name: 'category' },
      { name: 'eventTypeCode' },
      { name: 'responsibleUnitCode' },
      { name: 'assistingUnitCodes', type: 'list' },
    ],
    fields: [
      { name: 'code', type: 'text', required: true, createOnly: true, hint: true },
      { name: 'name', type: 'text', required: true },
      { name: 'category', type: 'select', required: true, options: CATEGORIES },
      { name: 'eventTypeCode', type: 'text', suggest: 'eventTypes', nullable: true },
      { name: 'responsibleUnitCode', type: 'text', suggest: 'units', required: true },
      { name: 'assistingUnitCodes', type: 'list', nullable: true, hint: true },
      { name: 'basis', type: 'textarea', nullable: true },
    ],
  },
  {
    id: 'routing-rules',
    path: '/admin/routing-rules',
    key: 'id',
    canCreate: false,
    canDelete: false,
    hasEnabled: false,
    columns: [
      { name: 'eventTypeCode' },
      { name: 'eventTypeName' },
      { name: 'category' },
      { name: 'routingRule' },
      { name: 'ownerUnitCode' },
      { name: 'ownerUnitName' },
      { name: 'enabled', type: 'bool' },
    ],
    fields: [
      { name: 'routingRule', type: 'select', required: true, options: ['属地', '属主'] },
      { name: 'ownerUnitCode', type: 'text', suggest: 'units', required: true },
    ],
  },
  {
    id: 'calendar-days',
    path: '/admin/calendar-days',
    key: 'date',
    canCreate: true,
    canDelete: true,
    hasEnabled: false,
    columns: [{ name: 'date' }, { name: 'working', type: 'bool' }, { name: 'note' }],
    fields: [
      { name: 'date', type: 'date', required: true, createOnly: true },
      { name: 'working', type: 'bool', hint: true },
      { name: 'note', type: 'text', nullable: true },
    ],
  },
];

/** The text a field's input shows for a value from the API. */
export function toInput(field: Field, value: unknown): string | boolean {
  if (field.type === 'bool') return value === true;
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'list':
      return (value as string[]).join(', ');
    case 'polygon':
      return (value as number[][]).map(([lng, lat]) => `${lng} ${lat}`).join(', ');
    case 'stages':
      return (value as { name: string; limit: string }[]).map((s) => `${s.name} ${s.limit}`).join('\n');
    default:
      return String(value);
  }
}

/**
 * The JSON value for a field's input; `undefined` leaves it out (an empty optional field on create).
 * Text the API would refuse (a word where a number goes) is sent as it is, so the server's own field
 * error explains it rather than a second set of rules here.
 */
export function fromInput(field: Field, raw: string | boolean, creating: boolean): unknown {
  if (field.type === 'bool') return raw === true;
  const text = String(raw).trim();
  if (!text) {
    if (field.required) return '';
    return creating ? undefined : field.nullable ? null : field.type === 'list' ? [] : undefined;
  }
  switch (field.type) {
    case 'number':
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 'list':
      return text.split(/[,，\s]+/).filter(Boolean);
    case 'polygon':
      return text
        .split(/[,，;\n]+/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => p.split(/\s+/).map((n) => (Number.isFinite(Number(n)) ? Number(n) : n)));
    case 'stages':
      return text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const at = l.lastIndexOf(' ');
          return at > 0 ? { name: l.slice(0, at).trim(), limit: l.slice(at + 1) } : { name: l, limit: '' };
        });
    default:
      return text;
  }
}
