import type { Transaction } from 'sequelize';
import { EVENT_TYPE_COLUMNS, parseExtraStages } from '../../db/import/columns.js';
import { CameraCase, CameraDevice, Case, EventType, GovernanceItem, Unit } from '../../db/models/index.js';
import type { Category, Clock, ExtraStage, RoutingRule } from '../../db/models/catalogue.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, inUse, notFound, throwIf, unknownReference } from './registry-errors.js';

export interface EventTypeView {
  id: number;
  code: string;
  name: string;
  kind: '部件' | '事件';
  major: string;
  category: Category;
  filingCondition: string;
  closingCondition: string;
  routingRule: RoutingRule;
  ownerUnitId: number;
  ownerUnitCode: string | null;
  clock: Clock;
  acceptLimit: string;
  dispatchLimit: string;
  handleLimit: string;
  verifyLimit: string;
  extraStages: ExtraStage[] | null;
  emergency: boolean;
  keywords: string[] | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface EventTypeInput {
  code?: string;
  name?: string;
  kind?: '部件' | '事件';
  major?: string;
  category?: Category;
  filingCondition?: string;
  closingCondition?: string;
  routingRule?: RoutingRule;
  ownerUnitCode?: string;
  clock?: Clock;
  acceptLimit?: string;
  dispatchLimit?: string;
  handleLimit?: string;
  verifyLimit?: string;
  extraStages?: ExtraStage[] | null;
  emergency?: boolean;
  keywords?: string[] | null;
  enabled?: boolean;
}

export interface EventTypeQuery extends PageQuery {
  category?: Category;
  kind?: '部件' | '事件';
  enabled?: boolean;
}

export async function unitCodeMap(ids: number[], transaction?: Transaction): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await Unit.findAll({ where: { id: wanted }, attributes: ['id', 'code'], ...(transaction ? { transaction } : {}) });
  return new Map(rows.map((u) => [u.id, u.code]));
}

export function eventTypeView(e: EventType, codes: Map<number, string>): EventTypeView {
  return {
    id: e.id, code: e.code, name: e.name, kind: e.kind, major: e.major, category: e.category, filingCondition: e.filingCondition,
    closingCondition: e.closingCondition, routingRule: e.routingRule, ownerUnitId: e.ownerUnitId, ownerUnitCode: codes.get(e.ownerUnitId) ?? null,
    clock: e.clock, acceptLimit: e.acceptLimit, dispatchLimit: e.dispatchLimit, handleLimit: e.handleLimit, verifyLimit: e.verifyLimit,
    extraStages: e.extraStages ?? null, emergency: !!e.emergency, keywords: e.keywords ?? null, enabled: e.active !== false,
    createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
  };
}

const viewOne = async (e: EventType, transaction?: Transaction) => eventTypeView(e, await unitCodeMap([e.ownerUnitId], transaction));

export async function findEventType(key: string, transaction?: Transaction): Promise<EventType | null> {
  const t = transaction ? { transaction } : {};
  if (/^\d{1,10}$/.test(key)) {
    const byId = await EventType.findByPk(Number(key), t);
    if (byId) return byId;
  }
  return EventType.findOne({ where: { code: key }, ...t });
}

export async function requireEventType(key: string, transaction?: Transaction): Promise<EventType> {
  const e = await findEventType(key, transaction);
  if (!e) throw notFound('event type', key);
  return e;
}

export async function listEventTypes(query: EventTypeQuery): Promise<Paged<EventTypeView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const where = allOf(
    textFilter(query.q, ['code', 'name', 'major']),
    query.category ? { category: query.category } : null,
    query.kind ? { kind: query.kind } : null,
    query.enabled !== undefined ? { active: query.enabled } : null,
  );
  const { rows, count } = await EventType.findAndCountAll({ where, order: [['code', 'ASC']], limit, offset });
  const codes = await unitCodeMap(rows.map((e) => e.ownerUnitId));
  return { items: rows.map((e) => eventTypeView(e, codes)), total: count, page, pageSize };
}

export async function getEventType(key: string): Promise<EventTypeView> {
  return viewOne(await requireEventType(key));
}

const stagesText = (stages: ExtraStage[]) => stages.map((s) => `${s.name}=${s.limit}`).join(';');

/** The importer's column checks, plus what a JSON body can carry that a CSV cell cannot (| in a keyword). */
export function checkEventTypeColumns(input: EventTypeInput, creating: boolean): void {
  const problems = checkCells(EVENT_TYPE_COLUMNS, {
    code: creating ? cellOf('/code', input.code) : undefined,
    name: cellOf('/name', input.name),
    kind: cellOf('/kind', input.kind),
    major: cellOf('/major', input.major),
    category: cellOf('/category', input.category),
    filing_condition: cellOf('/filingCondition', input.filingCondition),
    closing_condition: cellOf('/closingCondition', input.closingCondition),
    routing_rule: cellOf('/routingRule', input.routingRule),
    owner_unit_code: cellOf('/ownerUnitCode', input.ownerUnitCode),
    clock: cellOf('/clock', input.clock),
    accept_limit: cellOf('/acceptLimit', input.acceptLimit),
    dispatch_limit: cellOf('/dispatchLimit', input.dispatchLimit),
    handle_limit: cellOf('/handleLimit', input.handleLimit),
    verify_limit: cellOf('/verifyLimit', input.verifyLimit),
    extra_stages: input.extraStages?.length === 0 ? { path: '/extraStages', value: null } : cellOf('/extraStages', input.extraStages, stagesText),
    emergency: cellOf('/emergency', input.emergency, (v) => (v ? '1' : '0')),
  }, creating);
  (input.extraStages ?? []).forEach((s, i) => {
    if (/[;=]/.test(s.name) || s.name.trim() !== s.name) problems.push({ path: `/extraStages/${i}/name`, message: 'no ; or = and no surrounding spaces' });
  });
  (input.keywords ?? []).forEach((k, i) => {
    if (k.includes('|') || !k.trim()) problems.push({ path: `/keywords/${i}`, message: 'a keyword is not blank and has no |' });
  });
  throwIf(problems);
}

async function ownerId(code: string | undefined, transaction: Transaction): Promise<number | undefined> {
  if (code === undefined) return undefined;
  const owner = await Unit.findOne({ where: { code }, transaction });
  if (!owner) throw unknownReference([{ path: '/ownerUnitCode', message: `${code} is not a known unit` }]);
  return owner.id;
}

function changes(input: EventTypeInput, owner: number | undefined): Partial<EventType> {
  const out: Record<string, unknown> = {};
  for (const f of ['name', 'kind', 'major', 'category', 'filingCondition', 'closingCondition', 'routingRule', 'clock', 'acceptLimit', 'dispatchLimit', 'handleLimit', 'verifyLimit', 'emergency'] as const) {
    if (input[f] !== undefined) out[f] = input[f];
  }
  if (input.extraStages !== undefined) out['extraStages'] = input.extraStages?.length ? parseExtraStages(stagesText(input.extraStages)) : null;
  if (input.keywords !== undefined) out['keywords'] = input.keywords?.length ? input.keywords.map((k) => k.trim()) : null;
  if (input.enabled !== undefined) out['active'] = input.enabled;
  if (owner !== undefined) out['ownerUnitId'] = owner;
  return out as Partial<EventType>;
}

export function createEventType(actor: RegistryActor, input: EventTypeInput & { code: string }): Promise<EventTypeView> {
  return auditedChange(actor, 'create', async (transaction) => {
    checkEventTypeColumns(input, true);
    const owner = await ownerId(input.ownerUnitCode, transaction);
    if (await EventType.findOne({ where: { code: input.code }, transaction })) throw duplicate('/code', input.code);
    const e = await EventType.create({ code: input.code, active: true, ...changes(input, owner) } as never, { transaction });
    const after = await viewOne(e, transaction);
    return { result: after, entity: 'event_type', key: e.code, before: null, after };
  });
}

export function updateEventType(actor: RegistryActor, key: string, input: EventTypeInput, entity = 'event_type'): Promise<EventTypeView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const e = await requireEventType(key, transaction);
    const before = await viewOne(e, transaction);
    checkEventTypeColumns(input, false);
    e.set(changes(input, await ownerId(input.ownerUnitCode, transaction)));
    await e.save({ transaction });
    const after = await viewOne(e, transaction);
    return { result: after, entity, key: e.code, before, after };
  });
}

export function deleteEventType(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const e = await requireEventType(key, transaction);
    const before = await viewOne(e, transaction);
    // cameras name the types they detect by code, in a JSON list
    const cameras = await CameraDevice.findAll({ attributes: ['id', 'eventTypeCodes'], transaction });
    const refs = {
      cases: await Case.count({ where: { eventTypeId: e.id }, transaction }),
      'governance items': await GovernanceItem.count({ where: { eventTypeId: e.id }, transaction }),
      'camera devices': cameras.filter((c) => (c.eventTypeCodes ?? []).includes(e.code)).length,
      'camera cases': await CameraCase.count({ where: { eventTypeId: e.id }, transaction }),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs, 'switch it off with enabled: false instead');
    await e.destroy({ transaction });
    return { result: undefined, entity: 'event_type', key: e.code, before, after: null };
  });
}
