import { sql } from 'kysely';
import { appSql, throughIndex } from '../../db/sql/current.js';
import type { TimeKey } from '../shared/cursor.js';
import { olderThanKey } from '../shared/keyset.js';
import { cappedTotal, compareNewestFirst, COUNT_CAP, type TotalCount } from '../shared/paging.js';
import { caseWhere, type CaseCondition } from './case-conditions.js';
import { CASE_INDEX, type ScopeBranch } from './case-scope.js';

type CasesBranch = Extract<ScopeBranch, { kind: 'cases' }>;

/**
 * The case search's paging over an actor's scope (case-scope.ts): each branch is read newest first from
 * its own index, at most as far as the page needs, and the branches are merged. Only keys (created_at,
 * id) travel here; the page's rows are loaded by id afterwards.
 */

/** How far a unit-tasks branch reads for one page: task rows per step, and at most (before it answers with what it covered). */
export interface TaskScan {
  batch: number;
  budget: number;
}

export const TASK_SCAN: TaskScan = { batch: 500, budget: 4_000 };

export interface ScopedKeys {
  /** at most `limit` keys, newest first */
  keys: TimeKey[];
  /** where the following page starts, or null when nothing follows */
  next: TimeKey | null;
}

const keyOf = (c: { id: string; createdAt: Date }): TimeKey => ({ at: c.createdAt, id: c.id });
const olderThanAfter = (after: TimeKey | null): CaseCondition | null => (after ? (eb) => olderThanKey(eb, after) : null);

function mergeNewestFirst(lists: TimeKey[][]): TimeKey[] {
  const byId = new Map<string, TimeKey>();
  for (const list of lists) for (const k of list) byId.set(k.id, k);
  return [...byId.values()].sort(compareNewestFirst);
}

/** The first `need` keys of a plain branch after `after` (or after skipping `offset` of them). */
async function branchKeys(b: CasesBranch, filters: CaseCondition, after: TimeKey | null, need: number, offset = 0): Promise<TimeKey[]> {
  const rows = await appSql()
    .selectFrom('cases')
    .select(['id', 'createdAt'])
    .where((eb) => caseWhere(eb, b.where, filters, olderThanAfter(after)))
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(need)
    .$if(offset > 0, (w) => w.offset(offset))
    .withPlugin(throughIndex(b.index ?? CASE_INDEX.all))
    .execute();
  return rows.map(keyOf);
}

/**
 * The cases holding a task of the unit, walked through the unit's tasks in the cases' order
 * (inbox_tasks.case_created_at, case_id) and checked against the filters a batch at a time. It stops
 * once it has `need` of them, or has passed `horizon` (older rows cannot make the page), or has read
 * the scan's budget of tasks: then `coveredTo` says how far it got, and the page ends there.
 */
async function unitTaskKeys(
  unitId: number,
  filters: CaseCondition,
  after: TimeKey | null,
  need: number,
  horizon: TimeKey | null,
  scan: TaskScan,
): Promise<{ keys: TimeKey[]; coveredTo: TimeKey | null }> {
  const keys: TimeKey[] = [];
  const q = appSql();
  let position = after;
  for (let read = 0; ;) {
    const from = position;
    const tasks = await q
      .selectFrom('inbox_tasks')
      .select(['id', 'caseId', 'caseCreatedAt'])
      .where('unitId', '=', unitId)
      .where('caseId', 'is not', null)
      .where('caseCreatedAt', 'is not', null)
      .$if(from !== null, (w) => w.where((eb) => olderThanKey(eb, from!, 'caseCreatedAt', 'caseId')))
      .$if(horizon !== null, (w) => w.where('caseCreatedAt', '>=', horizon!.at))
      .orderBy('caseCreatedAt', 'desc')
      .orderBy('caseId', 'desc')
      .limit(scan.batch)
      .withPlugin(throughIndex('inbox_tasks_unit_id_case_created_at_idx'))
      .execute();
    read += tasks.length;
    if (tasks.length) {
      const ids = [...new Set(tasks.map((t) => t.caseId!))];
      const found = await q
        .selectFrom('cases')
        .select(['id', 'createdAt'])
        .where((eb) => caseWhere(eb, (e) => e('id', 'in', ids), filters, olderThanAfter(after)))
        .execute();
      keys.push(...found.map(keyOf));
      const last = tasks[tasks.length - 1]!;
      position = { at: last.caseCreatedAt!, id: last.caseId! };
    }
    if (tasks.length < scan.batch || keys.length >= need) return { keys, coveredTo: null };
    if (read >= scan.budget) return { keys, coveredTo: position };
  }
}

/**
 * The page of the union of `branches` after `after`: `limit` keys past `offset` (offset paging reads
 * and merges the keys before it; the caller caps it), newest first.
 */
export async function scopedCaseKeys(
  branches: ScopeBranch[],
  filters: CaseCondition,
  after: TimeKey | null,
  limit: number,
  offset = 0,
  scan = TASK_SCAN,
): Promise<ScopedKeys> {
  const need = offset + limit + 1;
  const plain = branches.filter((b): b is CasesBranch => b.kind === 'cases');
  const viaTasks = branches.filter((b): b is Extract<ScopeBranch, { kind: 'unit-tasks' }> => b.kind === 'unit-tasks');
  let merged: TimeKey[];
  if (plain.length === 1 && viaTasks.length === 0) {
    // one branch: the database skips the offset itself
    merged = await branchKeys(plain[0]!, filters, after, limit + 1, offset);
    return { keys: merged.slice(0, limit), next: merged.length > limit ? merged[limit - 1]! : null };
  }
  merged = mergeNewestFirst(await Promise.all(plain.map((b) => branchKeys(b, filters, after, need))));
  let coveredTo: TimeKey | null = null;
  for (const b of viaTasks) {
    const horizon = merged.length >= need ? merged[need - 1]! : null;
    const part = await unitTaskKeys(b.unitId, filters, after, need, horizon, scan);
    merged = mergeNewestFirst([merged, part.keys]);
    if (part.coveredTo && (!coveredTo || compareNewestFirst(part.coveredTo, coveredTo) < 0)) coveredTo = part.coveredTo;
  }
  // a branch that stopped early vouches only for the rows down to where it stopped
  if (coveredTo) merged = merged.filter((k) => compareNewestFirst(k, coveredTo) <= 0);
  const page = merged.slice(offset, offset + limit);
  if (merged.length > offset + limit) return { keys: page, next: page[page.length - 1]! };
  return { keys: page, next: coveredTo };
}

/** How many cases of the scope match, counting at most COUNT_CAP (+1, to know it was passed). */
export async function countScopedCases(branches: ScopeBranch[], filters: CaseCondition): Promise<TotalCount> {
  const q = appSql();
  const ids = new Set<string>();
  let complete = true;
  for (const b of branches) {
    if (ids.size > COUNT_CAP) break;
    let where: CaseCondition = b.kind === 'cases' ? b.where : {};
    if (b.kind === 'unit-tasks') {
      // the cases of the unit's most recent COUNT_CAP + 1 tasks (a derived table: MySQL takes no LIMIT directly in IN)
      const unitTasks = sql`FROM inbox_tasks WHERE unit_id = ${b.unitId} AND case_id IS NOT NULL AND case_created_at IS NOT NULL`;
      where = (eb) =>
        eb(
          'id',
          'in',
          sql<string>`(SELECT case_id FROM (SELECT case_id ${unitTasks} ORDER BY case_created_at DESC, case_id DESC LIMIT ${sql.lit(COUNT_CAP + 1)}) recent)`,
        );
      const beyond = await q
        .selectFrom('inbox_tasks')
        .select(sql<number>`1`.as('beyond'))
        .where('unitId', '=', b.unitId)
        .where('caseId', 'is not', null)
        .where('caseCreatedAt', 'is not', null)
        .orderBy('caseCreatedAt', 'desc')
        .orderBy('caseId', 'desc')
        .limit(1)
        .offset(COUNT_CAP + 1)
        .execute();
      if (beyond.length > 0) complete = false;
    }
    const condition = where;
    const rows = await q
      .selectFrom('cases')
      .select('id')
      .where((eb) => caseWhere(eb, condition, filters))
      .limit(COUNT_CAP + 1)
      .execute();
    for (const r of rows) ids.add(String(r.id));
  }
  return cappedTotal(ids.size, complete);
}
