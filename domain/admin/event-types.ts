import type { Insertable } from 'kysely';
import { EVENT_TYPE_COLUMNS, parseExtraStages } from '../../db/import/columns.js';
import { type Category, type Clock, type ExtraStage, type RoutingRule } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { EventTypesTable } from '../../db/sql/schema.js';
import { tableWritten } from '../../db/sql/table-writes.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { eventTypeRecord, type EventTypeRecord } from './event-type-record.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges, jsonText, parseJson } from './row-changes.js';
import { duplicate, fieldProblem, inUse, notFound, throwIf, unknownReference } from './registry-errors.js';

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

type EventType = EventTypeRecord;

export async function unitCodeMap(ids: number[], transaction?: Tx): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await appSql(transaction).selectFrom('units').select(['id', 'code']).where('id', 'in', wanted).execute();
  return new Map(rows.map((u) => [u.id, u.code]));
}

export function eventTypeView(e: EventType, codes: Map<number, string>): EventTypeView {
  return {
    id: e.id,
    code: e.code,
    name: e.name,
    kind: e.kind,
    major: e.major,
    category: e.category,
    filingCondition: e.filingCondition,
    closingCondition: e.closingCondition,
    routingRule: e.routingRule,
    ownerUnitId: e.ownerUnitId,
    ownerUnitCode: codes.get(e.ownerUnitId) ?? null,
    clock: e.clock,
    acceptLimit: e.acceptLimit,
    dispatchLimit: e.dispatchLimit,
    handleLimit: e.handleLimit,
    verifyLimit: e.verifyLimit,
    extraStages: e.extraStages ?? null,
    emergency: !!e.emergency,
    keywords: e.keywords ?? null,
    enabled: e.active !== false,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

const viewOne = async (e: EventType, transaction?: Tx) => eventTypeView(e, await unitCodeMap([e.ownerUnitId], transaction));

const eventTypes = (transaction?: Tx) => appSql(transaction).selectFrom('event_types');

export async function findEventType(key: string, transaction?: Tx): Promise<EventType | null> {
  if (/^\d{1,10}$/.test(key)) {
    const byId = await eventTypes(transaction).selectAll().where('id', '=', Number(key)).executeTakeFirst();
    if (byId) return eventTypeRecord(byId);
  }
  const byCode = await eventTypes(transaction).selectAll().where('code', '=', key).executeTakeFirst();
  return byCode ? eventTypeRecord(byCode) : null;
}

export async function requireEventType(key: string, transaction?: Tx): Promise<EventType> {
  const e = await findEventType(key, transaction);
  if (!e) throw notFound('event type', key);
  return e;
}

export async function listEventTypes(query: EventTypeQuery): Promise<Paged<EventTypeView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const text = textFilter(query.q, ['code', 'name', 'major']);
  const matching = eventTypes()
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.category, (b) => b.where('category', '=', query.category!))
    .$if(!!query.kind, (b) => b.where('kind', '=', query.kind!))
    .$if(query.enabled !== undefined, (b) => b.where('active', '=', query.enabled!));
  const [counted, found] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('code', 'asc').limit(limit).offset(offset).execute(),
  ]);
  const rows = found.map(eventTypeRecord);
  const count = Number(counted.n);
  const codes = await unitCodeMap(rows.map((e) => e.ownerUnitId));
  return { items: rows.map((e) => eventTypeView(e, codes)), total: count, page, pageSize };
}

export async function getEventType(key: string): Promise<EventTypeView> {
  return viewOne(await requireEventType(key));
}

const stagesText = (stages: ExtraStage[]) => stages.map((s) => `${s.name}=${s.limit}`).join(';');

/** The importer's column checks, plus what a JSON body can carry that a CSV cell cannot (| in a keyword). */
export function checkEventTypeColumns(input: EventTypeInput, creating: boolean): void {
  const problems = checkCells(
    EVENT_TYPE_COLUMNS,
    {
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
    },
    creating,
  );
  (input.extraStages ?? []).forEach((s, i) => {
    if (/[;=]/.test(s.name) || s.name.trim() !== s.name) problems.push(fieldProblem(`/extraStages/${i}/name`, 'stage_name'));
  });
  (input.keywords ?? []).forEach((k, i) => {
    if (k.includes('|') || !k.trim()) problems.push(fieldProblem(`/keywords/${i}`, 'keyword'));
  });
  throwIf(problems);
}

async function ownerId(code: string | undefined, transaction: Tx): Promise<number | undefined> {
  if (code === undefined) return undefined;
  const owner = await appSql(transaction).selectFrom('units').select('id').where('code', '=', code).executeTakeFirst();
  if (!owner) throw unknownReference([fieldProblem('/ownerUnitCode', 'unknown_unit', { code })]);
  return owner.id;
}

/** The columns the input sets, as the table holds them (JSON as text). */
function changes(input: EventTypeInput, owner: number | undefined): Partial<Insertable<EventTypesTable>> {
  const out: Record<string, unknown> = {};
  for (const f of [
    'name',
    'kind',
    'major',
    'category',
    'filingCondition',
    'closingCondition',
    'routingRule',
    'clock',
    'acceptLimit',
    'dispatchLimit',
    'handleLimit',
    'verifyLimit',
    'emergency',
  ] as const) {
    if (input[f] !== undefined) out[f] = input[f];
  }
  if (input.extraStages !== undefined) out['extraStages'] = jsonText(input.extraStages?.length ? parseExtraStages(stagesText(input.extraStages)) : null);
  if (input.keywords !== undefined) out['keywords'] = jsonText(input.keywords?.length ? input.keywords.map((k) => k.trim()) : null);
  if (input.enabled !== undefined) out['active'] = input.enabled;
  if (owner !== undefined) out['ownerUnitId'] = owner;
  return out as Partial<Insertable<EventTypesTable>>;
}

/** The stored row's columns again, to compare with `changes`. */
const stored = (e: EventType) => ({ ...e, extraStages: jsonText(e.extraStages), keywords: jsonText(e.keywords) });

export function createEventType(actor: RegistryActor, input: EventTypeInput & { code: string }): Promise<EventTypeView> {
  return auditedChange(actor, 'create', async (transaction) => {
    checkEventTypeColumns(input, true);
    const owner = await ownerId(input.ownerUnitCode, transaction);
    if (await eventTypes(transaction).select('id').where('code', '=', input.code).executeTakeFirst()) throw duplicate('/code', input.code);
    const now = new Date();
    // the API and the column checks require every NOT NULL column on create; emergency defaults to false as the model did
    const values = {
      code: input.code,
      active: true,
      emergency: false,
      extraStages: null,
      keywords: null,
      ...changes(input, owner),
      createdAt: now,
      updatedAt: now,
    } as Insertable<EventTypesTable>;
    const inserted = await appSql(transaction).insertInto('event_types').values(values).executeTakeFirstOrThrow();
    tableWritten('event_types', transaction);
    const e = eventTypeRecord({ ...values, id: Number(inserted.insertId) } as Parameters<typeof eventTypeRecord>[0]);
    const after = await viewOne(e, transaction);
    return { result: after, entity: 'event_type', key: e.code, before: null, after };
  });
}

export function updateEventType(actor: RegistryActor, key: string, input: EventTypeInput, entity = 'event_type'): Promise<EventTypeView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const e = await requireEventType(key, transaction);
    const before = await viewOne(e, transaction);
    checkEventTypeColumns(input, false);
    const current = stored(e);
    const changed = changedValues(current, changes(input, await ownerId(input.ownerUnitCode, transaction)) as Partial<typeof current>);
    let now = e;
    if (hasChanges(changed)) {
      const updatedAt = new Date();
      await appSql(transaction)
        .updateTable('event_types')
        .set({ ...changed, updatedAt })
        .where('id', '=', e.id)
        .execute();
      tableWritten('event_types', transaction);
      now = eventTypeRecord({ ...current, ...changed, updatedAt });
    }
    const after = await viewOne(now, transaction);
    return { result: after, entity, key: e.code, before, after };
  });
}

export function deleteEventType(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const e = await requireEventType(key, transaction);
    const before = await viewOne(e, transaction);
    // cameras name the types they detect by code, in a JSON list
    const q = appSql(transaction);
    const cameras = await q.selectFrom('camera_devices').select(['id', 'eventTypeCodes']).execute();
    const refs = {
      cases: Number(
        (
          await q
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('eventTypeId', '=', e.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      'governance items': Number(
        (
          await q
            .selectFrom('governance_items')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('eventTypeId', '=', e.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      'camera devices': cameras.filter((c) => (parseJson<string[]>(c.eventTypeCodes) ?? []).includes(e.code)).length,
      'camera cases': Number(
        (
          await q
            .selectFrom('camera_cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('eventTypeId', '=', e.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs);
    await q.deleteFrom('event_types').where('id', '=', e.id).execute();
    tableWritten('event_types', transaction);
    return { result: undefined, entity: 'event_type', key: e.code, before, after: null };
  });
}
