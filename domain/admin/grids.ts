import type { Transaction } from 'sequelize';
import { GRID_COLUMNS, parsePolygon } from '../../db/import/columns.js';
import { CameraDevice, Case, Grid, Unit, UserGrid } from '../../db/models/index.js';
import type { Polygon } from '../../db/models/grids.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, inUse, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

export interface GridView {
  id: number;
  code: string;
  name: string;
  townshipId: number;
  townshipCode: string | null;
  communityId: number;
  communityCode: string | null;
  centroidLng: number;
  centroidLat: number;
  polygon: Polygon | null;
  gridKind: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GridInput {
  code?: string;
  name?: string;
  townshipCode?: string;
  communityCode?: string;
  centroidLng?: number;
  centroidLat?: number;
  polygon?: Polygon | null;
  gridKind?: '综合' | '专属';
  enabled?: boolean;
}

export interface GridQuery extends PageQuery {
  townshipCode?: string;
  communityCode?: string;
  enabled?: boolean;
}

async function unitCodes(ids: number[], transaction?: Transaction): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await Unit.findAll({ where: { id: wanted }, attributes: ['id', 'code'], ...(transaction ? { transaction } : {}) });
  return new Map(rows.map((u) => [u.id, u.code]));
}

function view(g: Grid, codes: Map<number, string>): GridView {
  return {
    id: g.id, code: g.code, name: g.name, townshipId: g.townshipId, townshipCode: codes.get(g.townshipId) ?? null,
    communityId: g.communityId, communityCode: codes.get(g.communityId) ?? null, centroidLng: g.centroidLng, centroidLat: g.centroidLat,
    polygon: g.polygon ?? null, gridKind: g.gridKind, enabled: g.active !== false,
    createdAt: g.createdAt.toISOString(), updatedAt: g.updatedAt.toISOString(),
  };
}

const viewOne = async (g: Grid, transaction?: Transaction) => view(g, await unitCodes([g.townshipId, g.communityId], transaction));

export async function findGrid(key: string, transaction?: Transaction): Promise<Grid | null> {
  const t = transaction ? { transaction } : {};
  if (/^\d{1,10}$/.test(key)) {
    const byId = await Grid.findByPk(Number(key), t);
    if (byId) return byId;
  }
  return Grid.findOne({ where: { code: key }, ...t });
}

async function requireGrid(key: string, transaction?: Transaction): Promise<Grid> {
  const g = await findGrid(key, transaction);
  if (!g) throw notFound('grid', key);
  return g;
}

export async function listGrids(query: GridQuery): Promise<Paged<GridView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const byCode = async (code: string | undefined) => (code === undefined ? undefined : (await Unit.findOne({ where: { code } }))?.id ?? -1);
  const township = await byCode(query.townshipCode);
  const community = await byCode(query.communityCode);
  const where = allOf(
    textFilter(query.q, ['code', 'name']),
    township !== undefined ? { townshipId: township } : null,
    community !== undefined ? { communityId: community } : null,
    query.enabled !== undefined ? { active: query.enabled } : null,
  );
  const { rows, count } = await Grid.findAndCountAll({ where, order: [['code', 'ASC']], limit, offset });
  const codes = await unitCodes(rows.flatMap((g) => [g.townshipId, g.communityId]));
  return { items: rows.map((g) => view(g, codes)), total: count, page, pageSize };
}

export async function getGrid(key: string): Promise<GridView> {
  return viewOne(await requireGrid(key));
}

const polygonText = (p: Polygon) => p.map(([lng, lat]) => `${lng} ${lat}`).join(', ');

/** The importer's checks: formats (coordinates, closed polygon), then a township and a community of it. */
async function checkGrid(input: GridInput, current: Grid | null, transaction: Transaction): Promise<{ townshipId: number; communityId: number }> {
  throwIf(checkCells(GRID_COLUMNS, {
    code: current ? undefined : cellOf('/code', input.code),
    name: cellOf('/name', input.name),
    township_code: cellOf('/townshipCode', input.townshipCode),
    community_code: cellOf('/communityCode', input.communityCode),
    centroid_lng: cellOf('/centroidLng', input.centroidLng),
    centroid_lat: cellOf('/centroidLat', input.centroidLat),
    polygon: cellOf('/polygon', input.polygon, polygonText),
    grid_kind: cellOf('/gridKind', input.gridKind),
  }, !current));
  const township = input.townshipCode !== undefined
    ? await Unit.findOne({ where: { code: input.townshipCode }, transaction })
    : await Unit.findByPk(current!.townshipId, { transaction });
  const community = input.communityCode !== undefined
    ? await Unit.findOne({ where: { code: input.communityCode }, transaction })
    : await Unit.findByPk(current!.communityId, { transaction });
  const problems: FieldProblem[] = [];
  if (township?.kind !== 'township') problems.push({ path: '/townshipCode', message: `${input.townshipCode ?? township?.code} is not a known township` });
  if (community?.kind !== 'community' || !township || community.parentId !== township.id) {
    problems.push({ path: '/communityCode', message: `${input.communityCode ?? community?.code} is not a known community of ${township?.code ?? input.townshipCode}` });
  }
  throwIf(problems, unknownReference);
  return { townshipId: township!.id, communityId: community!.id };
}

export function createGrid(actor: RegistryActor, input: GridInput & { code: string; name: string; townshipCode: string; communityCode: string; centroidLng: number; centroidLat: number }): Promise<GridView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { townshipId, communityId } = await checkGrid(input, null, transaction);
    if (await Grid.findOne({ where: { code: input.code }, transaction })) throw duplicate('/code', input.code);
    const g = await Grid.create({
      code: input.code, name: input.name, townshipId, communityId, centroidLng: input.centroidLng, centroidLat: input.centroidLat,
      polygon: input.polygon ? parsePolygon(polygonText(input.polygon)) : null, gridKind: input.gridKind ?? '综合', active: input.enabled ?? true,
    }, { transaction });
    const after = await viewOne(g, transaction);
    return { result: after, entity: 'grid', key: g.code, before: null, after };
  });
}

export function updateGrid(actor: RegistryActor, key: string, input: GridInput): Promise<GridView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const g = await requireGrid(key, transaction);
    const before = await viewOne(g, transaction);
    const { townshipId, communityId } = await checkGrid(input, g, transaction);
    g.set({
      townshipId, communityId,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.centroidLng !== undefined ? { centroidLng: input.centroidLng } : {}),
      ...(input.centroidLat !== undefined ? { centroidLat: input.centroidLat } : {}),
      ...(input.polygon !== undefined ? { polygon: input.polygon ? parsePolygon(polygonText(input.polygon)) : null } : {}),
      ...(input.gridKind !== undefined ? { gridKind: input.gridKind } : {}),
      ...(input.enabled !== undefined ? { active: input.enabled } : {}),
    });
    await g.save({ transaction });
    const after = await viewOne(g, transaction);
    return { result: after, entity: 'grid', key: g.code, before, after };
  });
}

export function deleteGrid(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const g = await requireGrid(key, transaction);
    const before = await viewOne(g, transaction);
    const refs = {
      cases: await Case.count({ where: { gridId: g.id }, transaction }),
      'grid workers': await UserGrid.count({ where: { gridId: g.id }, transaction }),
      'camera devices': await CameraDevice.count({ where: { gridId: g.id }, transaction }),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs, 'switch it off with enabled: false instead');
    await g.destroy({ transaction });
    return { result: undefined, entity: 'grid', key: g.code, before, after: null };
  });
}
