import type { Insertable, Selectable } from 'kysely';
import { ITEM_COLUMNS } from '../../db/import/columns.js';
import { type Category } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { GovernanceItemsTable } from '../../db/sql/schema.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges, jsonText, parseJson } from './row-changes.js';
import { duplicate, fieldProblem, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

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

/** A governance item as the table holds it (assisting units as JSON text). */
type GovernanceItem = Selectable<GovernanceItemsTable>;

const items = (transaction?: Tx) => appSql(transaction).selectFrom('governance_items');

async function views(rows: GovernanceItem[], transaction?: Tx): Promise<GovernanceItemView[]> {
  const q = appSql(transaction);
  const unitIds = [...new Set(rows.map((i) => i.responsibleUnitId))];
  const typeIds = [...new Set(rows.map((i) => i.eventTypeId).filter((i): i is number => i !== null))];
  const units = new Map(
    (unitIds.length ? await q.selectFrom('units').select(['id', 'code']).where('id', 'in', unitIds).execute() : []).map((u) => [u.id, u.code]),
  );
  const types = new Map(
    (typeIds.length ? await q.selectFrom('event_types').select(['id', 'code']).where('id', 'in', typeIds).execute() : []).map((e) => [e.id, e.code]),
  );
  return rows.map((i) => ({
    id: i.id,
    code: i.code,
    name: i.name,
    category: i.category as Category,
    eventTypeId: i.eventTypeId ?? null,
    eventTypeCode: i.eventTypeId ? (types.get(i.eventTypeId) ?? null) : null,
    responsibleUnitId: i.responsibleUnitId,
    responsibleUnitCode: units.get(i.responsibleUnitId) ?? null,
    assistingUnitCodes: parseJson<string[]>(i.assistingUnitCodes) ?? [],
    basis: i.basis ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  }));
}

async function findItem(key: string, transaction?: Tx): Promise<GovernanceItem> {
  const found =
    (/^\d{1,10}$/.test(key) ? await items(transaction).selectAll().where('id', '=', Number(key)).executeTakeFirst() : undefined) ??
    (await items(transaction).selectAll().where('code', '=', key).executeTakeFirst());
  if (!found) throw notFound('governance item', key);
  return found;
}

export async function listGovernanceItems(query: GovernanceItemQuery): Promise<Paged<GovernanceItemView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let eventTypeId: number | undefined;
  if (query.eventTypeCode !== undefined)
    eventTypeId = (await appSql().selectFrom('event_types').select('id').where('code', '=', query.eventTypeCode).executeTakeFirst())?.id ?? -1;
  const text = textFilter(query.q, ['code', 'name', 'basis']);
  const matching = items()
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.category, (b) => b.where('category', '=', query.category!))
    .$if(eventTypeId !== undefined, (b) => b.where('eventTypeId', '=', eventTypeId!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('code', 'asc').limit(limit).offset(offset).execute(),
  ]);
  return { items: await views(rows), total: Number(counted.n), page, pageSize };
}

export async function getGovernanceItem(key: string): Promise<GovernanceItemView> {
  return (await views([await findItem(key)]))[0]!;
}

/** The importer's checks, then every code must name a known event type / unit. */
async function check(input: GovernanceItemInput, creating: boolean, transaction: Tx): Promise<Partial<Insertable<GovernanceItemsTable>>> {
  throwIf(
    checkCells(
      ITEM_COLUMNS,
      {
        code: creating ? cellOf('/code', input.code) : undefined,
        name: cellOf('/name', input.name),
        category: cellOf('/category', input.category),
        event_type_code: cellOf('/eventTypeCode', input.eventTypeCode),
        responsible_unit_code: cellOf('/responsibleUnitCode', input.responsibleUnitCode),
        assisting_unit_codes:
          input.assistingUnitCodes?.length === 0
            ? { path: '/assistingUnitCodes', value: null }
            : cellOf('/assistingUnitCodes', input.assistingUnitCodes, (v) => v.join('|')),
      },
      creating,
    ),
  );
  const out: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  if (input.eventTypeCode !== undefined) {
    const type =
      input.eventTypeCode === null
        ? null
        : await appSql(transaction).selectFrom('event_types').select('id').where('code', '=', input.eventTypeCode).executeTakeFirst();
    if (input.eventTypeCode !== null && !type) problems.push(fieldProblem('/eventTypeCode', 'unknown_event_type', { code: input.eventTypeCode }));
    out['eventTypeId'] = type?.id ?? null;
  }
  if (input.responsibleUnitCode !== undefined) {
    const unit = await appSql(transaction).selectFrom('units').select('id').where('code', '=', input.responsibleUnitCode).executeTakeFirst();
    if (!unit) problems.push(fieldProblem('/responsibleUnitCode', 'unknown_unit', { code: input.responsibleUnitCode }));
    out['responsibleUnitId'] = unit?.id;
  }
  if (input.assistingUnitCodes !== undefined) {
    const codes = [...new Set(input.assistingUnitCodes ?? [])];
    const known = new Set(
      codes.length ? (await appSql(transaction).selectFrom('units').select('code').where('code', 'in', codes).execute()).map((u) => u.code) : [],
    );
    codes.forEach((c) => {
      if (!known.has(c)) problems.push(fieldProblem('/assistingUnitCodes', 'unknown_unit', { code: c }));
    });
    out['assistingUnitCodes'] = jsonText(codes.length ? codes : null);
  }
  throwIf(problems, unknownReference);
  for (const f of ['name', 'category', 'basis'] as const) if (input[f] !== undefined) out[f] = input[f];
  return out as Partial<Insertable<GovernanceItemsTable>>;
}

export function createGovernanceItem(actor: RegistryActor, input: GovernanceItemInput & { code: string }): Promise<GovernanceItemView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const values = await check(input, true, transaction);
    if (await items(transaction).select('id').where('code', '=', input.code).executeTakeFirst()) throw duplicate('/code', input.code);
    const now = new Date();
    // the column checks require every NOT NULL column on create
    const row = {
      code: input.code,
      eventTypeId: null,
      assistingUnitCodes: null,
      basis: null,
      ...values,
      createdAt: now,
      updatedAt: now,
    } as Insertable<GovernanceItemsTable>;
    const inserted = await appSql(transaction).insertInto('governance_items').values(row).executeTakeFirstOrThrow();
    const item = { ...row, id: Number(inserted.insertId) } as GovernanceItem;
    const [after] = await views([item], transaction);
    return { result: after!, entity: 'governance_item', key: item.code, before: null, after };
  });
}

export function updateGovernanceItem(actor: RegistryActor, key: string, input: GovernanceItemInput): Promise<GovernanceItemView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const item = await findItem(key, transaction);
    const [before] = await views([item], transaction);
    const changes = changedValues(item, (await check(input, false, transaction)) as Partial<GovernanceItem>);
    let changed = item;
    if (hasChanges(changes)) {
      changed = { ...item, ...changes, updatedAt: new Date() };
      await appSql(transaction)
        .updateTable('governance_items')
        .set({ ...changes, updatedAt: changed.updatedAt })
        .where('id', '=', item.id)
        .execute();
    }
    const [after] = await views([changed], transaction);
    return { result: after!, entity: 'governance_item', key: item.code, before, after };
  });
}

/** Nothing refers to a governance item (it points at its event type and units), so it can always go. */
export function deleteGovernanceItem(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const item = await findItem(key, transaction);
    const [before] = await views([item], transaction);
    await appSql(transaction).deleteFrom('governance_items').where('id', '=', item.id).execute();
    return { result: undefined, entity: 'governance_item', key: item.code, before, after: null };
  });
}
