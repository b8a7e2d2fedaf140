import { appSql } from '../../db/sql/current.js';
import type { Actor } from './sessions.js';

/**
 * A grid worker's reach: the grids they patrol (user_grids). Their 核查 pool, the tasks they may see, claim
 * and complete, and the cases they may read for it, are those of cases in these grids — one rule for the
 * inbox, the task routes and the case detail (issue #16, item 6: a worker claimed 核查 tasks of other grids).
 */
export const patrols = (actor: Actor) => actor.role === 'grid_worker';

/** SQL: the case `caseIdColumn` names lies in a grid the actor patrols (actor.userId is a number from the session). */
export function inPatrolSql(actor: Actor, caseIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM cases pc JOIN user_grids pg ON pg.grid_id = pc.grid_id WHERE pc.id = ${caseIdColumn} AND pg.user_id = ${Number(actor.userId)})`;
}

/** Does the case lie in a grid the actor patrols? */
export async function caseInPatrol(actor: Actor, caseId: string | null, gridId?: number | null): Promise<boolean> {
  if (!caseId) return false;
  const q = appSql();
  const grid = gridId !== undefined ? gridId : ((await q.selectFrom('cases').select('gridId').where('id', '=', caseId).executeTakeFirst())?.gridId ?? null);
  if (grid === null) return false;
  const n = await q
    .selectFrom('user_grids')
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .where('userId', '=', actor.userId)
    .where('gridId', '=', grid)
    .executeTakeFirstOrThrow();
  return Number(n.n) > 0;
}
