import type { Selectable } from 'kysely';
import { GRID_COLUMNS, parsePolygon } from '../../db/import/columns.js';
import { type Polygon } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { GridsTable } from '../../db/sql/schema.js';
import { tableWritten } from '../../db/sql/table-writes.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { cellOf, checkCells } from './column-checks.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges, jsonText, parseJson } from './row-changes.js';
import { duplicate, fieldProblem, inUse, notFound, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

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

/** A grid as the table holds it (the polygon as its JSON text). */
export type Grid = Selectable<GridsTable>;

const grids = (transaction?: Tx) => appSql(transaction).selectFrom('grids');

async function unitCodes(ids: number[], transaction?: Tx): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await appSql(transaction).selectFrom('units').select(['id', 'code']).where('id', 'in', wanted).execute();
  return new Map(rows.map((u) => [u.id, u.code]));
}

const unitBy = (column: 'id' | 'code', value: number | string, transaction: Tx) =>
  appSql(transaction)
    .selectFrom('units')
    .select(['id', 'code', 'kind', 'parentId'])
    .where(column, '=', value as never)
    .executeTakeFirst();

function view(g: Grid, codes: Map<number, string>): GridView {
  return {
    id: g.id,
    code: g.code,
    name: g.name,
    townshipId: g.townshipId,
    townshipCode: codes.get(g.townshipId) ?? null,
    communityId: g.communityId,
    communityCode: codes.get(g.communityId) ?? null,
    centroidLng: g.centroidLng,
    centroidLat: g.centroidLat,
    polygon: parseJson<Polygon>(g.polygon),
    gridKind: g.gridKind,
    enabled: g.active !== false,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

const viewOne = async (g: Grid, transaction?: Tx) => view(g, await unitCodes([g.townshipId, g.communityId], transaction));

export async function findGrid(key: string, transaction?: Tx): Promise<Grid | null> {
  if (/^\d{1,10}$/.test(key)) {
    const byId = await grids(transaction).selectAll().where('id', '=', Number(key)).executeTakeFirst();
    if (byId) return byId;
  }
  return (await grids(transaction).selectAll().where('code', '=', key).executeTakeFirst()) ?? null;
}

async function requireGrid(key: string, transaction?: Tx): Promise<Grid> {
  const g = await findGrid(key, transaction);
  if (!g) throw notFound('grid', key);
  return g;
}

export async function listGrids(query: GridQuery): Promise<Paged<GridView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  const byCode = async (code: string | undefined) =>
    code === undefined ? undefined : ((await appSql().selectFrom('units').select('id').where('code', '=', code).executeTakeFirst())?.id ?? -1);
  const township = await byCode(query.townshipCode);
  const community = await byCode(query.communityCode);
  const text = textFilter(query.q, ['code', 'name']);
  const matching = grids()
    .$if(!!text, (b) => b.where(text!))
    .$if(township !== undefined, (b) => b.where('townshipId', '=', township!))
    .$if(community !== undefined, (b) => b.where('communityId', '=', community!))
    .$if(query.enabled !== undefined, (b) => b.where('active', '=', query.enabled!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('code', 'asc').limit(limit).offset(offset).execute(),
  ]);
  const count = Number(counted.n);
  const codes = await unitCodes(rows.flatMap((g) => [g.townshipId, g.communityId]));
  return { items: rows.map((g) => view(g, codes)), total: count, page, pageSize };
}

export async function getGrid(key: string): Promise<GridView> {
  return viewOne(await requireGrid(key));
}

const polygonText = (p: Polygon) => p.map(([lng, lat]) => `${lng} ${lat}`).join(', ');

/** The importer's checks: formats (coordinates, closed polygon), then a township and a community of it. */
async function checkGrid(input: GridInput, current: Grid | null, transaction: Tx): Promise<{ townshipId: number; communityId: number }> {
  throwIf(
    checkCells(
      GRID_COLUMNS,
      {
        code: current ? undefined : cellOf('/code', input.code),
        name: cellOf('/name', input.name),
        township_code: cellOf('/townshipCode', input.townshipCode),
        community_code: cellOf('/communityCode', input.communityCode),
        centroid_lng: cellOf('/centroidLng', input.centroidLng),
        centroid_lat: cellOf('/centroidLat', input.centroidLat),
        polygon: cellOf('/polygon', input.polygon, polygonText),
        grid_kind: cellOf('/gridKind', input.gridKind),
      },
      !current,
    ),
  );
  const township =
    input.townshipCode !== undefined ? await unitBy('code', input.townshipCode, transaction) : await unitBy('id', current!.townshipId, transaction);
  const community =
    input.communityCode !== undefined ? await unitBy('code', input.communityCode, transaction) : await unitBy('id', current!.communityId, transaction);
  const problems: FieldProblem[] = [];
  if (township?.kind !== 'township') problems.push(fieldProblem('/townshipCode', 'unknown_township', { code: input.townshipCode ?? township?.code ?? '' }));
  if (community?.kind !== 'community' || !township || community.parentId !== township.id) {
    problems.push(
      fieldProblem('/communityCode', 'unknown_community', {
        code: input.communityCode ?? community?.code ?? '',
        township: township?.code ?? input.townshipCode ?? '',
      }),
    );
  }
  throwIf(problems, unknownReference);
  return { townshipId: township!.id, communityId: community!.id };
}

export function createGrid(
  actor: RegistryActor,
  input: GridInput & { code: string; name: string; townshipCode: string; communityCode: string; centroidLng: number; centroidLat: number },
): Promise<GridView> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { townshipId, communityId } = await checkGrid(input, null, transaction);
    if (await grids(transaction).select('id').where('code', '=', input.code).executeTakeFirst()) throw duplicate('/code', input.code);
    const now = new Date();
    const values = {
      code: input.code,
      name: input.name,
      townshipId,
      communityId,
      centroidLng: input.centroidLng,
      centroidLat: input.centroidLat,
      polygon: jsonText(input.polygon ? parsePolygon(polygonText(input.polygon)) : null),
      gridKind: input.gridKind ?? '综合',
      active: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await appSql(transaction).insertInto('grids').values(values).executeTakeFirstOrThrow();
    tableWritten('grids', transaction);
    const g: Grid = { id: Number(inserted.insertId), ...values };
    const after = await viewOne(g, transaction);
    return { result: after, entity: 'grid', key: g.code, before: null, after };
  });
}

export function updateGrid(actor: RegistryActor, key: string, input: GridInput): Promise<GridView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const g = await requireGrid(key, transaction);
    const before = await viewOne(g, transaction);
    const { townshipId, communityId } = await checkGrid(input, g, transaction);
    const changes = changedValues(g, {
      townshipId,
      communityId,
      name: input.name,
      centroidLng: input.centroidLng,
      centroidLat: input.centroidLat,
      polygon: input.polygon !== undefined ? jsonText(input.polygon ? parsePolygon(polygonText(input.polygon)) : null) : undefined,
      gridKind: input.gridKind,
      active: input.enabled,
    });
    let changed = g;
    if (hasChanges(changes)) {
      changed = { ...g, ...changes, updatedAt: new Date() };
      await appSql(transaction)
        .updateTable('grids')
        .set({ ...changes, updatedAt: changed.updatedAt })
        .where('id', '=', g.id)
        .execute();
      tableWritten('grids', transaction);
    }
    const after = await viewOne(changed, transaction);
    return { result: after, entity: 'grid', key: g.code, before, after };
  });
}

export function deleteGrid(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const g = await requireGrid(key, transaction);
    const before = await viewOne(g, transaction);
    const q = appSql(transaction);
    const refs = {
      cases: Number(
        (
          await q
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('gridId', '=', g.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      'grid workers': Number(
        (
          await q
            .selectFrom('user_grids')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('gridId', '=', g.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      'camera devices': Number(
        (
          await q
            .selectFrom('camera_devices')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('gridId', '=', g.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs);
    await q.deleteFrom('grids').where('id', '=', g.id).execute();
    tableWritten('grids', transaction);
    return { result: undefined, entity: 'grid', key: g.code, before, after: null };
  });
}
