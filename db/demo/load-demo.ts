import { fileURLToPath } from 'node:url';
import { productPath } from '../../config/product-root.js';
import { hashPassword } from '../../domain/auth/password.js';
import { importCsvFiles, type ImportSummary } from '../import/importer.js';
import type { Sql } from '../sql/index.js';
import { tableWritten } from '../sql/table-writes.js';
import { type Role } from '../vocabulary.js';

/** The demo district's CSV files, shipped in this folder in the import format. */
export const DEMO_FILES = {
  units: fileURLToPath(productPath('db/demo/units.csv')),
  grids: fileURLToPath(productPath('db/demo/grids.csv')),
  eventTypes: fileURLToPath(productPath('db/demo/event_types.csv')),
  items: fileURLToPath(productPath('db/demo/items.csv')),
  classifyExamples: fileURLToPath(productPath('db/demo/classify_examples.csv')),
};

export interface DemoAccount {
  username: string;
  role: Role;
  displayName: string;
  unit: string | null;
}

interface DemoUnit {
  id: number;
  name: string;
  shortName: string | null;
}

/** Finds the unit a demo account belongs to, by kind and a name fragment, so the CSVs stay the only source. */
async function findUnit(db: Sql, kind: string, nameLike?: string): Promise<DemoUnit | null> {
  return (
    (await db
      .selectFrom('units')
      .select(['id', 'name', 'shortName'])
      .where('kind', '=', kind)
      .$if(!!nameLike, (q) => q.where('name', 'like', `%${nameLike}%`))
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

const unitById = async (db: Sql, id: number): Promise<DemoUnit | null> =>
  (await db.selectFrom('units').select(['id', 'name', 'shortName']).where('id', '=', id).executeTakeFirst()) ?? null;

/**
 * One account per role; department accounts work in the city-management bureau (城管局), and two more staff
 * accounts work where 属地 cases go: the first grid's township (街道) and its community (社区).
 */
async function createDemoUsers(password: string, db: Sql): Promise<DemoAccount[]> {
  const centre = await findUnit(db, 'centre');
  const cgj = (await findUnit(db, 'department', '城市管理')) ?? (await findUnit(db, 'department'));
  const firstGrid = await db.selectFrom('grids').select(['townshipId', 'communityId']).orderBy('id', 'asc').limit(1).executeTakeFirst();
  const township = firstGrid ? await unitById(db, firstGrid.townshipId) : await findUnit(db, 'township');
  const community = firstGrid?.communityId ? await unitById(db, firstGrid.communityId) : await findUnit(db, 'community');
  const plan: Array<{ username: string; role: Role; displayName: string; unit: DemoUnit | null; phone: string }> = [
    { username: 'admin', role: 'admin', displayName: '系统管理员', unit: centre, phone: '0874-3100001' },
    { username: 'operator', role: 'operator', displayName: '指挥中心值班员 李娟', unit: centre, phone: '0874-3100002' },
    { username: 'clerk', role: 'dept_staff', displayName: `${cgj?.shortName ?? '城管局'}办事员 张伟`, unit: cgj, phone: '0874-3100003' },
    { username: 'dept_leader', role: 'dept_leader', displayName: `${cgj?.shortName ?? '城管局'}分管领导 王强`, unit: cgj, phone: '0874-3100004' },
    // 属地 cases go to the grid's township (and the township may pass them to a community): both have someone to act
    { username: 'township', role: 'dept_staff', displayName: `${township?.shortName ?? '街道'}办事员 杨帆`, unit: township, phone: '0874-3100008' },
    { username: 'community', role: 'dept_staff', displayName: `${community?.shortName ?? '社区'}工作人员 周洁`, unit: community, phone: '0874-3100009' },
    { username: 'gridworker', role: 'grid_worker', displayName: '网格员 赵敏', unit: township, phone: '13908740005' },
    { username: 'leader', role: 'leader', displayName: '区领导 陈刚', unit: null, phone: '0874-3100006' },
    { username: 'auditor', role: 'auditor', displayName: '审计员 刘芳', unit: null, phone: '0874-3100007' },
  ];
  const passwordHash = await hashPassword(password); // one hash: demo accounts share a password
  const now = new Date();
  for (const p of plan) {
    const inserted = await db
      .insertInto('users')
      .values({
        username: p.username,
        role: p.role,
        displayName: p.displayName,
        unitId: p.unit?.id ?? null,
        phone: p.phone,
        passwordHash,
        active: true,
        createdAt: now,
        updatedAt: now,
      })
      .executeTakeFirstOrThrow();
    if (p.role === 'grid_worker' && firstGrid) {
      const userId = Number(inserted.insertId);
      const grids = await db.selectFrom('grids').select('id').where('communityId', '=', firstGrid.communityId).execute();
      if (grids.length)
        await db
          .insertInto('user_grids')
          .values(grids.map((g) => ({ userId, gridId: g.id })))
          .execute();
    }
  }
  return plan.map((p) => ({ username: p.username, role: p.role, displayName: p.displayName, unit: p.unit?.name ?? null }));
}

export interface DemoLoadResult {
  loaded: boolean; // false: the database already had units, nothing was touched
  summary?: ImportSummary;
  accounts: DemoAccount[];
}

const count = async (db: Sql, table: 'users' | 'units') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * Loads the demo district on first start: only into a database without users, so a second
 * start (or a database holding real accounts) is left alone. Units already imported from real
 * CSV files are kept; the demo district is imported only into an empty database.
 */
export async function loadDemoData(sql: Sql, password: string): Promise<DemoLoadResult> {
  if ((await count(sql, 'users')) > 0) return { loaded: false, accounts: await listDemoAccounts(sql) };
  const summary = (await count(sql, 'units')) === 0 ? await importCsvFiles(sql, DEMO_FILES) : undefined;
  const accounts = await sql.transaction().execute((t) => createDemoUsers(password, t));
  // the in-memory copies of the accounts (domain/auth/recent-sessions.ts) hear of the new ones
  tableWritten('users');
  return { loaded: true, ...(summary ? { summary } : {}), accounts };
}

const DEMO_USERNAMES = ['admin', 'operator', 'clerk', 'dept_leader', 'township', 'community', 'gridworker', 'leader', 'auditor'];

export async function listDemoAccounts(sql: Sql): Promise<DemoAccount[]> {
  const users = await sql
    .selectFrom('users as u')
    .leftJoin('units as n', 'n.id', 'u.unitId')
    .select(['u.username', 'u.role', 'u.displayName', 'n.name as unitName'])
    .where('u.username', 'in', DEMO_USERNAMES)
    .orderBy('u.id', 'asc')
    .execute();
  return users.map((u) => ({ username: u.username, role: u.role as Role, displayName: u.displayName, unit: u.unitName ?? null }));
}
