import { appendAudit, withAuditChain, type AuditEntry } from '../audit/index.js';
import { changeCase } from '../cases/index.js';
import type { CaseFields } from '../cases/change-case.js';
import { DomainError } from '../shared/errors.js';
import type { IncidentDetail, Variables, WorkflowEngine } from '../../port/workflow-engine.js';
import { caseOfInstance } from './instance-cases.js';
import { opsCrashPoint } from './intent-crash-point.js';
import { dropIntent, recordIntent } from './intents.js';

/** Who repairs, and why: both go into the audit record. */
export interface Operator {
  username: string;
  role: string;
  reason: string;
  batchId?: string;
}

const refuse = (status: number, apiCode: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(status === 404 ? 'NOT_FOUND' : 'CONFLICT', message, { apiCode, status, ...details });

/** The open incident, or 404 `incident_not_found` / 409 `incident_resolved`. */
export async function openIncident(port: WorkflowEngine, incidentKey: string): Promise<IncidentDetail> {
  const incident = await port.getIncident(incidentKey);
  if (!incident) throw refuse(404, 'incident_not_found', `no incident ${incidentKey}`);
  if (incident.state !== 'ACTIVE') throw refuse(409, 'incident_resolved', `incident ${incidentKey} is already resolved`);
  return incident;
}

async function audit(port: WorkflowEngine, who: Operator, action: string, processInstanceKey: string, detail: Record<string, unknown>): Promise<AuditEntry> {
  const c = await caseOfInstance(port, processInstanceKey);
  return appendAudit({
    caseId: c?.id ?? null,
    actor: who.username,
    actorRole: who.role,
    action,
    detail: { reason: who.reason, processInstanceKey, ...(c ? { caseNo: c.caseNo } : {}), ...(who.batchId ? { batchId: who.batchId } : {}), ...detail },
  });
}

/**
 * 重试: the incident's job gets `retries` (a job incident means it ran out), then the incident is resolved,
 * which re-runs the job or the element's failed step. Audited as `ops_incident_retried`.
 */
export async function retryIncident(
  port: WorkflowEngine,
  incidentKey: string,
  retries: number,
  who: Operator,
): Promise<{ incident: IncidentDetail; audit: AuditEntry }> {
  const incident = await openIncident(port, incidentKey);
  if (incident.jobKey && (incident.jobRetries ?? 0) < retries) await port.updateJobRetries(incident.jobKey, retries);
  await port.resolveIncident(incidentKey);
  const entry = await audit(port, who, 'ops_incident_retried', incident.processInstanceKey, {
    incidentKey,
    elementId: incident.elementId,
    errorType: incident.errorType,
    errorMessage: incident.errorMessage,
    ...(incident.jobKey ? { jobKey: incident.jobKey, retries } : {}),
  });
  return { incident, audit: entry };
}

/**
 * 修正变量后重试: the variables are set on the instance (propagated by Zeebe's rule: to the scope that holds
 * the name, else the instance) or locally on the incident's element, then the incident is resolved.
 * Audited as `ops_variables_set` with the names and values set.
 */
export async function setVariablesAndResolve(
  port: WorkflowEngine,
  incidentKey: string,
  change: { variables: Variables; scope: 'instance' | 'element' },
  who: Operator,
): Promise<{ incident: IncidentDetail; audit: AuditEntry }> {
  const incident = await openIncident(port, incidentKey);
  const scopeKey = change.scope === 'element' ? incident.elementInstanceKey : incident.processInstanceKey;
  await port.setVariables(scopeKey, change.variables, { local: change.scope === 'element' });
  if (incident.jobKey && (incident.jobRetries ?? 0) < 1) await port.updateJobRetries(incident.jobKey, 1);
  await port.resolveIncident(incidentKey);
  const entry = await audit(port, who, 'ops_variables_set', incident.processInstanceKey, {
    incidentKey,
    elementId: incident.elementId,
    errorType: incident.errorType,
    scope: change.scope,
    scopeKey,
    variables: change.variables,
  });
  return { incident, audit: entry };
}

/** Statuses after which a case needs no more work: a cancelled instance leaves them as they are. */
const FINISHED = new Set(['closed', 'rejected', 'merged']);

/** The once-only key of an instance's cancel record: an instance is cancelled once. */
export const cancelDedupKey = (processInstanceKey: string) => `ops-cancel:${processInstanceKey}`;

/**
 * 撤销流程: cancels a root instance (a called one is cancelled through its root, as on both engines). The
 * case it worked for is then 结案 with the reason recorded (`ops_instance_cancelled`, in the same
 * transaction as the status), so no case shows 处置中 with no process behind it; an instance without a
 * case gets the audit record alone. The engine and the case share no transaction: the intent is recorded
 * first (intents.ts), so a crash after the engine's cancel is finished by the next start. If the engine
 * refuses, nothing is recorded.
 */
export async function cancelInstance(port: WorkflowEngine, processInstanceKey: string, who: Operator): Promise<{ caseId: string | null; audit: AuditEntry }> {
  const instance = await port.getInstance(processInstanceKey);
  if (!instance) throw refuse(404, 'instance_not_found', `no process instance ${processInstanceKey}`);
  if (instance.state !== 'ACTIVE') throw refuse(409, 'instance_not_active', `process instance ${processInstanceKey} is ${instance.state.toLowerCase()}`);
  if (instance.parentProcessInstanceKey) {
    throw refuse(
      409,
      'not_root_instance',
      `process instance ${processInstanceKey} was called by ${instance.parentProcessInstanceKey}: cancel the root instance`,
      { rootKey: instance.parentProcessInstanceKey },
    );
  }
  const c = await caseOfInstance(port, processInstanceKey);
  const detail = {
    reason: who.reason,
    processInstanceKey,
    bpmnProcessId: instance.bpmnProcessId,
    version: instance.version,
    ...(who.batchId ? { batchId: who.batchId } : {}),
  };
  await recordIntent({ processInstanceKey, action: 'cancel', caseId: c?.id ?? null, operator: who, detail });
  try {
    await port.cancelInstance(processInstanceKey);
  } catch (err) {
    // an answer lost on the way may hide a cancel that happened: only an instance still running drops the intent
    const now = await port.getInstance(processInstanceKey).catch(() => undefined);
    if (now?.state !== 'TERMINATED') {
      if (now !== undefined) await dropIntent(processInstanceKey);
      throw err;
    }
  }
  opsCrashPoint('cancel-engine-done');
  return recordCancel(processInstanceKey, c?.id ?? null, who, detail);
}

/**
 * The case's side of a cancel the engine has made: the case closed and the audit record (once per
 * instance), and the intent removed with them. Also what the next start runs for an intent a crash left.
 */
export async function recordCancel(
  processInstanceKey: string,
  caseId: string | null,
  who: Operator,
  detail: Record<string, unknown>,
): Promise<{ caseId: string | null; audit: AuditEntry }> {
  const dedupKey = cancelDedupKey(processInstanceKey);
  if (!caseId) {
    const audit = await withAuditChain(async (chain) => {
      const done = await chain.find(dedupKey);
      await dropIntent(processInstanceKey, chain.transaction);
      return (
        done ??
        chain.append({ caseId: null, actor: who.username, actorRole: who.role, action: 'ops_instance_cancelled', detail, dedupKey }, { dedupChecked: true })
      );
    });
    return { caseId: null, audit };
  }
  const changed = await changeCase(
    caseId,
    'ops_instance_cancelled',
    { actor: who.username, actorRole: who.role, dedupKey },
    async (current: CaseFields, chain) => {
      await dropIntent(processInstanceKey, chain.transaction);
      const from = current.status;
      if (!FINISHED.has(from)) {
        current.status = 'closed';
        current.closedAt = new Date();
      }
      return { ...detail, caseNo: current.caseNo, from, to: current.status };
    },
  );
  // recorded before (a crash after the record, before the intent went): the intent goes now
  if (!changed.applied) await dropIntent(processInstanceKey);
  return { caseId, audit: changed.audit };
}
