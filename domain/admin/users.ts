import { randomInt } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { Attachment, AuditRecord, Case, Grid, InboxTask, Session, Unit, User, UserGrid } from '../../db/models/index.js';
import type { Role } from '../../db/models/users.js';
import { hashPassword } from '../auth/password.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { duplicate, inUse, invalidInput, notFound, selfLockout, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

/** A user as the registry shows it: never the password hash. */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitCode: string | null;
  phone: string | null;
  gridCodes: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserInput {
  username?: string;
  displayName?: string;
  role?: Role;
  unitCode?: string | null;
  phone?: string | null;
  gridCodes?: string[];
  password?: string;
  enabled?: boolean;
}

export interface UserQuery extends PageQuery {
  role?: Role;
  unitCode?: string;
  enabled?: boolean;
}

/** Roles whose work is bound to one unit's cases and tasks. */
const UNIT_ROLES: readonly Role[] = ['dept_staff', 'dept_leader'];

async function views(users: User[], transaction?: Transaction): Promise<UserView[]> {
  const t = transaction ? { transaction } : {};
  const unitIds = [...new Set(users.map((u) => u.unitId).filter((i): i is number => i !== null))];
  const units = new Map((unitIds.length ? await Unit.findAll({ where: { id: unitIds }, attributes: ['id', 'code'], ...t }) : []).map((u) => [u.id, u.code]));
  const links = users.length ? await UserGrid.findAll({ where: { userId: users.map((u) => u.id) }, ...t }) : [];
  const gridIds = [...new Set(links.map((l) => l.gridId))];
  const grids = new Map((gridIds.length ? await Grid.findAll({ where: { id: gridIds }, attributes: ['id', 'code'], ...t }) : []).map((g) => [g.id, g.code]));
  return users.map((u) => ({
    id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId ?? null,
    unitCode: u.unitId ? units.get(u.unitId) ?? null : null, phone: u.phone ?? null,
    gridCodes: links.filter((l) => l.userId === u.id).map((l) => grids.get(l.gridId)!).filter(Boolean).sort(),
    enabled: u.active !== false, createdAt: u.createdAt.toISOString(), updatedAt: u.updatedAt.toISOString(),
  }));
}

const viewOne = async (u: User, transaction?: Transaction) => (await views([u], transaction))[0]!;

async function findUser(key: string, transaction?: Transaction): Promise<User> {
  const t = transaction ? { transaction } : {};
  const found = (/^\d{1,10}$/.test(key) ? await User.findByPk(Number(key), t) : null) ?? await User.findOne({ where: { username: key }, ...t });
  if (!found) throw notFound('user', key);
  return found;
}

export async function listUsers(query: UserQuery): Promise<Paged<UserView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let unitFilter = null;
  if (query.unitCode !== undefined) unitFilter = { unitId: (await Unit.findOne({ where: { code: query.unitCode } }))?.id ?? -1 };
  const where = allOf(
    textFilter(query.q, ['username', 'display_name']),
    query.role ? { role: query.role } : null,
    query.enabled !== undefined ? { active: query.enabled } : null,
    unitFilter,
  );
  const { rows, count } = await User.findAndCountAll({ where, order: [['username', 'ASC']], limit, offset });
  return { items: await views(rows), total: count, page, pageSize };
}

export async function getUser(key: string): Promise<UserView> {
  return viewOne(await findUser(key));
}

/** 16 characters from an alphabet without look-alikes, at least one of each class (≈ 94 bits). */
export function generatePassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '@#%+=?!'];
  const all = classes.join('');
  const chars = classes.map((c) => c[randomInt(c.length)]!);
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Unit and grids checked against the role: department roles need a unit, grid workers their grids, nobody else has grids. */
async function resolve(input: UserInput, current: User | null, transaction: Transaction): Promise<{ unitId: number | null | undefined; gridIds: number[] | undefined }> {
  const role = input.role ?? current!.role;
  const problems: FieldProblem[] = [];
  let unitId: number | null | undefined;
  if (input.unitCode !== undefined) {
    const unit = input.unitCode === null ? null : await Unit.findOne({ where: { code: input.unitCode }, transaction });
    if (input.unitCode !== null && !unit) throw unknownReference([{ path: '/unitCode', message: `${input.unitCode} is not a known unit` }]);
    unitId = unit?.id ?? null;
  }
  let gridIds: number[] | undefined;
  if (input.gridCodes !== undefined) {
    const codes = [...new Set(input.gridCodes)];
    const grids = codes.length ? await Grid.findAll({ where: { code: codes }, transaction }) : [];
    const known = new Set(grids.map((g) => g.code));
    const unknown = codes.filter((c) => !known.has(c)).map((c) => ({ path: '/gridCodes', message: `${c} is not a known grid` }));
    throwIf(unknown, unknownReference);
    gridIds = grids.map((g) => g.id);
  }
  const effectiveUnit = unitId !== undefined ? unitId : current?.unitId ?? null;
  if (UNIT_ROLES.includes(role) && effectiveUnit === null) problems.push({ path: '/unitCode', message: `a ${role} belongs to a unit` });
  const effectiveGrids = gridIds ?? (current ? (await UserGrid.findAll({ where: { userId: current.id }, transaction })).map((l) => l.gridId) : []);
  if (role === 'grid_worker' && effectiveGrids.length === 0) problems.push({ path: '/gridCodes', message: 'a grid worker patrols at least one grid' });
  if (role !== 'grid_worker' && effectiveGrids.length > 0) {
    if (gridIds === undefined && input.role !== undefined) gridIds = []; // leaving the grid-worker role drops the grids
    else problems.push({ path: '/gridCodes', message: 'only grid workers have grids' });
  }
  throwIf(problems, invalidInput);
  return { unitId, gridIds };
}

async function setGrids(userId: number, gridIds: number[] | undefined, transaction: Transaction): Promise<void> {
  if (gridIds === undefined) return;
  await UserGrid.destroy({ where: { userId }, transaction });
  if (gridIds.length) await UserGrid.bulkCreate(gridIds.map((gridId) => ({ userId, gridId })), { transaction });
}

/** Creates an account; without a password one is generated and returned this once. */
export function createUser(actor: RegistryActor, input: UserInput & { username: string; displayName: string; role: Role }): Promise<{ user: UserView; password?: string }> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { unitId, gridIds } = await resolve(input, null, transaction);
    if (await User.findOne({ where: { username: input.username }, transaction })) throw duplicate('/username', input.username);
    const password = input.password ?? generatePassword();
    const u = await User.create({
      username: input.username, displayName: input.displayName, role: input.role, unitId: unitId ?? null, phone: input.phone ?? null,
      passwordHash: await hashPassword(password), active: input.enabled ?? true,
    }, { transaction });
    await setGrids(u.id, gridIds, transaction);
    const after = await viewOne(u, transaction);
    return { result: { user: after, ...(input.password === undefined ? { password } : {}) }, entity: 'user', key: u.username, before: null, after };
  });
}

/** Changes an account; switching it off ends its sessions at once. */
export function updateUser(actor: RegistryActor, key: string, input: UserInput): Promise<UserView> {
  return auditedChange(actor, 'update', async (transaction) => {
    const u = await findUser(key, transaction);
    if (u.id === actor.userId && (input.enabled === false || (input.role !== undefined && input.role !== u.role))) throw selfLockout();
    const before = await viewOne(u, transaction);
    const { unitId, gridIds } = await resolve(input, u, transaction);
    u.set({
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(unitId !== undefined ? { unitId } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.enabled !== undefined ? { active: input.enabled } : {}),
    });
    await u.save({ transaction });
    await setGrids(u.id, gridIds, transaction);
    if (input.enabled === false) await Session.destroy({ where: { userId: u.id }, transaction });
    const after = await viewOne(u, transaction);
    return { result: after, entity: 'user', key: u.username, before, after };
  });
}

/** A new generated password, returned once; the old one and every open session stop working. */
export function resetPassword(actor: RegistryActor, key: string): Promise<{ password: string }> {
  return auditedChange(actor, 'reset_password', async (transaction) => {
    const u = await findUser(key, transaction);
    const password = generatePassword();
    u.passwordHash = await hashPassword(password);
    await u.save({ transaction });
    const ended = await Session.destroy({ where: { userId: u.id }, transaction });
    const view = await viewOne(u, transaction);
    return { result: { password }, entity: 'user', key: u.username, before: null, after: { ...view, sessionsEnded: ended } };
  });
}

/** Only an account that never acted can go: cases, tasks and the audit log name the others (switch them off). */
export function deleteUser(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const u = await findUser(key, transaction);
    if (u.id === actor.userId) throw selfLockout();
    const before = await viewOne(u, transaction);
    const refs = {
      cases: await Case.count({ where: { reporterUserId: u.id }, transaction }),
      tasks: await InboxTask.count({ where: { [Op.or]: [{ assignee: u.username }, { completedBy: u.username }] }, transaction }),
      'audit records': await AuditRecord.count({ where: { actor: u.username }, transaction }),
      attachments: await Attachment.count({ where: { uploadedBy: u.id }, transaction }),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs, 'switch the account off with enabled: false instead');
    await UserGrid.destroy({ where: { userId: u.id }, transaction });
    await Session.destroy({ where: { userId: u.id }, transaction });
    await u.destroy({ transaction });
    return { result: undefined, entity: 'user', key: u.username, before, after: null };
  });
}
