import { Session, User } from '../../db/models/index.js';
import type { Actor } from './sessions.js';
import { onModelWrites } from '../shared/on-model-writes.js';

/**
 * The callers of the last moments, by token hash: every API request authenticates, and under intake load
 * the two reads (session, user) were a tenth of a request's work. An answer is kept for at most
 * REMEMBER_MS and never past the session's end; any write to users or sessions through the models in
 * this process (logout, a disabled account, a new role, a password reset) forgets them all at once,
 * again when its transaction commits. Another server process sees such a change within REMEMBER_MS.
 */
export const REMEMBER_MS = 2_000;

const recent = new Map<string, { actor: Actor; until: number }>();
const writes = onModelWrites('forget-recent-sessions', [User as never, Session as never], () => recent.clear());

export function recentActor(tokenHash: string, now: number): Actor | null {
  writes.ensure();
  const hit = recent.get(tokenHash);
  if (!hit) return null;
  if (hit.until > now) return hit.actor;
  recent.delete(tokenHash);
  return null;
}

export function rememberActor(tokenHash: string, actor: Actor, sessionEnds: number, now: number): void {
  writes.ensure();
  if (recent.size >= 10_000) recent.clear(); // many distinct callers at once: start again rather than grow
  recent.set(tokenHash, { actor, until: Math.min(now + REMEMBER_MS, sessionEnds) });
}
