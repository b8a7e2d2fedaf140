import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { appSql, withTransaction } from '../../db/sql/current.js';
import { findAuditByDedupKey } from '../audit/index.js';
import type { OperationBatchesTable } from '../../db/sql/schema.js';
import { PortError, type InstanceSummary, type MigrationPlan, type WorkflowEngine } from '../../port/workflow-engine.js';
import { DomainError } from '../shared/errors.js';
import { batchCrashPoint } from './batch-crash-point.js';
import { casesOfPage } from './instance-cases.js';
import { portSearch, type InstanceFilter } from './instance-list.js';
import { migrateInstance, recordMigration } from './migration.js';
import { cancelDedupKey, cancelInstance, retryIncident, type Operator } from './repair.js';

/** How many instances one batch takes on; more must be narrowed by the filter (or run again after this one). */
export const BATCH_MAX = 500;

export type BatchAction = 'retry' | 'cancel' | 'migrate';

export interface BatchItem {
  processInstanceKey: string;
  caseNo: string | null;
  state: 'pending' | 'done' | 'failed';
  /** retry: the incidents retried; cancel, migrate: 1 */
  done: number;
  code?: string;
  message?: string;
}

export interface Batch {
  id: string;
  action: BatchAction;
  filter: InstanceFilter;
  /** migrate: the target version and the element mappings */
  plan?: MigrationPlan;
  reason: string;
  actor: string;
  state: 'running' | 'finished';
  total: number;
  processed: number;
  failed: number;
  /** how often a restart carried the batch on from its first pending instance */
  resumed: number;
  createdAt: string;
  finishedAt: string | null;
  items: BatchItem[];
}

/**
 * Batches run in the process that started them, one instance after another (the engine's own work goes on
 * meanwhile). The batch and each instance's result are rows (operation_batches, operation_batch_items), written
 * as each instance is done: a restart loses nothing, and {@link resumeBatches} carries an interrupted batch on.
 * Every action a batch takes is also an audit record of its own with the batch id.
 */
export async function getBatch(id: string): Promise<Batch | null> {
  const row = await readBatch(id);
  if (!row) return null;
  const items = await appSql().selectFrom('operation_batch_items').selectAll().where('batchId', '=', id).orderBy('position', 'asc').execute();
  return {
    id: row.id,
    action: row.action as BatchAction,
    filter: row.filter,
    ...(row.plan ? { plan: row.plan } : {}),
    reason: row.reason,
    actor: row.actor,
    state: row.state as Batch['state'],
    total: row.total,
    processed: row.processed,
    failed: row.failed,
    resumed: row.resumed,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    items: items.map((i) => ({
      processInstanceKey: i.processInstanceKey,
      caseNo: i.caseNo,
      state: i.state as BatchItem['state'],
      done: i.done,
      ...(i.code ? { code: i.code } : {}),
      ...(i.message ? { message: i.message } : {}),
    })),
  };
}

/** A batch as listed: who started it and why, its progress (no per-instance results). */
export type BatchSummary = Omit<Batch, 'items'>;

/** The latest batches, newest first: what was done in bulk, by whom and why. */
export async function listBatches(limit: number): Promise<BatchSummary[]> {
  const rows = await appSql().selectFrom('operation_batches').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    action: row.action as BatchAction,
    filter: JSON.parse(row.filter) as InstanceFilter,
    ...(row.plan ? { plan: JSON.parse(row.plan) as MigrationPlan } : {}),
    reason: row.reason,
    actor: row.actor,
    state: row.state as Batch['state'],
    total: row.total,
    processed: row.processed,
    failed: row.failed,
    resumed: row.resumed,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }));
}

/** A batch's row, its filter and plan (JSON kept in TEXT) parsed. */
type BatchRow = Omit<Selectable<OperationBatchesTable>, 'filter' | 'plan'> & { filter: InstanceFilter; plan: MigrationPlan | null };

async function readBatch(id: string): Promise<BatchRow | null> {
  const row = await appSql().selectFrom('operation_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...row, filter: JSON.parse(row.filter) as InstanceFilter, plan: row.plan === null ? null : (JSON.parse(row.plan) as MigrationPlan) } : null;
}

/** The instances a filter matches now, up to BATCH_MAX (retry: only those with an open incident; cancel, migrate: only running ones). */
async function targets(port: WorkflowEngine, action: BatchAction, filter: InstanceFilter): Promise<InstanceSummary[]> {
  const f: InstanceFilter = action === 'retry' ? { ...filter, state: 'INCIDENT' } : { ...filter, state: 'ACTIVE' };
  const out: InstanceSummary[] = [];
  let after: string | undefined;
  do {
    const search = await portSearch(f, Math.min(200, BATCH_MAX + 1 - out.length), after);
    if (!search) return [];
    const page = await port.searchInstances(search);
    out.push(...page.items);
    after = page.next ?? undefined;
  } while (after && out.length <= BATCH_MAX);
  return out;
}

function codeOf(err: unknown): { code: string; message: string } {
  if (err instanceof DomainError) return { code: String(err.details?.['apiCode'] ?? err.code.toLowerCase()), message: err.message };
  if (err instanceof PortError) return { code: err.code.toLowerCase(), message: err.message };
  return { code: 'internal', message: (err as Error).message ?? String(err) };
}

/** Starts a batch over the instances the filter matches now and answers at once; `run` is its progress to await (tests, shutdown). */
export async function startBatch(
  port: WorkflowEngine,
  action: BatchAction,
  filter: InstanceFilter,
  who: Operator,
  plan?: MigrationPlan,
): Promise<{ batch: Batch; run: Promise<void> }> {
  const found = await targets(port, action, filter);
  if (found.length > BATCH_MAX) {
    throw new DomainError('INVALID_ARGUMENT', `the filter matches more than ${BATCH_MAX} instances: narrow it`, {
      apiCode: 'batch_too_large',
      status: 422,
      max: BATCH_MAX,
    });
  }
  if (!found.length) throw new DomainError('INVALID_ARGUMENT', 'the filter matches no instance to act on', { apiCode: 'batch_empty', status: 422 });
  const cases = await casesOfPage(found);
  const id = randomUUID();
  const now = new Date();
  await withTransaction(async (transaction) => {
    const db = appSql(transaction);
    await db
      .insertInto('operation_batches')
      .values({
        id,
        action,
        filter: JSON.stringify(filter),
        plan: plan ? JSON.stringify(plan) : null,
        reason: who.reason,
        actor: who.username,
        actorRole: who.role,
        state: 'running',
        total: found.length,
        processed: 0,
        failed: 0,
        resumed: 0,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      })
      .execute();
    await db
      .insertInto('operation_batch_items')
      .values(
        found.map((i, position) => ({
          batchId: id,
          position,
          processInstanceKey: i.processInstanceKey,
          caseNo: cases.get(i.processInstanceKey)?.caseNo ?? null,
          state: 'pending',
          done: 0,
          code: null,
          message: null,
        })),
      )
      .execute();
  });
  const batch = (await getBatch(id))!;
  // a run cut off by a failing database (a stop under way) leaves the batch running: the next start carries it on
  return { batch, run: carryOn(port, id).catch(() => undefined) };
}

/** Does one instance's part of a batch; answers how many things it did (incidents retried, or 1). */
async function act(port: WorkflowEngine, batch: BatchRow, processInstanceKey: string, operator: Operator, resumed: boolean): Promise<number> {
  if (batch.action === 'migrate') {
    const plan = batch.plan!;
    // an instance the interrupted run had moved already (killed before its result was written) is done: its
    // record is written now unless it was then (once-only key per batch and instance)
    if (resumed && (await port.getInstance(processInstanceKey))?.processDefinitionKey === plan.targetProcessDefinitionKey) {
      await recordMigration(port, processInstanceKey, plan, operator, null);
      return 1;
    }
    await migrateInstance(port, processInstanceKey, plan, operator);
    return 1;
  }
  if (batch.action === 'cancel') {
    // an instance the interrupted run had cancelled is done: the start's intent recovery has recorded it
    if (resumed && (await findAuditByDedupKey(cancelDedupKey(processInstanceKey)))) return 1;
    await cancelInstance(port, processInstanceKey, operator);
    return 1;
  }
  const incidentType = batch.filter.incidentType;
  const open = await port.listIncidents({ processInstanceKeys: [processInstanceKey], ...(incidentType ? { incidentType } : {}) });
  if (!open.length) throw new DomainError('CONFLICT', 'no open incident left', { apiCode: 'incident_resolved', status: 409 });
  for (const incident of open) await retryIncident(port, incident.incidentKey, 1, operator);
  return open.length;
}

/** Runs the batch's pending instances in order, writing each result (and the batch's counts) as it goes. */
async function carryOn(port: WorkflowEngine, id: string, resumed = false): Promise<void> {
  const batch = await readBatch(id);
  if (!batch || batch.state !== 'running') return;
  const operator: Operator = { username: batch.actor, role: batch.actorRole, reason: batch.reason, batchId: id };
  const pending = await appSql()
    .selectFrom('operation_batch_items')
    .select(['position', 'processInstanceKey'])
    .where('batchId', '=', id)
    .where('state', '=', 'pending')
    .orderBy('position', 'asc')
    .execute();
  for (const item of pending) {
    let result: { state: 'done' | 'failed'; done: number; code: string | null; message: string | null };
    try {
      result = { state: 'done', done: await act(port, batch, item.processInstanceKey, operator, resumed), code: null, message: null };
    } catch (err) {
      result = { state: 'failed', done: 0, ...codeOf(err) };
    }
    await withTransaction(async (transaction) => {
      const db = appSql(transaction);
      await db.updateTable('operation_batch_items').set(result).where('batchId', '=', id).where('position', '=', item.position).execute();
      // the counts added in the database, as the model's increment did (and its updatedAt: resumeBatches reads it)
      await db
        .updateTable('operation_batches')
        .set((eb) => ({
          processed: eb('processed', '+', 1),
          failed: eb('failed', '+', result.state === 'failed' ? 1 : 0),
          updatedAt: new Date(),
        }))
        .where('id', '=', id)
        .execute();
    });
    const finished = await appSql()
      .selectFrom('operation_batch_items')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('batchId', '=', id)
      .where('state', 'in', ['done', 'failed'])
      .executeTakeFirstOrThrow();
    batchCrashPoint(Number(finished.n));
  }
  const now = new Date();
  await appSql().updateTable('operation_batches').set({ state: 'finished', finishedAt: now, updatedAt: now }).where('id', '=', id).execute();
}

/**
 * At start: carries on every batch a stop or crash left running, from its first pending instance, in the
 * background (answers the batches taken up and their runs). `graceMs`: only batches untouched that long, so
 * that batches another live process runs (several app processes on one MySQL database with Camunda) are left
 * to it; the embedded engine runs in one process only, and passes 0.
 */
export async function resumeBatches(port: WorkflowEngine, options: { graceMs: number }): Promise<{ ids: string[]; runs: Promise<void> }> {
  const before = new Date(Date.now() - options.graceMs);
  const stale = await appSql()
    .selectFrom('operation_batches')
    .select('id')
    .where('state', '=', 'running')
    .where('updatedAt', '<=', before)
    .orderBy('createdAt', 'asc')
    .execute();
  for (const b of stale) {
    await appSql()
      .updateTable('operation_batches')
      .set((eb) => ({ resumed: eb('resumed', '+', 1), updatedAt: new Date() }))
      .where('id', '=', b.id)
      .execute();
  }
  const ids = stale.map((b) => b.id);
  // one after another, as a single batch runs its instances
  const runs = (async () => {
    for (const id of ids) await carryOn(port, id, true);
  })();
  return { ids, runs };
}
