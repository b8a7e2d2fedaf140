import { createHash, randomBytes } from 'node:crypto';
import { type Role } from '../../db/vocabulary.js';
import { appSql } from '../../db/sql/current.js';
import { tableWritten } from '../../db/sql/table-writes.js';
import { DomainError } from '../shared/errors.js';
import { hashPassword, verifyPassword } from './password.js';
import { recentActor, rememberActor } from './recent-sessions.js';

/** Who is calling: what the API's role and unit checks need. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Compared against when the user does not exist, so a wrong name costs as much time as a wrong password. */
let dummyHash: Promise<string> | null = null;

interface UserFacts {
  id: number;
  username: string;
  displayName: string;
  role: string;
  unitId: number | null;
  active: boolean;
}
const USER_COLUMNS = ['id', 'username', 'displayName', 'role', 'unitId', 'active'] as const;
const actorOf = (u: UserFacts): Actor => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, unitId: u.unitId });

/** Checks the password and opens a session; the token is returned once and stored only hashed. */
export async function login(username: string, password: string, now = new Date()): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
  const q = appSql();
  const user = await q
    .selectFrom('users')
    .select([...USER_COLUMNS, 'passwordHash'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user || !user.active) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password')));
    throw new DomainError('INVALID_ARGUMENT', 'bad credentials', { apiCode: 'bad_credentials' });
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw new DomainError('INVALID_ARGUMENT', 'bad credentials', { apiCode: 'bad_credentials' });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const at = new Date();
  await q
    .insertInto('sessions')
    .values({ tokenHash: sha256(token), userId: user.id, expiresAt, createdAt: at, updatedAt: at })
    .execute();
  tableWritten('sessions');
  await q.deleteFrom('sessions').where('userId', '=', user.id).where('expiresAt', '<', now).execute();
  tableWritten('sessions');
  return { token, expiresAt, actor: actorOf(user) };
}

/** The actor behind a bearer token, or null when unknown, expired or the account is disabled. */
export async function authenticate(token: string, now = new Date()): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = sha256(token);
  const remembered = recentActor(tokenHash, now.getTime());
  if (remembered) return remembered;
  const q = appSql();
  const session = await q.selectFrom('sessions').select(['userId', 'expiresAt']).where('tokenHash', '=', tokenHash).executeTakeFirst();
  if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
  const user = await q.selectFrom('users').select(USER_COLUMNS).where('id', '=', session.userId).executeTakeFirst();
  if (!user || !user.active) return null;
  const actor = actorOf(user);
  rememberActor(tokenHash, actor, session.expiresAt.getTime(), now.getTime());
  return actor;
}

export async function logout(token: string): Promise<void> {
  await appSql().deleteFrom('sessions').where('tokenHash', '=', sha256(token)).execute();
  tableWritten('sessions');
}
