import { fileURLToPath } from 'node:url';
import type { Sequelize, Transaction } from 'sequelize';
import { Op } from 'sequelize';
import { productPath } from '../../config/product-root.js';
import { hashPassword } from '../../domain/auth/password.js';
import { importCsvFiles, type ImportSummary } from '../import/importer.js';
import { Grid, Unit, User, UserGrid } from '../models/index.js';
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

/** Finds the unit a demo account belongs to, by kind and a name fragment, so the CSVs stay the only source. */
async function findUnit(transaction: Transaction, kind: string, nameLike?: string): Promise<Unit | null> {
  return Unit.findOne({
    transaction,
    where: { kind, ...(nameLike ? { name: { [Op.like]: `%${nameLike}%` } } : {}) },
    order: [['id', 'ASC']],
  });
}

/**
 * One account per role; department accounts work in the city-management bureau (城管局), and two more staff
 * accounts work where 属地 cases go: the first grid's township (街道) and its community (社区).
 */
async function createDemoUsers(password: string, transaction: Transaction): Promise<DemoAccount[]> {
  const centre = await findUnit(transaction, 'centre');
  const cgj = (await findUnit(transaction, 'department', '城市管理')) ?? (await findUnit(transaction, 'department'));
  const firstGrid = await Grid.findOne({ order: [['id', 'ASC']], transaction });
  const township = firstGrid ? await Unit.findByPk(firstGrid.townshipId, { transaction }) : await findUnit(transaction, 'township');
  const community = firstGrid?.communityId ? await Unit.findByPk(firstGrid.communityId, { transaction }) : await findUnit(transaction, 'community');
  const plan: Array<{ username: string; role: Role; displayName: string; unit: Unit | null; phone: string }> = [
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
  for (const p of plan) {
    const user = await User.create({
      username: p.username, role: p.role, displayName: p.displayName, unitId: p.unit?.id ?? null,
      phone: p.phone, passwordHash,
    }, { transaction });
    if (p.role === 'grid_worker' && firstGrid) {
      const grids = await Grid.findAll({ where: { communityId: firstGrid.communityId }, transaction });
      await UserGrid.bulkCreate(grids.map((g) => ({ userId: user.id, gridId: g.id })), { transaction });
    }
  }
  return plan.map((p) => ({ username: p.username, role: p.role, displayName: p.displayName, unit: p.unit?.name ?? null }));
}

export interface DemoLoadResult {
  loaded: boolean; // false: the database already had units, nothing was touched
  summary?: ImportSummary;
  accounts: DemoAccount[];
}

/**
 * Loads the demo district on first start: only into a database without users, so a second
 * start (or a database holding real accounts) is left alone. Units already imported from real
 * CSV files are kept; the demo district is imported only into an empty database.
 */
export async function loadDemoData(sequelize: Sequelize, password: string): Promise<DemoLoadResult> {
  if ((await User.count()) > 0) return { loaded: false, accounts: await listDemoAccounts() };
  const summary = (await Unit.count()) === 0 ? await importCsvFiles(sequelize, DEMO_FILES) : undefined;
  const accounts = await sequelize.transaction((t) => createDemoUsers(password, t));
  return { loaded: true, ...(summary ? { summary } : {}), accounts };
}

const DEMO_USERNAMES = ['admin', 'operator', 'clerk', 'dept_leader', 'township', 'community', 'gridworker', 'leader', 'auditor'];

export async function listDemoAccounts(): Promise<DemoAccount[]> {
  const users = await User.findAll({ where: { username: DEMO_USERNAMES }, include: [{ association: 'unit' }], order: [['id', 'ASC']] });
  return users.map((u) => ({
    username: u.username, role: u.role, displayName: u.displayName,
    unit: (u as unknown as { unit?: Unit | null }).unit?.name ?? null,
  }));
}
