import { randomUUID } from 'node:crypto';
import { withAuditChain, type AuditEntry } from '../audit/index.js';
import { changeCase } from '../cases/index.js';
import { DomainError } from '../shared/errors.js';
import { PortError, type MigrationPlan, type InstanceSummary, type MigrationPreview, type WorkflowEngine } from '../../port/workflow-engine.js';
import { caseOfInstance, casesOfPage } from './instance-cases.js';
import { portSearch, type InstanceFilter } from './instance-list.js';
import { opsCrashPoint } from './intent-crash-point.js';
import { dropIntent, recordIntent } from './intents.js';
import type { Operator } from './repair.js';

/**
 * 流程迁移 (issue 18): running instances move to a newly deployed version by element mappings, as Camunda 8
 * migrates them. The engine decides what can move (engine/commands/migrate.ts on the embedded engine, the
 * cluster on Camunda); this module checks the instance, turns a refusal into 409 `migration_refused` with
 * each element and why, and records every migration in the hash-chained audit log with who and why.
 */

export const MIGRATION_BATCH_MAX = 500;

async function runningInstance(port: WorkflowEngine, key: string) {
  const instance = await port.getInstance(key);
  if (!instance) throw new DomainError('NOT_FOUND', `no process instance ${key}`, { apiCode: 'instance_not_found', status: 404 });
  if (instance.state !== 'ACTIVE')
    throw new DomainError('CONFLICT', `process instance ${key} is ${instance.state.toLowerCase()}`, { apiCode: 'instance_not_active', status: 409 });
  return instance;
}

function refused(err: unknown): never {
  if (err instanceof PortError && (err.code === 'INVALID_STATE' || err.code === 'INVALID_ARGUMENT')) {
    const refusals = (err.details as { refusals?: unknown } | undefined)?.refusals ?? [];
    throw new DomainError('CONFLICT', err.message, { apiCode: 'migration_refused', status: 409, refusals });
  }
  if (err instanceof PortError && err.code === 'UNAVAILABLE') throw new DomainError('CONFLICT', err.message, { apiCode: 'engine_unavailable', status: 503 });
  throw err;
}

/** What migrating one instance would do: the moves and every refusal (nothing written). */
export async function previewInstanceMigration(port: WorkflowEngine, key: string, plan: MigrationPlan): Promise<MigrationPreview> {
  await runningInstance(port, key);
  try {
    return await port.previewMigration(key, plan);
  } catch (err) {
    return refused(err);
  }
}

/**
 * Migrates one instance, all or nothing; audited `ops_instance_migrated` with the reason, both versions and
 * the mappings. The engine and the case share no transaction: the intent is recorded first (intents.ts), so
 * a crash after the engine's migration is recorded by the next start.
 */
export async function migrateInstance(port: WorkflowEngine, key: string, plan: MigrationPlan, who: Operator): Promise<{ audit: AuditEntry; version: number }> {
  const before = await runningInstance(port, key);
  const c = await caseOfInstance(port, key);
  const intentId = randomUUID();
  await recordIntent({ processInstanceKey: key, action: 'migrate', caseId: c?.id ?? null, operator: who, detail: { intentId, plan, before } });
  try {
    await port.migrateInstance(key, plan);
  } catch (err) {
    // an answer lost on the way may hide a migration that happened: only an instance still where it was drops the intent
    const now = await port.getInstance(key).catch(() => undefined);
    if (now === undefined || now?.processDefinitionKey !== plan.targetProcessDefinitionKey || before.processDefinitionKey === plan.targetProcessDefinitionKey) {
      if (now !== undefined) await dropIntent(key);
      refused(err);
    }
  }
  opsCrashPoint('migrate-engine-done');
  return recordMigration(port, key, plan, who, before, intentId);
}

/**
 * The record of a migration the engine has made: the audit entry and, when the instance is the case's own
 * (`cases.process_instance_key`), the case's process (`cases.process_id`) set to the target's, both in one
 * transaction with the intent's removal. The record carries a once-only key (per batch and instance, or per
 * intent): a batch carried on, or an intent finished, after a crash that had moved the instance records it
 * once (`before` unknown to a batch then).
 */
export async function recordMigration(
  port: WorkflowEngine,
  key: string,
  plan: MigrationPlan,
  who: Operator,
  before: InstanceSummary | null,
  intentId?: string,
): Promise<{ audit: AuditEntry; version: number }> {
  const after = await port.getInstance(key);
  const c = await caseOfInstance(port, key);
  const detail = {
    reason: who.reason,
    processInstanceKey: key,
    ...(c ? { caseNo: c.caseNo } : {}),
    ...(who.batchId ? { batchId: who.batchId } : {}),
    bpmnProcessId: before?.bpmnProcessId ?? null,
    fromVersion: before?.version ?? null,
    fromProcessDefinitionKey: before?.processDefinitionKey ?? null,
    toBpmnProcessId: after?.bpmnProcessId ?? null,
    toProcessDefinitionKey: plan.targetProcessDefinitionKey,
    toVersion: after?.version ?? null,
    mappingInstructions: plan.mappingInstructions,
  };
  const dedupKey = who.batchId ? `migrate:${who.batchId}:${key}` : intentId ? `migrate:${intentId}` : null;
  const version = after?.version ?? before?.version ?? 0;
  if (!c) {
    const audit = await withAuditChain(async (chain) => {
      const done = dedupKey ? await chain.find(dedupKey) : null;
      await dropIntent(key, chain.transaction);
      return (
        done ??
        chain.append({ caseId: null, actor: who.username, actorRole: who.role, action: 'ops_instance_migrated', detail, dedupKey }, { dedupChecked: true })
      );
    });
    return { audit, version };
  }
  const changed = await changeCase(c.id, 'ops_instance_migrated', { actor: who.username, actorRole: who.role, dedupKey }, async (current, chain) => {
    await dropIntent(key, chain.transaction);
    const own = current.processInstanceKey === key;
    const fromProcessId = current.processId;
    if (own && after) current.processId = after.bpmnProcessId;
    return { ...detail, ...(own ? { caseProcessId: { from: fromProcessId, to: current.processId } } : {}) };
  });
  if (!changed.applied) await dropIntent(key);
  return { audit: changed.audit, version };
}

/** The running instances a filter matches now (at most MIGRATION_BATCH_MAX, else 422). */
export async function migrationTargets(port: WorkflowEngine, filter: InstanceFilter): Promise<InstanceSummary[]> {
  const keys: InstanceSummary[] = [];
  let after: string | undefined;
  do {
    const search = await portSearch({ ...filter, state: 'ACTIVE' }, Math.min(200, MIGRATION_BATCH_MAX + 1 - keys.length), after);
    if (!search) return [];
    const page = await port.searchInstances(search);
    keys.push(...page.items);
    after = page.next ?? undefined;
  } while (after && keys.length <= MIGRATION_BATCH_MAX);
  if (keys.length > MIGRATION_BATCH_MAX) {
    throw new DomainError('INVALID_ARGUMENT', `the filter matches more than ${MIGRATION_BATCH_MAX} instances: narrow it`, {
      apiCode: 'batch_too_large',
      status: 422,
      max: MIGRATION_BATCH_MAX,
    });
  }
  if (!keys.length) throw new DomainError('INVALID_ARGUMENT', 'the filter matches no running instance', { apiCode: 'batch_empty', status: 422 });
  return keys;
}

/** The preview of a batch: per instance whether it can move and, if not, why. */
export async function previewBatchMigration(port: WorkflowEngine, filter: InstanceFilter, plan: MigrationPlan) {
  const found = await migrationTargets(port, filter);
  const cases = await casesOfPage(found);
  const items = [];
  for (const { processInstanceKey: key } of found) {
    const p = await previewInstanceMigration(port, key, plan);
    items.push({ processInstanceKey: key, caseNo: cases.get(key)?.caseNo ?? null, migratable: p.migratable, moves: p.moves.length, refusals: p.refusals });
  }
  return { total: items.length, migratable: items.filter((i) => i.migratable).length, refused: items.filter((i) => !i.migratable).length, items };
}
