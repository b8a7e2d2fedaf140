import { appSql, type Tx } from '../../db/sql/current.js';
import { uniqueViolation } from '../../db/sql/constraint-errors.js';
import { DomainError } from '../shared/errors.js';
import type { Operator } from './repair.js';

/**
 * The intent of an action that changes an instance in the engine and then the case's record (cancel,
 * migrate). The two stores share no transaction, so the intent is committed before the engine is asked and
 * removed in the transaction that records the case's side: a crash in between leaves it, and the next start
 * (resumeOperationIntents) records what the engine did — or, when the engine did nothing, drops it. One
 * pending intent per instance: a second action on it meanwhile is 409 `operation_in_progress`.
 */
export type IntentAction = 'cancel' | 'migrate';

export interface OperationIntent {
  processInstanceKey: string;
  action: IntentAction;
  caseId: string | null;
  operator: Operator;
  /** what the record needs that the engine no longer tells after the action (versions, plan, the intent's id) */
  detail: Record<string, unknown>;
  createdAt: Date;
}

export async function recordIntent(intent: Omit<OperationIntent, 'createdAt'>): Promise<void> {
  const { operator: who } = intent;
  try {
    await appSql()
      .insertInto('operation_intents')
      .values({
        processInstanceKey: intent.processInstanceKey,
        action: intent.action,
        caseId: intent.caseId,
        actor: who.username,
        actorRole: who.role,
        reason: who.reason,
        batchId: who.batchId ?? null,
        detail: JSON.stringify(intent.detail),
        createdAt: new Date(),
      })
      .execute();
  } catch (err) {
    if (!uniqueViolation(err)) throw err;
    throw new DomainError('CONFLICT', `another action on process instance ${intent.processInstanceKey} is under way`, {
      apiCode: 'operation_in_progress',
      status: 409,
    });
  }
}

export async function dropIntent(processInstanceKey: string, transaction?: Tx): Promise<void> {
  await appSql(transaction).deleteFrom('operation_intents').where('processInstanceKey', '=', processInstanceKey).execute();
}

/** Intents written before `before`: those a crash (or a lost answer of the engine) left behind. */
export async function leftIntents(before: Date): Promise<OperationIntent[]> {
  const rows = await appSql().selectFrom('operation_intents').selectAll().where('createdAt', '<=', before).orderBy('createdAt', 'asc').execute();
  return rows.map((r) => ({
    processInstanceKey: r.processInstanceKey,
    action: r.action as IntentAction,
    caseId: r.caseId,
    operator: { username: r.actor, role: r.actorRole, reason: r.reason, ...(r.batchId ? { batchId: r.batchId } : {}) },
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}
