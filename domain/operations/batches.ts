import { randomUUID } from 'node:crypto';
import { PortError, type InstanceSummary, type MigrationPlan, type WorkflowEngine } from '../../port/workflow-engine.js';
import { DomainError } from '../shared/errors.js';
import { casesOfPage } from './instance-cases.js';
import { portSearch, type InstanceFilter } from './instance-list.js';
import { migrateInstance } from './migration.js';
import { cancelInstance, retryIncident, type Operator } from './repair.js';

/** How many instances one batch takes on; more must be narrowed by the filter (or run again after this one). */
export const BATCH_MAX = 500;
/** Finished batches kept for reading their results, newest last. */
const KEPT = 100;

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
  createdAt: string;
  finishedAt: string | null;
  items: BatchItem[];
}

/**
 * Batches run in the process that started them, one instance after another (the engine's own work goes
 * on meanwhile), and are kept in memory for their progress and results: every action a batch takes is
 * an audit record of its own with the batch id, which is what stays after a restart.
 */
const batches = new Map<string, Batch>();

export function getBatch(id: string): Batch | null {
  return batches.get(id) ?? null;
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
export async function startBatch(port: WorkflowEngine, action: BatchAction, filter: InstanceFilter, who: Operator, plan?: MigrationPlan): Promise<{ batch: Batch; run: Promise<void> }> {
  const found = await targets(port, action, filter);
  if (found.length > BATCH_MAX) {
    throw new DomainError('INVALID_ARGUMENT', `the filter matches more than ${BATCH_MAX} instances: narrow it`, { apiCode: 'batch_too_large', status: 422, max: BATCH_MAX });
  }
  if (!found.length) throw new DomainError('INVALID_ARGUMENT', 'the filter matches no instance to act on', { apiCode: 'batch_empty', status: 422 });
  const cases = await casesOfPage(found);
  const batch: Batch = {
    id: randomUUID(), action, filter, ...(plan ? { plan } : {}), reason: who.reason, actor: who.username, state: 'running', total: found.length, processed: 0, failed: 0,
    createdAt: new Date().toISOString(), finishedAt: null,
    items: found.map((i) => ({ processInstanceKey: i.processInstanceKey, caseNo: cases.get(i.processInstanceKey)?.caseNo ?? null, state: 'pending', done: 0 })),
  };
  batches.set(batch.id, batch);
  while (batches.size > KEPT) batches.delete(batches.keys().next().value!);
  const operator = { ...who, batchId: batch.id };
  const run = (async () => {
    for (const item of batch.items) {
      try {
        if (action === 'migrate') {
          await migrateInstance(port, item.processInstanceKey, plan!, operator);
          item.done = 1;
        } else if (action === 'cancel') {
          await cancelInstance(port, item.processInstanceKey, operator);
          item.done = 1;
        } else {
          const open = await port.listIncidents({ processInstanceKeys: [item.processInstanceKey], ...(filter.incidentType ? { incidentType: filter.incidentType } : {}) });
          if (!open.length) throw new DomainError('CONFLICT', 'no open incident left', { apiCode: 'incident_resolved', status: 409 });
          for (const incident of open) {
            await retryIncident(port, incident.incidentKey, 1, operator);
            item.done++;
          }
        }
        item.state = 'done';
      } catch (err) {
        item.state = 'failed';
        batch.failed++;
        Object.assign(item, codeOf(err));
      }
      batch.processed++;
    }
    batch.state = 'finished';
    batch.finishedAt = new Date().toISOString();
  })();
  return { batch, run };
}
