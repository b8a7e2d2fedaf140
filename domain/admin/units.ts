import type { Selectable } from 'kysely';
import { UNIT_COLUMNS } from '../../db/import/columns.js';
import { type UnitKind } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { UnitsTable } from '../../db/sql/schema.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges, parseJson } from './row-changes.js';
import { duplicate, fieldProblem, inUse, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

export interface UnitView {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: UnitKind;
  parentId: number | null;
  parentCode: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UnitInput {
  code?: string;
  name?: string;
  shortName?: string | null;
  kind?: UnitKind;
  parentCode?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
  enabled?: boolean;
}

export interface UnitQuery extends PageQuery {
  kind?: UnitKind;
  parentCode?: string;
  enabled?: boolean;
}

/** A unit as the table holds it. */
export type Unit = Selectable<UnitsTable> & { kind: UnitKind };

const units = (transaction?: Tx) => appSql(transaction).selectFrom('units');
const unitWhere = (column: 'id' | 'code', value: number | string, transaction?: Tx) =>
  units(transaction)
    .selectAll()
    .where(column, '=', value as never)
    .executeTakeFirst() as Promise<Unit | undefined>;

async function codesOf(ids: Array<number | null>, transaction?: Tx): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!wanted.length) return new Map();
  const rows = await units(transaction).select(['id', 'code']).where('id', 'in', wanted).execute();
  return new Map(rows.map((u) => [u.id, u.code]));
}

function view(u: Unit, parentCode: string | null): UnitView {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    shortName: u.shortName ?? null,
    kind: u.kind,
    parentId: u.parentId ?? null,
    parentCode,
    contactPerson: u.contactPerson ?? null,
    contactPhone: u.contactPhone ?? null,
    enabled: u.active !== false,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

async function viewOne(u: Unit, transaction?: Tx): Promise<UnitView> {
  return view(u, (await codesOf([u.parentId], transaction)).get(u.parentId ?? -1) ?? null);
}

/** A unit by numeric id or by code. */
export async function findUnit(key: string, transaction?: Tx): Promise<Unit | null> {
  if (/^\d{1,10}$/.test(key)) {
    const byId = await unitWhere('id', Number(key), transaction);
    if (byId) return byId;
  }
  return (await unitWhere('code', key, transaction)) ?? null;
}

async function requireUnit(key: string, transaction?: Tx): Promise<Unit> {
  const u = await findUnit(key, transaction);
  if (!u) throw notFound('unit', key);
  return u;
}

export async function listUnits(query: UnitQuery): Promise<Paged<UnitView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let parentId: number | undefined;
  if (query.parentCode !== undefined) parentId = (await unitWhere('code', query.parentCode))?.id ?? -1;
  const text = textFilter(query.q, ['code', 'name', 'shortName']);
  const matching = units()
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.kind, (b) => b.where('kind', '=', query.kind!))
    .$if(query.enabled !== undefined, (b) => b.where('active', '=', query.enabled!))
    .$if(parentId !== undefined, (b) => b.where('parentId', '=', parentId!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('code', 'asc').limit(limit).offset(offset).execute() as Promise<Unit[]>,
  ]);
  const count = Number(counted.n);
  const parents = await codesOf(rows.map((u) => u.parentId));
  return { items: rows.map((u) => view(u, parents.get(u.parentId ?? -1) ?? null)), total: count, page, pageSize };
}

export async function getUnit(key: string): Promise<UnitView> {
  return viewOne(await requireUnit(key));
}

const FIELDS = {
  name: 'name',
  shortName: 'short_name',
  kind: 'kind',
  parentCode: 'parent_code',
  contactPerson: 'contact_person',
  contactPhone: 'contact_phone',
} as const;

/** The importer's checks: column formats, then the parent (another known unit; a community's is a township; no cycles). */
async function checkUnit(input: UnitInput, current: Unit | null, transaction: Tx): Promise<{ parentId: number | null | undefined }> {
  const cells: Record<string, ReturnType<typeof cellOf>> = { code: current ? undefined : cellOf('/code', input.code) };
  for (const [field, column] of Object.entries(FIELDS)) cells[column] = cellOf(`/${field}`, input[field as keyof typeof FIELDS]);
  throwIf(checkCells(UNIT_COLUMNS, cells, !current));

  const kind = input.kind ?? current?.kind;
  let parent: Unit | null | undefined;
  if (input.parentCode !== undefined) parent = input.parentCode === null ? null : await unitWhere('code', input.parentCode, transaction);
  else parent = current?.parentId ? await unitWhere('id', current.parentId, transaction) : null;
  if (input.parentCode && !parent) throw unknownReference([fieldProblem('/parentCode', 'unknown_unit', { code: input.parentCode })]);
  const problems: FieldProblem[] = [];
  if (parent && current && parent.id === current.id) problems.push(fieldProblem('/parentCode', 'own_parent'));
  if (kind === 'community' && parent?.kind !== 'township') problems.push(fieldProblem('/parentCode', 'community_parent'));
  if (parent && current && !problems.length) {
    // walk up from the new parent: meeting this unit would make a cycle
    const seen = new Set<number>();
    for (let p: Unit | null | undefined = parent; p; p = p.parentId ? await unitWhere('id', p.parentId, transaction) : null) {
      if (p.id === current.id || seen.has(p.id)) {
        problems.push(fieldProblem('/parentCode', 'parent_below', { code: parent.code }));
        break;
      }
      seen.add(p.id);
    }
  }
  throwIf(problems);
  return { parentId: input.parentCode === undefined ? undefined : (parent?.id ?? null) };
}

/** Who refers to a unit, by what. */
async function referencesTo(u: Unit, transaction: Tx): Promise<Record<string, number>> {
  const q = appSql(transaction);
  const n = async (counted: Promise<{ n: number | string | bigint }>) => Number((await counted).n);
  const items = await q.selectFrom('governance_items').select(['responsibleUnitId', 'assistingUnitCodes']).execute();
  return {
    'child units': await n(
      q
        .selectFrom('units')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('parentId', '=', u.id)
        .executeTakeFirstOrThrow(),
    ),
    grids: await n(
      q
        .selectFrom('grids')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('townshipId', '=', u.id), eb('communityId', '=', u.id)]))
        .executeTakeFirstOrThrow(),
    ),
    users: await n(
      q
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('unitId', '=', u.id)
        .executeTakeFirstOrThrow(),
    ),
    'event types': await n(
      q
        .selectFrom('event_types')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('ownerUnitId', '=', u.id)
        .executeTakeFirstOrThrow(),
    ),
    'governance items': items.filter((i) => i.responsibleUnitId === u.id || (parseJson<string[]>(i.assistingUnitCodes) ?? []).includes(u.code)).length,
    cases: await n(
      q
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('unitId', '=', u.id), eb('townshipId', '=', u.id)]))
        .executeTakeFirstOrThrow(),
    ),
    evaluations: await n(
      q
        .selectFrom('evaluations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('unitId', '=', u.id)
        .executeTakeFirstOrThrow(),
    ),
    tasks: await n(
      q
        .selectFrom('inbox_tasks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('unitId', '=', u.id)
        .executeTakeFirstOrThrow(),
    ),
  };
}

export function createUnit(actor: RegistryActor, input: UnitInput & { code: string; name: string; kind: UnitKind }): Promise<UnitView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { parentId } = await checkUnit(input, null, transaction);
    if (await unitWhere('code', input.code, transaction)) throw duplicate('/code', input.code);
    const now = new Date();
    const values = {
      code: input.code,
      name: input.name,
      shortName: input.shortName ?? null,
      kind: input.kind,
      parentId: parentId ?? null,
      contactPerson: input.contactPerson ?? null,
      contactPhone: input.contactPhone ?? null,
      active: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await appSql(transaction).insertInto('units').values(values).executeTakeFirstOrThrow();
    const u: Unit = { id: Number(inserted.insertId), ...values };
    const after = await viewOne(u, transaction);
    return { result: after, entity: 'unit', key: u.code, before: null, after };
  });
}

export function updateUnit(actor: RegistryActor, key: string, input: UnitInput): Promise<UnitView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const u = await requireUnit(key, transaction);
    const before = await viewOne(u, transaction);
    const { parentId } = await checkUnit(input, u, transaction);
    if (input.kind !== undefined && input.kind !== u.kind) {
      // grids and communities rely on the kind of what they point at
      const dependants = {
        grids: Number(
          (
            await appSql(transaction)
              .selectFrom('grids')
              .select((eb) => eb.fn.countAll().as('n'))
              .where((eb) => eb.or([eb('townshipId', '=', u.id), eb('communityId', '=', u.id)]))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        'child communities': Number(
          (
            await units(transaction)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('parentId', '=', u.id)
              .where('kind', '=', 'community')
              .executeTakeFirstOrThrow()
          ).n,
        ),
      };
      if (Object.values(dependants).some((n) => n > 0)) throw inUse(dependants, 'in_use_kind');
    }
    const changes = changedValues(u, {
      name: input.name,
      shortName: input.shortName,
      kind: input.kind,
      parentId,
      contactPerson: input.contactPerson,
      contactPhone: input.contactPhone,
      active: input.enabled,
    });
    let changed = u;
    if (hasChanges(changes)) {
      changed = { ...u, ...changes, updatedAt: new Date() };
      await appSql(transaction)
        .updateTable('units')
        .set({ ...changes, updatedAt: changed.updatedAt })
        .where('id', '=', u.id)
        .execute();
    }
    const after = await viewOne(changed, transaction);
    return { result: after, entity: 'unit', key: u.code, before, after };
  });
}

export function deleteUnit(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const u = await requireUnit(key, transaction);
    const before = await viewOne(u, transaction);
    const refs = await referencesTo(u, transaction);
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs);
    await appSql(transaction).deleteFrom('units').where('id', '=', u.id).execute();
    return { result: undefined, entity: 'unit', key: u.code, before, after: null };
  });
}
