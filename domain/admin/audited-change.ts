import { foreignKeyViolation, uniqueViolation } from '../../db/sql/constraint-errors.js';
import type { Tx } from '../../db/sql/current.js';
import { duplicate, inUseByTable } from './registry-errors.js';
import { withAuditChain } from '../audit/index.js';

/** Who changes the registry (the API's authenticated caller). */
export interface RegistryActor {
  userId: number;
  username: string;
  role: string;
}

export interface Change<T> {
  result: T;
  /** what was changed and its key, e.g. unit D-CGJ */
  entity: string;
  key: string;
  before: unknown;
  after: unknown;
}

/**
 * Runs one registry change in one transaction with its audit record (`admin.<entity>.<verb>`,
 * naming the actor and the before/after): both commit or neither does. `fn` must pass the
 * transaction to every query.
 */
export async function auditedChange<T>(
  actor: RegistryActor,
  verb: 'create' | 'update' | 'delete' | 'reset_password',
  fn: (t: Tx) => Promise<Change<T>>,
): Promise<T> {
  try {
    return await change(actor, verb, fn);
  } catch (err) {
    // the checks before the write saw no clash; a concurrent writer or a reference from a table the
    // checks do not know still ends as the same answers, not as a 500
    const taken = uniqueViolation(err);
    if (taken) throw duplicate(`/${taken.column ?? 'code'}`, taken.value ?? '');
    const referred = foreignKeyViolation(err);
    if (referred) throw inUseByTable(referred.table ?? '?');
    throw err;
  }
}

function change<T>(actor: RegistryActor, verb: string, fn: (t: Tx) => Promise<Change<T>>): Promise<T> {
  return withAuditChain(async (chain) => {
    const change = await fn(chain.transaction);
    await chain.append({
      caseId: null,
      actor: actor.username,
      actorRole: actor.role,
      action: `admin.${change.entity}.${verb}`,
      detail: { entity: change.entity, key: change.key, before: change.before ?? null, after: change.after ?? null },
    });
    return change.result;
  });
}
