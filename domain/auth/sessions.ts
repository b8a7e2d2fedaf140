import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { Session, User } from '../../db/models/index.js';
import type { Role } from '../../db/models/users.js';
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

const actorOf = (u: User): Actor => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId });

/** Checks the password and opens a session; the token is returned once and stored only hashed. */
export async function login(username: string, password: string, now = new Date()): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
  const user = await User.findOne({ where: { username } });
  if (!user || !user.active) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password')));
    throw new DomainError('INVALID_ARGUMENT', 'bad credentials', { apiCode: 'bad_credentials', status: 401 });
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw new DomainError('INVALID_ARGUMENT', 'bad credentials', { apiCode: 'bad_credentials', status: 401 });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await Session.create({ tokenHash: sha256(token), userId: user.id, expiresAt });
  await Session.destroy({ where: { userId: user.id, expiresAt: { [Op.lt]: now } } });
  return { token, expiresAt, actor: actorOf(user) };
}

/** The actor behind a bearer token, or null when unknown, expired or the account is disabled. */
export async function authenticate(token: string, now = new Date()): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = sha256(token);
  const remembered = recentActor(tokenHash, now.getTime());
  if (remembered) return remembered;
  const session = await Session.findOne({ where: { tokenHash } });
  if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
  const user = await User.findByPk(session.userId);
  if (!user || !user.active) return null;
  const actor = actorOf(user);
  rememberActor(tokenHash, actor, session.expiresAt.getTime(), now.getTime());
  return actor;
}

export async function logout(token: string): Promise<void> {
  await Session.destroy({ where: { tokenHash: sha256(token) } });
}
