import type { SqlDriver, SqlValue } from '../store/driver.js';

/**
 * Retention of finished instances. A finished instance keeps rows in the engine's hot tables for ever
 * (its eng_instance row, completed and cancelled user tasks, resolved incidents and, most of all, its
 * eng_history records); nothing in the engine reads them again once every exporter of the history
 * stream has read them. This deletes them — a whole call tree at a time, in bounded transactions.
 *
 * Deleted rather than archived: what an auditor reads of a finished instance has already been copied
 * out by the exporters (the application's case history and audit log), which is why an instance goes
 * only after every exporter has read its last record. An archive table of the same rows would move the
 * growth to another table of the same database instead of ending it.
 */
export interface PruneOptions {
  /** Call trees whose root instance ended (completed or terminated) before this instant, epoch ms, go. */
  endedBefore: number;
  /**
   * Root instances examined per transaction (default 100: measured on SQLite, a demo case's tree — three
   * instances, about 220 history records — takes about 0.6 ms to delete, so a batch holds the writer and,
   * with the synchronous SQLite driver, the event loop for about 60 ms); their called instances go in the same one.
   */
  batchSize?: number;
  /**
   * Exporters that must have read a tree's records before it goes even if they have never saved a
   * position (a reader not started yet holds everything back). Every exporter with a saved position
   * counts anyway.
   */
  exporters?: readonly string[];
}

export interface PruneResult {
  /** root instances deleted, each with the instances it called */
  roots: number;
  /** instances deleted, roots and called ones */
  instances: number;
  /** rows deleted per table */
  rows: Record<PrunedTable, number>;
  /** transactions committed */
  batches: number;
  /** finished trees kept for now: an exporter has not read all their records yet, or (never expected) a called instance still runs */
  kept: number;
  /** the exporter furthest behind and its position, when there is one: nothing after that position goes */
  slowestExporter: { name: string; position: number } | null;
  /** the longest any batch's deletes ran inside its transaction, ms (the commit not included) */
  longestBatchMs: number;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back (nothing of it kept) when it throws. */
export type InTransaction = <T>(work: () => Promise<T>) => Promise<T>;

/** Children first, the instance row last, so an interrupted delete (rolled back anyway) never orphans rows that name an instance. */
const PRUNED_TABLES = ['eng_history', 'eng_variable', 'eng_element', 'eng_user_task', 'eng_incident', 'eng_instance'] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

/** Keys per IN (…) list: well under SQLite's and MySQL's parameter limits. */
const IN_CHUNK = 500;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Cursor {
  endedAt: number;
  key: string;
}

interface BatchOutcome {
  examined: number;
  next: Cursor | null;
  roots: number;
  instances: number;
  rows: Record<PrunedTable, number>;
  kept: number;
  slowest: { name: string; position: number } | null;
  ms: number;
}

/** How far every exporter has read: nothing recorded after this position may go. Infinity without exporters. */
async function exportedUpTo(driver: SqlDriver, required: readonly string[]): Promise<{ position: number; slowest: { name: string; position: number } | null }> {
  const saved = await driver.all<{ name: string; value: string }>("SELECT name, value FROM eng_meta WHERE name LIKE 'exporter:%'");
  const positions = new Map<string, number>(required.map((name) => [name, 0]));
  for (const row of saved) positions.set(row.name.slice('exporter:'.length), Number(row.value));
  let slowest: { name: string; position: number } | null = null;
  for (const [name, position] of positions) if (!slowest || position < slowest.position) slowest = { name, position };
  return { position: slowest ? slowest.position : Infinity, slowest };
}

/** The roots' call trees: instance key → its root's key, found level by level through parent_instance_key. */
async function treesOf(driver: SqlDriver, roots: readonly string[]): Promise<{ rootOf: Map<string, string>; running: Set<string> }> {
  const rootOf = new Map<string, string>(roots.map((k) => [k, k]));
  const running = new Set<string>();
  let level = [...roots];
  for (let depth = 0; level.length && depth < 100; depth++) {
    const next: string[] = [];
    for (const part of chunks(level, IN_CHUNK)) {
      const children = await driver.all<{ instance_key: string; parent_instance_key: string; state: string }>(
        `SELECT instance_key, parent_instance_key, state FROM eng_instance WHERE parent_instance_key IN (${placeholders(part.length)})`,
        part,
      );
      for (const c of children) {
        const root = rootOf.get(c.parent_instance_key)!;
        rootOf.set(c.instance_key, root);
        if (c.state === 'ACTIVE') running.add(root);
        next.push(c.instance_key);
      }
    }
    level = next;
  }
  return { rootOf, running };
}

/** The last history position of each instance (its index is (instance_key, position)). */
async function lastPositions(driver: SqlDriver, keys: readonly string[]): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for (const part of chunks(keys, IN_CHUNK)) {
    const rows = await driver.all<{ instance_key: string; last: number | string }>(
      `SELECT instance_key, MAX(position) AS last FROM eng_history WHERE instance_key IN (${placeholders(part.length)}) GROUP BY instance_key`,
      part,
    );
    for (const r of rows) last.set(r.instance_key, Number(r.last));
  }
  return last;
}

/** One transaction's work: the next `batchSize` finished roots after the cursor, each tree deleted whole or kept whole. */
async function pruneBatch(driver: SqlDriver, options: PruneOptions, cursor: Cursor | null, batchSize: number): Promise<BatchOutcome> {
  const params: SqlValue[] = [options.endedBefore];
  let after = '';
  if (cursor) {
    after = ' AND (ended_at > ? OR (ended_at = ? AND instance_key > ?))';
    params.push(cursor.endedAt, cursor.endedAt, cursor.key);
  }
  // running instances have no ended_at, called instances a parent: neither is a candidate
  const candidates = await driver.all<{ instance_key: string; state: string; ended_at: number | string }>(
    `SELECT instance_key, state, ended_at FROM eng_instance WHERE parent_instance_key IS NULL AND ended_at < ?${after} ORDER BY ended_at, instance_key LIMIT ${batchSize}`,
    params,
  );
  const rows = Object.fromEntries(PRUNED_TABLES.map((t) => [t, 0])) as Record<PrunedTable, number>;
  const last = candidates[candidates.length - 1];
  const outcome: BatchOutcome = {
    examined: candidates.length,
    next: last ? { endedAt: Number(last.ended_at), key: last.instance_key } : null,
    roots: 0,
    instances: 0,
    rows,
    kept: 0,
    slowest: null,
    ms: 0,
  };
  if (!candidates.length) return outcome;

  const exported = await exportedUpTo(driver, options.exporters ?? []);
  outcome.slowest = exported.slowest;
  const roots = candidates.filter((c) => c.state === 'COMPLETED' || c.state === 'TERMINATED').map((c) => c.instance_key);
  const { rootOf, running } = await treesOf(driver, roots);
  const lastOfTree = new Map<string, number>();
  for (const [key, position] of await lastPositions(driver, [...rootOf.keys()])) {
    const root = rootOf.get(key)!;
    lastOfTree.set(root, Math.max(lastOfTree.get(root) ?? 0, position));
  }
  const going = new Set(roots.filter((r) => !running.has(r) && (lastOfTree.get(r) ?? 0) <= exported.position));
  outcome.kept = candidates.length - going.size;
  const keys = [...rootOf].filter(([, root]) => going.has(root)).map(([key]) => key);
  for (const part of chunks(keys, IN_CHUNK)) {
    for (const table of PRUNED_TABLES) {
      rows[table] += await driver.run(`DELETE FROM ${table} WHERE instance_key IN (${placeholders(part.length)})`, part);
    }
  }
  outcome.roots = going.size;
  outcome.instances = keys.length;
  return outcome;
}

/**
 * Deletes the engine rows of every call tree whose root ended before `endedBefore` and whose records
 * every exporter has read, `batchSize` roots per transaction (each run through `inTransaction`), giving
 * the event loop a turn between transactions. A tree is deleted whole or not at all, and a running
 * instance, its callers and the instances it called are never touched (a called instance goes with its
 * root, which ends last). A failing transaction leaves its trees whole and stops the prune with its error.
 */
export async function pruneFinishedInstances(driver: SqlDriver, inTransaction: InTransaction, options: PruneOptions): Promise<PruneResult> {
  const batchSize = Math.floor(options.batchSize ?? 100);
  if (!(batchSize >= 1)) throw new RangeError('batchSize must be 1 or more');
  if (!Number.isFinite(options.endedBefore)) throw new RangeError('endedBefore must be an instant (epoch ms)');
  const result: PruneResult = {
    roots: 0,
    instances: 0,
    rows: Object.fromEntries(PRUNED_TABLES.map((t) => [t, 0])) as Record<PrunedTable, number>,
    batches: 0,
    kept: 0,
    slowestExporter: null,
    longestBatchMs: 0,
  };
  let cursor: Cursor | null = null;
  for (;;) {
    const from: Cursor | null = cursor;
    const batch: BatchOutcome = await inTransaction(async () => {
      const started = performance.now();
      const outcome = await pruneBatch(driver, options, from, batchSize);
      outcome.ms = performance.now() - started;
      return outcome;
    });
    if (!batch.examined) break;
    result.batches++;
    result.roots += batch.roots;
    result.instances += batch.instances;
    result.kept += batch.kept;
    for (const t of PRUNED_TABLES) result.rows[t] += batch.rows[t];
    result.slowestExporter = batch.slowest;
    result.longestBatchMs = Math.max(result.longestBatchMs, Math.round(batch.ms));
    cursor = batch.next;
    // the SQLite driver never waits on I/O: without this a long prune kept the event loop to itself
    await new Promise((resolve) => setImmediate(resolve));
    if (batch.examined < batchSize) break;
  }
  return result;
}
