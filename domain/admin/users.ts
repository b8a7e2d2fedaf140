import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type Role } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { UsersTable } from '../../db/sql/schema.js';
import { tableWritten } from '../../db/sql/table-writes.js';
import { hashPassword } from '../auth/password.js';
import { auditedChange, type RegistryActor } from './audited-change.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';
import { changedValues, hasChanges } from './row-changes.js';
import { duplicate, fieldProblem, inUse, invalidInput, notFound, selfLockout, throwIf, unknownReference, type FieldProblem } from './registry-errors.js';

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

/** An account as the table holds it. */
type User = Selectable<UsersTable> & { role: Role };

const users = (transaction?: Tx) => appSql(transaction).selectFrom('users');

async function views(list: User[], transaction?: Tx): Promise<UserView[]> {
  const q = appSql(transaction);
  const unitIds = [...new Set(list.map((u) => u.unitId).filter((i): i is number => i !== null))];
  const units = new Map(
    (unitIds.length ? await q.selectFrom('units').select(['id', 'code']).where('id', 'in', unitIds).execute() : []).map((u) => [u.id, u.code]),
  );
  const links = list.length
    ? await q
        .selectFrom('user_grids')
        .selectAll()
        .where(
          'userId',
          'in',
          list.map((u) => u.id),
        )
        .execute()
    : [];
  const gridIds = [...new Set(links.map((l) => l.gridId))];
  const grids = new Map(
    (gridIds.length ? await q.selectFrom('grids').select(['id', 'code']).where('id', 'in', gridIds).execute() : []).map((g) => [g.id, g.code]),
  );
  return list.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitId: u.unitId ?? null,
    unitCode: u.unitId ? (units.get(u.unitId) ?? null) : null,
    phone: u.phone ?? null,
    gridCodes: links
      .filter((l) => l.userId === u.id)
      .map((l) => grids.get(l.gridId)!)
      .filter(Boolean)
      .sort(),
    enabled: u.active !== false,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  }));
}

const viewOne = async (u: User, transaction?: Tx) => (await views([u], transaction))[0]!;

async function findUser(key: string, transaction?: Tx): Promise<User> {
  const found =
    (/^\d{1,10}$/.test(key) ? await users(transaction).selectAll().where('id', '=', Number(key)).executeTakeFirst() : undefined) ??
    (await users(transaction).selectAll().where('username', '=', key).executeTakeFirst());
  if (!found) throw notFound('user', key);
  return found as User;
}

const unitIdOf = async (code: string, transaction?: Tx) =>
  (await appSql(transaction).selectFrom('units').select('id').where('code', '=', code).executeTakeFirst())?.id;

/** Ends every session of the account; how many there were. */
async function endSessions(userId: number, transaction: Tx): Promise<number> {
  const ended = await appSql(transaction).deleteFrom('sessions').where('userId', '=', userId).executeTakeFirst();
  tableWritten('sessions', transaction);
  return Number(ended.numDeletedRows);
}

const count = async (counted: Promise<{ n: number | string | bigint }>) => Number((await counted).n);

export async function listUsers(query: UserQuery): Promise<Paged<UserView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let unitId: number | undefined;
  if (query.unitCode !== undefined) unitId = (await unitIdOf(query.unitCode)) ?? -1;
  const text = textFilter(query.q, ['username', 'displayName']);
  const matching = users()
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.role, (b) => b.where('role', '=', query.role!))
    .$if(query.enabled !== undefined, (b) => b.where('active', '=', query.enabled!))
    .$if(unitId !== undefined, (b) => b.where('unitId', '=', unitId!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('username', 'asc').limit(limit).offset(offset).execute(),
  ]);
  return { items: await views(rows as User[]), total: Number(counted.n), page, pageSize };
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
async function resolve(input: UserInput, current: User | null, transaction: Tx): Promise<{ unitId: number | null | undefined; gridIds: number[] | undefined }> {
  const role = input.role ?? current!.role;
  const problems: FieldProblem[] = [];
  let unitId: number | null | undefined;
  if (input.unitCode !== undefined) {
    const unit = input.unitCode === null ? null : await unitIdOf(input.unitCode, transaction);
    if (input.unitCode !== null && unit === undefined) throw unknownReference([fieldProblem('/unitCode', 'unknown_unit', { code: input.unitCode })]);
    unitId = unit ?? null;
  }
  let gridIds: number[] | undefined;
  if (input.gridCodes !== undefined) {
    const codes = [...new Set(input.gridCodes)];
    const grids = codes.length ? await appSql(transaction).selectFrom('grids').select(['id', 'code']).where('code', 'in', codes).execute() : [];
    const known = new Set(grids.map((g) => g.code));
    const unknown = codes.filter((c) => !known.has(c)).map((c) => fieldProblem('/gridCodes', 'unknown_grid', { code: c }));
    throwIf(unknown, unknownReference);
    gridIds = grids.map((g) => g.id);
  }
  const effectiveUnit = unitId !== undefined ? unitId : (current?.unitId ?? null);
  if (UNIT_ROLES.includes(role) && effectiveUnit === null) problems.push(fieldProblem('/unitCode', 'unit_role', { role }));
  const effectiveGrids =
    gridIds ??
    (current ? (await appSql(transaction).selectFrom('user_grids').select('gridId').where('userId', '=', current.id).execute()).map((l) => l.gridId) : []);
  if (role === 'grid_worker' && effectiveGrids.length === 0) problems.push(fieldProblem('/gridCodes', 'grid_worker_grids'));
  if (role !== 'grid_worker' && effectiveGrids.length > 0) {
    if (gridIds === undefined && input.role !== undefined)
      gridIds = []; // leaving the grid-worker role drops the grids
    else problems.push(fieldProblem('/gridCodes', 'grids_for_workers'));
  }
  throwIf(problems, invalidInput);
  return { unitId, gridIds };
}

async function setGrids(userId: number, gridIds: number[] | undefined, transaction: Tx): Promise<void> {
  if (gridIds === undefined) return;
  await appSql(transaction).deleteFrom('user_grids').where('userId', '=', userId).execute();
  if (gridIds.length)
    await appSql(transaction)
      .insertInto('user_grids')
      .values(gridIds.map((gridId) => ({ userId, gridId })))
      .execute();
}

/** Creates an account; without a password one is generated and returned this once. */
export function createUser(
  actor: RegistryActor,
  input: UserInput & { username: string; displayName: string; role: Role },
): Promise<{ user: UserView; password?: string }> {
  return auditedChange(actor, 'create', async (transaction) => {
    const { unitId, gridIds } = await resolve(input, null, transaction);
    if (await users(transaction).select('id').where('username', '=', input.username).executeTakeFirst()) throw duplicate('/username', input.username);
    const password = input.password ?? generatePassword();
    const now = new Date();
    const values = {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      unitId: unitId ?? null,
      phone: input.phone ?? null,
      passwordHash: await hashPassword(password),
      active: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await appSql(transaction).insertInto('users').values(values).executeTakeFirstOrThrow();
    tableWritten('users', transaction);
    const u: User = { id: Number(inserted.insertId), ...values };
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
    const changes = changedValues(u, { displayName: input.displayName, role: input.role, unitId, phone: input.phone, active: input.enabled });
    let changed = u;
    if (hasChanges(changes)) {
      changed = { ...u, ...changes, updatedAt: new Date() };
      await appSql(transaction)
        .updateTable('users')
        .set({ ...changes, updatedAt: changed.updatedAt })
        .where('id', '=', u.id)
        .execute();
      tableWritten('users', transaction);
    }
    await setGrids(u.id, gridIds, transaction);
    if (input.enabled === false) await endSessions(u.id, transaction);
    const after = await viewOne(changed, transaction);
    return { result: after, entity: 'user', key: u.username, before, after };
  });
}

/** A new generated password, returned once; the old one and every open session stop working. */
export function resetPassword(actor: RegistryActor, key: string): Promise<{ password: string }> {
  return auditedChange(actor, 'reset_password', async (transaction) => {
    const u = await findUser(key, transaction);
    const password = generatePassword();
    const changed = { ...u, passwordHash: await hashPassword(password), updatedAt: new Date() };
    await appSql(transaction).updateTable('users').set({ passwordHash: changed.passwordHash, updatedAt: changed.updatedAt }).where('id', '=', u.id).execute();
    tableWritten('users', transaction);
    const ended = await endSessions(u.id, transaction);
    const view = await viewOne(changed, transaction);
    return { result: { password }, entity: 'user', key: u.username, before: null, after: { ...view, sessionsEnded: ended } };
  });
}

/** Only an account that never acted can go: cases, tasks and the audit log name the others (switch them off). */
export function deleteUser(actor: RegistryActor, key: string): Promise<void> {
  return auditedChange(actor, 'delete', async (transaction) => {
    const u = await findUser(key, transaction);
    if (u.id === actor.userId) throw selfLockout();
    const before = await viewOne(u, transaction);
    const q = appSql(transaction);
    const refs = {
      cases: await count(
        q
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('reporterUserId', '=', u.id)
          .executeTakeFirstOrThrow(),
      ),
      tasks: await count(
        q
          .selectFrom('inbox_tasks')
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => eb.or([eb('assignee', '=', u.username), eb('completedBy', '=', u.username)]))
          .executeTakeFirstOrThrow(),
      ),
      'audit records': await count(
        q
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('actor', '=', u.username)
          .executeTakeFirstOrThrow(),
      ),
      attachments: await count(
        q
          .selectFrom('attachments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('uploadedBy', '=', u.id)
          .executeTakeFirstOrThrow(),
      ),
    };
    if (Object.values(refs).some((n) => n > 0)) throw inUse(refs, 'in_use_account');
    await q.deleteFrom('user_grids').where('userId', '=', u.id).execute();
    await endSessions(u.id, transaction);
    await q.deleteFrom('users').where('id', '=', u.id).execute();
    tableWritten('users', transaction);
    return { result: undefined, entity: 'user', key: u.username, before, after: null };
  });
}
