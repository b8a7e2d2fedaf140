import type { Transaction } from 'sequelize';
import { ITEM_COLUMNS } from '../../db/import/columns.js';
import { EventType, GovernanceItem, Unit } from '../../db/models/index.js';
import type { Category } from '../../db/models/catalogue.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

export interface GovernanceItemView {
  id: number;
  code: string;
  name: string;
  category: Category;
  eventTypeId: number | null;
  eventTypeCode: string | null;
  responsibleUnitId: number;
  responsibleUnitCode: string | null;
  assistingUnitCodes: string[];
  basis: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GovernanceItemInput {
  code?: string;
  name?: string;
  category?: Category;
  eventTypeCode?: string | null;
  responsibleUnitCode?: string;
  assistingUnitCodes?: string[] | null;
  basis?: string | null;
}

export interface GovernanceItemQuery extends PageQuery {
  category?: Category;
  eventTypeCode?: string;
}

async function views(items: GovernanceItem[], transaction?: Transaction): Promise<GovernanceItemView[]> {
  const t = transaction ? { transaction } : {};
  const unitIds = [...new Set(items.map((i) => i.responsibleUnitId))];
  const typeIds = [...new Set(items.map((i) => i.eventTypeId).filter((i): i is number => i !== null))];
  const units = new Map((unitIds.length ? await Unit.findAll({ where: { id: unitIds }, attributes: ['id', 'code'], ...t }) : []).map((u) => [u.id, u.code]));
  const types = new Map((typeIds.length ? await EventType.findAll({ where: { id: typeIds }, attributes: ['id', 'code'], ...t }) : []).map((e) => [e.id, e.code]));
  return items.map((i) => ({
    id: i.id, code: i.code, name: i.name, category: i.category, eventTypeId: i.eventTypeId ?? null,
    eventTypeCode: i.eventTypeId ? types.get(i.eventTypeId) ?? null : null, responsibleUnitId: i.responsibleUnitId,
    responsibleUnitCode: units.get(i.responsibleUnitId) ?? null, assistingUnitCodes: i.assistingUnitCodes ?? [], basis: i.basis ?? null,
    createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString(),
  }));
}

async function findItem(key: string, transaction?: Transaction): Promise<GovernanceItem> {
  const t = transaction ? { transaction } : {};
  const found = (/^\d{1,10}$/.test(key) ? await GovernanceItem.findByPk(Number(key), t) : null) ?? await GovernanceItem.findOne({ where: { code: key }, ...t });
  if (!found) throw notFound('governance item', key);
  return found;
}

export async function listGovernanceItems(query: GovernanceItemQuery): Promise<Paged<GovernanceItemView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let typeFilter = null;
  if (query.eventTypeCode !== undefined) typeFilter = { eventTypeId: (await EventType.findOne({ where: { code: query.eventTypeCode } }))?.id ?? -1 };
  const where = allOf(textFilter(query.q, ['code', 'name', 'basis']), query.category ? { category: query.category } : null, typeFilter);
  const { rows, count } = await GovernanceItem.findAndCountAll({ where, order: [['code', 'ASC']], limit, offset });
  return { items: await views(rows), total: count, page, pageSize };
}

export async function getGovernanceItem(key: string): Promise<GovernanceItemView> {
  return (await views([await findItem(key)]))[0]!;
}

/** The importer's checks, then every code must name a known event type / unit. */
async function check(input: GovernanceItemInput, creating: boolean, transaction: Transaction): Promise<Partial<GovernanceItem>> {
  throwIf(checkCells(ITEM_COLUMNS, {
    code: creating ? cellOf('/code', input.code) : undefined,
    name: cellOf('/name', input.name),
    category: cellOf('/category', input.category),
    event_type_code: cellOf('/eventTypeCode', input.eventTypeCode),
    responsible_unit_code: cellOf('/responsibleUnitCode', input.responsibleUnitCode),
    assisting_unit_codes: input.assistingUnitCodes?.length === 0 ? { path: '/assistingUnitCodes', value: null } : cellOf('/assistingUnitCodes', input.assistingUnitCodes, (v) => v.join('|')),
  }, creating));
  const out: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  if (input.eventTypeCode !== undefined) {
    const type = input.eventTypeCode === null ? null : await EventType.findOne({ where: { code: input.eventTypeCode }, transaction });
    if (input.eventTypeCode !== null && !type) problems.push({ path: '/eventTypeCode', message: `${input.eventTypeCode} is not a known event type` });
    out['eventTypeId'] = type?.id ?? null;
  }
  if (input.responsibleUnitCode !== undefined) {
    const unit = await Unit.findOne({ where: { code: input.responsibleUnitCode }, transaction });
    if (!unit) problems.push({ path: '/responsibleUnitCode', message: `${input.responsibleUnitCode} is not a known unit` });
    out['responsibleUnitId'] = unit?.id;
  }
  if (input.assistingUnitCodes !== undefined) {
    const codes = [...new Set(input.assistingUnitCodes ?? [])];
    const known = new Set(codes.length ? (await Unit.findAll({ where: { code: codes }, attributes: ['code'], transaction })).map((u) => u.code) : []);
    codes.forEach((c) => { if (!known.has(c)) problems.push({ path: '/assistingUnitCodes', message: `${c} is not a known unit` }); });
    out['assistingUnitCodes'] = codes.length ? codes : null;
  }
  throwIf(problems, unknownReference);
  for (const f of ['name', 'category', 'basis'] as const) if (input[f] !== undefined) out[f] = input[f];
  return out as Partial<GovernanceItem>;
}

export function createGovernanceItem(actor: RegistryActor, input: GovernanceItemInput & { code: string }): Promise<GovernanceItemView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const values = await check(input, true, transaction);
    if (await GovernanceItem.findOne({ where: { code: input.code }, transaction })) throw duplicate('/code', input.code);
    const item = await GovernanceItem.create({ code: input.code, ...values } as never, { transaction });
    const [after] = await views([item], transaction);
    return { result: after!, entity: 'governance_item', key: item.code, before: null, after };
  });
}

export function updateGovernanceItem(actor: RegistryActor, key: string, input: GovernanceItemInput): Promise<GovernanceItemView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const item = await findItem(key, transaction);
    const [before] = await views([item], transaction);
    item.set(await check(input, false, transaction));
    await item.save({ transaction });
    const [after] = await views([item], transaction);
    return { result: after!, entity: 'governance_item', key: item.code, before, after };
  });
}

/** Nothing refers to a governance item (it points at its event type and units), so it can always go. */
export function deleteGovernanceItem(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const item = await findItem(key, transaction);
    const [before] = await views([item], transaction);
    await item.destroy({ transaction });
    return { result: undefined, entity: 'governance_item', key: item.code, before, after: null };
  });
}
