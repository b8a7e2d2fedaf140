import { appSql } from '../../db/sql/current.js';
import { toAuditEntry } from '../audit/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { caseOfInstance } from './instance-cases.js';

/** The audit actions of 流程运维: what the instance's trail lists. */
export const OPS_ACTIONS = ['ops_incident_retried', 'ops_variables_set', 'ops_instance_cancelled', 'ops_instance_migrated'] as const;

/** One repair, cancel or migration of an instance as the hash-chained audit log keeps it: who, when, why. */
export interface OpsAction {
  auditId: string;
  action: (typeof OPS_ACTIONS)[number];
  actor: string;
  actorRole: string | null;
  at: string;
  reason: string | null;
  batchId: string | null;
  /** the record's hash in the chain (GET /api/audit/verify proves the chain whole) */
  hash: string;
  detail: Record<string, unknown>;
}

/**
 * Everything administrators did to one instance, oldest first, read from the audit log (not a copy of it),
 * so that an auditor sees on the operations page who retried, corrected, cancelled or migrated it and why.
 * The records of an instance with a case are found through the case's index; those of an instance without
 * one among the records of no case.
 */
export async function actionsOfInstance(port: WorkflowEngine, processInstanceKey: string): Promise<OpsAction[]> {
  const c = await caseOfInstance(port, processInstanceKey);
  let q = appSql()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', 'in', [...OPS_ACTIONS]);
  q = c ? q.where('caseId', '=', c.id) : q.where('caseId', 'is', null);
  const rows = await q.orderBy('id', 'asc').limit(1000).execute();
  return rows
    .map(toAuditEntry)
    .filter((e) => e.detail?.['processInstanceKey'] === processInstanceKey)
    .map((e) => ({
      auditId: e.id,
      action: e.action as OpsAction['action'],
      actor: e.actor,
      actorRole: e.actorRole,
      at: e.createdAt,
      reason: typeof e.detail?.['reason'] === 'string' ? e.detail['reason'] : null,
      batchId: typeof e.detail?.['batchId'] === 'string' ? e.detail['batchId'] : null,
      hash: e.hash,
      detail: e.detail ?? {},
    }));
}
