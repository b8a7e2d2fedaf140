import { appSql } from '../../db/sql/current.js';
import type { Sql } from '../../db/sql/index.js';
import { onTableWrites } from '../../db/sql/table-writes.js';
import type { Actor } from './sessions.js';

/**
 * The callers of the last moments, by token hash: every API request authenticates, and under intake load
 * the two reads (session, user) were a tenth of a request's work. An answer is kept for at most
 * REMEMBER_MS and never past the session's end; any write to users or sessions in this process (logout,
 * a disabled account, a new role, a password reset: their writers, domain/auth and domain/admin, call
 * tableWritten) forgets them all at once, again when its transaction commits. Another server process
 * sees such a change within REMEMBER_MS.
 */
export const REMEMBER_MS = 2_000;

const recent = new Map<string, { actor: Actor; until: number }>();
onTableWrites(['users', 'sessions'], () => recent.clear());

/** what is remembered is of the database open now: another one opened (the tests open one per suite) forgets it all */
let rememberedOf: Sql | null = null;
function sameDatabase(): void {
  const open = appSql();
  if (open === rememberedOf) return;
  rememberedOf = open;
  recent.clear();
}

export function recentActor(tokenHash: string, now: number): Actor | null {
  sameDatabase();
  const hit = recent.get(tokenHash);
  if (!hit) return null;
  if (hit.until > now) return hit.actor;
  recent.delete(tokenHash);
  return null;
}

export function rememberActor(tokenHash: string, actor: Actor, sessionEnds: number, now: number): void {
  sameDatabase();
  if (recent.size >= 10_000) recent.clear(); // many distinct callers at once: start again rather than grow
  recent.set(tokenHash, { actor, until: Math.min(now + REMEMBER_MS, sessionEnds) });
}
