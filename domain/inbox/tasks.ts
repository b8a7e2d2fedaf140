import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { appSql, throughIndex } from '../../db/sql/current.js';
import type { Tables } from '../../db/sql/schema.js';
import { type InboxTaskState } from '../../db/vocabulary.js';
import { type WarningLight } from '../../db/vocabulary.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { seesAllUnits, isUnitScoped, WRITER_ROLES } from '../auth/access.js';
import { caseInPatrol, inPatrolSql, patrols } from '../auth/patrol.js';
import type { Actor } from '../auth/sessions.js';
import { loadFormDirectory, roundVariables, taskForm, validateSubmission, type FieldError, type LoadedForm } from '../forms/index.js';
import { noteOnCase } from '../cases/case-actions.js';
import { badCursor, decodeCursor, encodeCursor } from '../shared/cursor.js';
import { DomainError } from '../shared/errors.js';
import { cappedTotal, checkOffset, COUNT_CAP } from '../shared/paging.js';
import { checkFormAttachments } from '../attachments/form-attachments.js';
import { readTaskByKey, taskRecord, updateTask, type InboxTaskRecord } from './task-rows.js';
import { formVariables } from './task-variables.js';
import type { TaskPage, TaskSummary } from './task-types.js';

export type { InboxTaskRecord } from './task-rows.js';

export interface TaskFilter {
  status?: InboxTaskState;
  unit?: string;
  dueSoon?: boolean;
  overdue?: boolean;
  light?: WarningLight;
  /** the case's event-type category (cases.category) */
  category?: string;
  /** the township (unit code) the case lies in (cases.township_id) */
  township?: string;
  limit?: number;
  offset?: number;
  /** cursor: the page after this position (excludes `offset`) */
  after?: string;
}

/** "due soon": due within this many hours and not yet overdue */
export const DUE_SOON_HOURS = 24;

let forms: Map<string, LoadedForm> | null = null;
export const formsById = () => (forms ??= loadFormDirectory());

/** The light of a task: the worse of its own due time and its case's light (催办/督办 set by the workers). */
export function lightOf(task: Pick<InboxTaskRecord, 'state' | 'dueAt' | 'warningLight'>, caseLight: WarningLight | null, now: Date): WarningLight {
  if (caseLight === 'red' || (task.state === 'created' && task.dueAt && task.dueAt.getTime() < now.getTime())) return 'red';
  if (caseLight === 'yellow' || task.warningLight === 'yellow') return 'yellow';
  return task.warningLight === 'red' ? 'red' : 'green';
}

/** May the actor see this task? Centre roles see all; units their own; grid workers the 核查 pool. */
export function canSeeTask(actor: Actor, task: Pick<InboxTaskRecord, 'unitId' | 'candidateGroups'>): boolean {
  if (seesAllUnits(actor)) return true;
  if (isUnitScoped(actor)) return actor.unitId !== null && task.unitId === actor.unitId;
  return (task.candidateGroups ?? []).includes(actor.role);
}

/** May the actor claim or complete it? Writers only, and only in their own pool (admin everywhere). */
export function canActOnTask(actor: Actor, task: Pick<InboxTaskRecord, 'unitId' | 'candidateGroups'>): boolean {
  if (!WRITER_ROLES.includes(actor.role)) return false;
  if (actor.role === 'admin') return true;
  if (isUnitScoped(actor)) return actor.unitId !== null && task.unitId === actor.unitId;
  return (task.candidateGroups ?? []).includes(actor.role);
}

async function summaries(rows: InboxTaskRecord[], now: Date): Promise<TaskSummary[]> {
  const q = appSql();
  const caseIds = [...new Set(rows.map((r) => r.caseId).filter((x): x is string => !!x))];
  const caseRows = caseIds.length
    ? await q.selectFrom('cases').select(['id', 'caseNo', 'warningLight', 'category', 'priority']).where('id', 'in', caseIds).execute()
    : [];
  const cases = new Map(caseRows.map((c) => [c.id, { ...c, warningLight: c.warningLight as WarningLight }]));
  const unitIds = [...new Set(rows.map((r) => r.unitId).filter((x): x is number => x !== null))];
  const unitRows = unitIds.length ? await q.selectFrom('units').select(['id', 'code']).where('id', 'in', unitIds).execute() : [];
  const units = new Map(unitRows.map((u) => [u.id, u.code]));
  return rows.map((r) => {
    const c = r.caseId ? cases.get(r.caseId) : undefined;
    return {
      userTaskKey: r.userTaskKey,
      name: r.name,
      elementId: r.elementId,
      formId: r.formId,
      state: r.state,
      caseId: r.caseId,
      caseNo: c?.caseNo ?? null,
      category: c?.category ?? null,
      unitId: r.unitId,
      unitCode: r.unitId !== null ? (units.get(r.unitId) ?? null) : null,
      assignee: r.assignee,
      candidateGroups: r.candidateGroups ?? [],
      priority: r.priority,
      casePriority: c?.priority ?? null,
      dueAt: r.dueAt ? r.dueAt.toISOString() : null,
      light: lightOf(r, c?.warningLight ?? null, now),
      createdAt: r.createdAt.toISOString(),
    };
  });
}

const OPEN_CURSOR = 'tasks.open';
const DONE_CURSOR = 'tasks.done';

/** An open task's place in the urgency order: priority high first, then due time (none first, as both databases sort NULL), then id. */
interface UrgencyKey {
  priority: number;
  dueAt: Date | null;
  id: string;
}

function decodeUrgencyKey(raw: string): UrgencyKey {
  const [priority, dueAt, id] = decodeCursor(OPEN_CURSOR, raw, 3);
  if (typeof priority !== 'number' || !Number.isInteger(priority)) throw badCursor('bad priority');
  if (dueAt !== null && (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)) || new Date(dueAt).toISOString() !== dueAt))
    throw badCursor('bad due time');
  if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) throw badCursor('bad id');
  return { priority, dueAt: dueAt === null ? null : new Date(dueAt), id };
}

function decodeIdKey(raw: string): string {
  const [id] = decodeCursor(DONE_CURSOR, raw, 1);
  if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) throw badCursor('bad id');
  return id;
}

type TaskExpressions = ExpressionBuilder<Tables, 'inbox_tasks'>;
type TaskCondition = (eb: TaskExpressions) => Expression<SqlBool>;

/** Open tasks after `k` in the urgency order; `priority <= p` is the range the (state, priority DESC, due_at) index seeks to. */
function afterUrgency(eb: TaskExpressions, k: UrgencyKey): Expression<SqlBool> {
  const sameDue =
    k.dueAt === null
      ? eb.or([eb('dueAt', 'is not', null), eb.and([eb('dueAt', 'is', null), eb('id', '>', k.id)])])
      : eb.or([eb('dueAt', '>', k.dueAt), eb.and([eb('dueAt', '=', k.dueAt), eb('id', '>', k.id)])]);
  return eb.and([eb('priority', '<=', k.priority), eb.or([eb('priority', '<', k.priority), eb.and([eb('priority', '=', k.priority), sameDue])])]);
}

/** The case's 督办 light as SQL, '' without a case: the task light (lightOf) in a query, so the filter pages in SQL. */
const CASE_LIGHT = sql<string>`COALESCE((SELECT c.warning_light FROM cases c WHERE c.id = \`inbox_tasks\`.\`case_id\`), '')`;

function taskLightWhere(eb: TaskExpressions, light: WarningLight, now: Date): Expression<SqlBool> {
  const caseLight = (op: '=' | '!=', value: string) => eb(CASE_LIGHT, op, value);
  const overdue = eb.and([eb('state', '=', 'created'), eb('dueAt', '<', now)]);
  const notOverdue = eb.or([eb('state', '!=', 'created'), eb('dueAt', 'is', null), eb('dueAt', '>=', now)]);
  if (light === 'red') return eb.or([caseLight('=', 'red'), overdue, eb.and([eb('warningLight', '=', 'red'), caseLight('!=', 'yellow')])]);
  if (light === 'yellow') return eb.and([caseLight('!=', 'red'), notOverdue, eb.or([caseLight('=', 'yellow'), eb('warningLight', '=', 'yellow')])]);
  return eb.and([caseLight('!=', 'red'), caseLight('!=', 'yellow'), notOverdue, eb('warningLight', 'not in', ['yellow', 'red'])]);
}

/** The conditions of the filter and the actor's scope on inbox_tasks, and the unit they keep to; null: nothing can match. */
async function taskWhere(actor: Actor, filter: TaskFilter, now: Date): Promise<{ where: TaskCondition; unitId: number | undefined } | null> {
  const q = appSql();
  const and: TaskCondition[] = [(eb) => eb('state', '=', filter.status ?? 'created')];
  let unitId: number | undefined;
  if (filter.unit) {
    const unit = await q.selectFrom('units').select('id').where('code', '=', filter.unit).limit(1).executeTakeFirst();
    if (!unit) return null;
    unitId = unit.id;
  }
  if (isUnitScoped(actor)) {
    if (unitId !== undefined && unitId !== actor.unitId) return null;
    unitId = actor.unitId ?? -1;
  }
  if (unitId !== undefined) {
    const unit = unitId;
    and.push((eb) => eb('unitId', '=', unit));
  }
  // grid workers and other pool roles: the tasks offered to their role (canSeeTask still checks each row)
  if (!seesAllUnits(actor) && !isUnitScoped(actor)) and.push((eb) => eb('candidateGroups', 'like', `%${JSON.stringify(actor.role)}%`));
  // and a grid worker's pool holds the cases of the grids they patrol
  if (patrols(actor)) and.push(() => sql<SqlBool>`${sql.raw(inPatrolSql(actor, '`inbox_tasks`.`case_id`'))}`);
  // conditions on the task's case as EXISTS: one primary-key probe per task, never a list of every case of a category
  const caseConditions: RawBuilder<unknown>[] = [];
  if (filter.category) caseConditions.push(sql`c.category = ${filter.category}`);
  if (filter.township) {
    const township = await q.selectFrom('units').select('id').where('code', '=', filter.township).where('kind', '=', 'township').limit(1).executeTakeFirst();
    if (!township) return null;
    caseConditions.push(sql`c.township_id = ${sql.lit(Number(township.id))}`);
  }
  if (caseConditions.length)
    and.push(() => sql<SqlBool>`EXISTS (SELECT 1 FROM cases c WHERE c.id = \`inbox_tasks\`.\`case_id\` AND ${sql.join(caseConditions, sql` AND `)})`);
  if (filter.overdue) and.push((eb) => eb('dueAt', '<', now));
  else if (filter.dueSoon) and.push((eb) => eb.and([eb('dueAt', '>=', now), eb('dueAt', '<=', new Date(now.getTime() + DUE_SOON_HOURS * 3600_000))]));
  if (filter.light) {
    const light = filter.light;
    and.push((eb) => taskLightWhere(eb, light, now));
  }
  return { where: (eb) => eb.and(and.map((condition) => condition(eb))), unitId };
}

/**
 * The inbox: the actor's visible tasks with the filters. Open tasks most urgent first (priority, then
 * due time); completed and cancelled ones — the part that grows with history — newest first. Paged by
 * `after`, or by `limit`/`offset` within the first MAX_OFFSET rows; the total on first pages only.
 */
export async function listTasks(actor: Actor, filter: TaskFilter, now = new Date()): Promise<TaskPage> {
  const open = (filter.status ?? 'created') === 'created';
  const limit = filter.limit ?? 50;
  const afterOpen = open && filter.after !== undefined ? decodeUrgencyKey(filter.after) : null;
  const afterDone = !open && filter.after !== undefined ? decodeIdKey(filter.after) : null;
  const first = filter.after === undefined;
  const offset = first ? (filter.offset ?? 0) : 0;
  checkOffset(offset, limit);
  const found = await taskWhere(actor, filter, now);
  if (!found) return { tasks: [], next: null, ...(first ? { total: 0, totalCapped: false } : {}) };
  const { where, unitId } = found;
  const paged: TaskCondition = (eb) => {
    const conditions = [where(eb)];
    if (afterOpen) conditions.push(afterUrgency(eb, afterOpen));
    if (afterDone) conditions.push(eb('id', '<', afterDone));
    return conditions.length === 1 ? conditions[0]! : eb.and(conditions);
  };
  const index = `inbox_tasks${unitId !== undefined ? '_unit_id' : ''}_state_${open ? 'urgency' : 'id'}_idx`; // 0013
  const q = appSql();
  const page = q
    .selectFrom('inbox_tasks')
    .selectAll()
    .where(paged)
    .$if(open, (w) => w.orderBy('priority', 'desc').orderBy('dueAt', 'asc').orderBy('id', 'asc'))
    .$if(!open, (w) => w.orderBy('id', 'desc'))
    .limit(limit + 1)
    .$if(offset > 0, (w) => w.offset(offset))
    .withPlugin(throughIndex(index));
  const [read, counted] = await Promise.all([
    page.execute(),
    first
      ? q
          .selectFrom('inbox_tasks')
          .select('id')
          .where(where)
          .limit(COUNT_CAP + 1)
          .execute()
      : null,
  ]);
  const rows = read.map(taskRecord);
  const last = rows.length > limit ? rows[limit - 1]! : null;
  const next = !last
    ? null
    : open
      ? encodeCursor(OPEN_CURSOR, [last.priority, last.dueAt ? last.dueAt.toISOString() : null, last.id])
      : encodeCursor(DONE_CURSOR, [last.id]);
  const tasks = await summaries(
    rows.slice(0, limit).filter((r) => canSeeTask(actor, r)),
    now,
  );
  return { tasks, next, ...(counted ? cappedTotal(counted.length) : {}) };
}

async function visibleTask(actor: Actor, key: string): Promise<InboxTaskRecord> {
  const row = key.length <= 32 ? await readTaskByKey(key) : null;
  // a task of another unit is reported as missing: its existence is not the caller's business
  if (!row || !(await mayReachTask(actor, row))) throw new DomainError('NOT_FOUND', 'no such task', { apiCode: 'task_not_found' });
  return row;
}

/** canSeeTask, and for a grid worker the task's case in a grid they patrol (patrol.ts). */
export async function mayReachTask(actor: Actor, row: Pick<InboxTaskRecord, 'unitId' | 'candidateGroups' | 'caseId'>): Promise<boolean> {
  if (!canSeeTask(actor, row)) return false;
  return !patrols(actor) || caseInPatrol(actor, row.caseId);
}

async function actionableTask(actor: Actor, key: string): Promise<InboxTaskRecord> {
  const row = await visibleTask(actor, key);
  if (!canActOnTask(actor, row)) throw new DomainError('INVALID_ARGUMENT', 'not allowed', { apiCode: 'forbidden' });
  if (row.state !== 'created') throw new DomainError('CONFLICT', 'task finished', { apiCode: 'task_finished' });
  return row;
}

/**
 * A task with its form and, given the engine, the variables the form reads (see task-variables.ts) —
 * what form-js fills the form's texts and fields from.
 */
export async function getTask(
  actor: Actor,
  key: string,
  now = new Date(),
  port?: WorkflowEngine,
): Promise<{ task: TaskSummary; form: unknown; caseId: string | null; variables: Record<string, unknown> }> {
  const row = await visibleTask(actor, key);
  const [task] = await summaries([row], now);
  const form = row.formId ? ((await taskForm(row.formId))?.definition ?? null) : null;
  const variables = port ? await formVariables(port, actor, key, form) : {};
  return { task: task!, form, caseId: row.caseId, variables };
}

function portFailure(err: unknown): never {
  if (err instanceof PortError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_STATE'))
    throw new DomainError('CONFLICT', err.message, { apiCode: 'task_finished' });
  throw err;
}

export async function claimTask(port: WorkflowEngine, actor: Actor, key: string): Promise<TaskSummary> {
  const row = await actionableTask(actor, key);
  if (row.assignee && row.assignee !== actor.username) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  await port.assignUserTask(key, actor.username).catch(portFailure);
  const claimed = await updateTask(row, { assignee: actor.username });
  return (await summaries([claimed], new Date()))[0]!;
}

export async function unclaimTask(port: WorkflowEngine, actor: Actor, key: string): Promise<TaskSummary> {
  const row = await actionableTask(actor, key);
  const mayRelease = row.assignee === actor.username || actor.role === 'admin' || actor.role === 'dept_leader' || actor.role === 'operator';
  if (row.assignee && !mayRelease) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  if (row.assignee) await port.assignUserTask(key, null).catch(portFailure);
  const released = await updateTask(row, { assignee: null });
  return (await summaries([released], new Date()))[0]!;
}

/** Dynamic options (`valuesKey`) are only typed by the schema: check them against the catalogue. */
async function checkReferences(data: Record<string, unknown>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const q = appSql();
  if (typeof data['unitCode'] === 'string' && !(await q.selectFrom('units').select('id').where('code', '=', data['unitCode']).limit(1).executeTakeFirst())) {
    errors.push({ field: 'unitCode', code: 'option', message: '单位不存在' });
  }
  if (
    typeof data['eventTypeCode'] === 'string' &&
    data['eventTypeCode'] &&
    !(await q.selectFrom('event_types').select('id').where('code', '=', data['eventTypeCode']).limit(1).executeTakeFirst())
  ) {
    errors.push({ field: 'eventTypeCode', code: 'option', message: '事件类型不存在' });
  }
  return errors;
}

/**
 * Completes a task with its form's data: checked on the server against the schema derived from the
 * form (unknown keys refused), then handed to the engine; nothing is written when a check fails.
 */
export async function completeTask(port: WorkflowEngine, actor: Actor, key: string, data: Record<string, unknown>): Promise<TaskSummary> {
  const row = await actionableTask(actor, key);
  if (row.assignee && row.assignee !== actor.username) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  const form = row.formId ? await taskForm(row.formId) : undefined;
  if (row.formId && !form) throw new DomainError('CONFLICT', `form ${row.formId} unknown`, { apiCode: 'form_unknown' });
  if (form) {
    const result = validateSubmission(form.definition, data);
    // references the schema cannot check: catalogue options, and photos that must be this case's attachments
    const errors = result.ok ? [...(await checkReferences(data)), ...(await checkFormAttachments(form.definition, data, row.caseId))] : result.errors;
    if (errors.length) throw new DomainError('INVALID_ARGUMENT', 'form data invalid', { apiCode: 'form_invalid', errors });
  } else if (Object.keys(data).length) {
    throw new DomainError('INVALID_ARGUMENT', 'this task takes no data', { apiCode: 'form_invalid', errors: [] });
  }
  // decisions left out are cleared, so the next round (and the next step's texts) never read an earlier round's
  await port.completeUserTask(key, form ? roundVariables(form.definition, data) : data).catch(portFailure);
  const done = await updateTask(row, { state: 'completed', completedAt: new Date(), completedBy: actor.username, assignee: row.assignee ?? actor.username });
  if (row.caseId) {
    await noteOnCase(
      row.caseId,
      'task_completed',
      { actor: actor.username, actorRole: actor.role, dedupKey: `task-completed:${key}` },
      { userTaskKey: key, elementId: row.elementId, formId: row.formId, data },
    );
  }
  return (await summaries([done], new Date()))[0]!;
}
