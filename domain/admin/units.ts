import { Op, type Transaction } from 'sequelize';
import { UNIT_COLUMNS } from '../../db/import/columns.js';
import { Case, Evaluation, EventType, GovernanceItem, Grid, InboxTask, Unit, User } from '../../db/models/index.js';
import type { UnitKind } from '../../db/models/units.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, inUse, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

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

async function codesOf(ids: Array<number | null>, transaction?: Transaction): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!wanted.length) return new Map();
  const rows = await Unit.findAll({ where: { id: wanted }, attributes: ['id', 'code'], ...(transaction ? { transaction } : {}) });
  return new Map(rows.map((u) => [u.id, u.code]));
}

function view(u: Unit, parentCode: string | null): UnitView {
  return {
    id: u.id, code: u.code, name: u.name, shortName: u.shortName ?? null, kind: u.kind, parentId: u.parentId ?? null, parentCode,
    contactPerson: u.contactPerson ?? null, contactPhone: u.contactPhone ?? null, enabled: u.active !== false,
    createdAt: u.createdAt.toISOString(), updatedAt: u.updatedAt.toISOString(),
  };
}

async function viewOne(u: Unit, transaction?: Transaction): Promise<UnitView> {
  return view(u, (await codesOf([u.parentId], transaction)).get(u.parentId ?? -1) ?? null);
}

/** A unit by numeric id or by code. */
export async function findUnit(key: string, transaction?: Transaction): Promise<Unit | null> {
  const t = transaction ? { transaction } : {};
  if (/^\d{1,10}$/.test(key)) {
    const byId = await Unit.findByPk(Number(key), t);
    if (byId) return byId;
  }
  return Unit.findOne({ where: { code: key }, ...t });
}

async function requireUnit(key: string, transaction?: Transaction): Promise<Unit> {
  const u = await findUnit(key, transaction);
  if (!u) throw notFound('unit', key);
  return u;
}

export async function listUnits(query: UnitQuery): Promise<Paged<UnitView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let parentFilter = null;
  if (query.parentCode !== undefined) {
    const parent = await Unit.findOne({ where: { code: query.parentCode } });
    parentFilter = { parentId: parent ? parent.id : -1 };
  }
  const where = allOf(
    textFilter(query.q, ['code', 'name', 'short_name']),
    query.kind ? { kind: query.kind } : null,
    query.enabled !== undefined ? { active: query.enabled } : null,
    parentFilter,
  );
  const { rows, count } = await Unit.findAndCountAll({ where, order: [['code', 'ASC']], limit, offset });
  const parents = await codesOf(rows.map((u) => u.parentId));
  return { items: rows.map((u) => view(u, parents.get(u.parentId ?? -1) ?? null)), total: count, page, pageSize };
}

export async function getUnit(key: string): Promise<UnitView> {
  return viewOne(await requireUnit(key));
}

const FIELDS = { name: 'name', shortName: 'short_name', kind: 'kind', parentCode: 'parent_code', contactPerson: 'contact_person', contactPhone: 'contact_phone' } as const;

/** The importer's checks: column formats, then the parent (another known unit; a community's is a township; no cycles). */
async function checkUnit(input: UnitInput, current: Unit | null, transaction: Transaction): Promise<{ parentId: number | null | undefined }> {
  const cells: Record<string, ReturnType<typeof cellOf>> = { code: current ? undefined : cellOf('/code', input.code) };
  for (const [field, column] of Object.entries(FIELDS)) cells[column] = cellOf(`/${field}`, input[field as keyof typeof FIELDS]);
  throwIf(checkCells(UNIT_COLUMNS, cells, !current));

  const kind = input.kind ?? current?.kind;
  let parent: Unit | null | undefined;
  if (input.parentCode !== undefined) parent = input.parentCode === null ? null : await Unit.findOne({ where: { code: input.parentCode }, transaction });
  else parent = current?.parentId ? await Unit.findByPk(current.parentId, { transaction }) : null;
  if (input.parentCode && !parent) throw unknownReference([{ path: '/parentCode', message: `${input.parentCode} is not a known unit` }]);
  const problems: FieldProblem[] = [];
  if (parent && current && parent.id === current.id) problems.push({ path: '/parentCode', message: 'a unit cannot be its own parent' });
  if (kind === 'community' && parent?.kind !== 'township') problems.push({ path: '/parentCode', message: 'a community belongs to a township' });
  if (parent && current && !problems.length) {
    // walk up from the new parent: meeting this unit would make a cycle
    const seen = new Set<number>();
    for (let p: Unit | null = parent; p; p = p.parentId ? await Unit.findByPk(p.parentId, { transaction }) : null) {
      if (p.id === current.id || seen.has(p.id)) {
        problems.push({ path: '/parentCode', message: `${parent.code} is below this unit` });
        break;
      }
      seen.add(p.id);
    }
  }
  throwIf(problems);
  return { parentId: input.parentCode === undefined ? undefined : parent?.id ?? null };
}

/** Who refers to a unit, by what. */
async function referencesTo(u: Unit, transaction: Transaction): Promise<Record<string, number>> {
  const t = { transaction };
  const items = await GovernanceItem.findAll({ attributes: ['responsibleUnitId', 'assistingUnitCodes'], ...t });
  return {
    'child units': await Unit.count({ where: { parentId: u.id }, ...t }),
    grids: await Grid.count({ where: { [Op.or]: [{ townshipId: u.id }, { communityId: u.id }] }, ...t }),
    users: await User.count({ where: { unitId: u.id }, ...t }),
    'event types': await EventType.count({ where: { ownerUnitId: u.id }, ...t }),
    'governance items': items.filter((i) => i.responsibleUnitId === u.id || (i.assistingUnitCodes ?? []).includes(u.code)).length,
    cases: await Case.count({ where: { [Op.or]: [{ unitId: u.id }, { townshipId: u.id }] }, ...t }),
    evaluations: await Evaluation.count({ where: { unitId: u.id }, ...t }),
    tasks: await InboxTask.count({ where: { unitId: u.id }, ...t }),
  };
}

export function createUnit(actor: RegistryActor, input: UnitInput & { code: string; name: string; kind: UnitKind }): Promise<UnitView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { parentId } = await checkUnit(input, null, transaction);
    if (await Unit.findOne({ where: { code: input.code }, transaction })) throw duplicate('/code', input.code);
    const u = await Unit.create({
      code: input.code, name: input.name, shortName: input.shortName ?? null, kind: input.kind, parentId: parentId ?? null,
      contactPerson: input.contactPerson ?? null, contactPhone: input.contactPhone ?? null, active: input.enabled ?? true,
    }, { transaction });
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
        grids: await Grid.count({ where: { [Op.or]: [{ townshipId: u.id }, { communityId: u.id }] }, transaction }),
        'child communities': await Unit.count({ where: { parentId: u.id, kind: 'community' }, transaction }),
      };
      if (Object.values(dependants).some((n) => n > 0)) throw inUse(dependants, 'the kind cannot change while they do');
    }
    u.set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shortName !== undefined ? { shortName: input.shortName } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(parentId !== undefined ? { parentId } : {}),
      ...(input.contactPerson !== undefined ? { contactPerson: input.contactPerson } : {}),
      ...(input.contactPhone !== undefined ? { contactPhone: input.contactPhone } : {}),
      ...(input.enabled !== undefined ? { active: input.enabled } : {}),
    });
    await u.save({ transaction });
    const after = await viewOne(u, transaction);
    return { result: after, entity: 'unit', key: u.code, before, after };
  });
}

export function deleteUnit(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const u = await requireUnit(key, transaction);
    const before = await viewOne(u, transaction);
    const refs = await referencesTo(u, transaction);
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs, 'switch it off with enabled: false instead');
    await u.destroy({ transaction });
    return { result: undefined, entity: 'unit', key: u.code, before, after: null };
  });
}
