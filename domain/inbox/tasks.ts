import { literal, Op, Sequelize, type WhereOptions } from 'sequelize';
import { Case, EventType, InboxTask, Unit } from '../../db/models/index.js';
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
import { allOf, cappedTotal, checkOffset, COUNT_CAP, through } from '../shared/paging.js';
import { checkFormAttachments } from '../attachments/form-attachments.js';
import { formVariables } from './task-variables.js';

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
export function lightOf(task: InboxTask, caseLight: WarningLight | null, now: Date): WarningLight {
  if (caseLight === 'red' || (task.state === 'created' && task.dueAt && task.dueAt.getTime() < now.getTime())) return 'red';
  if (caseLight === 'yellow' || task.warningLight === 'yellow') return 'yellow';
  return task.warningLight === 'red' ? 'red' : 'green';
}

/** What deciding an actor's reach over a task reads of it (a model row or a plain one). */
export type TaskReach = Pick<InboxTask, 'unitId' | 'candidateGroups' | 'caseId'>;

/** May the actor see this task? Centre roles see all; units their own; grid workers the 核查 pool. */
export function canSeeTask(actor: Actor, task: TaskReach): boolean {
  if (seesAllUnits(actor)) return true;
  if (isUnitScoped(actor)) return actor.unitId !== null && task.unitId === actor.unitId;
  return (task.candidateGroups ?? []).includes(actor.role);
}

/** May the actor claim or complete it? Writers only, and only in their own pool (admin everywhere). */
export function canActOnTask(actor: Actor, task: TaskReach): boolean {
  if (!WRITER_ROLES.includes(actor.role)) return false;
  if (actor.role === 'admin') return true;
  if (isUnitScoped(actor)) return actor.unitId !== null && task.unitId === actor.unitId;
  return (task.candidateGroups ?? []).includes(actor.role);
}

export interface TaskSummary {
  userTaskKey: string;
  name: string;
  elementId: string;
  formId: string | null;
  state: InboxTaskState;
  caseId: string | null;
  caseNo: string | null;
  /** the case's event-type category */
  category: string | null;
  unitId: number | null;
  unitCode: string | null;
  assignee: string | null;
  candidateGroups: string[];
  priority: number;
  /** the case's priority (0–100; a leader's 交办 is high), which the inbox shows: the task's own is the engine's default */
  casePriority: number | null;
  dueAt: string | null;
  light: WarningLight;
  createdAt: string;
}

async function summaries(rows: InboxTask[], now: Date): Promise<TaskSummary[]> {
  const caseIds = [...new Set(rows.map((r) => r.caseId).filter((x): x is string => !!x))];
  const cases = new Map((await Case.findAll({ where: { id: caseIds }, attributes: ['id', 'caseNo', 'warningLight', 'category', 'priority'] })).map((c) => [c.id, c]));
  const unitIds = [...new Set(rows.map((r) => r.unitId).filter((x): x is number => x !== null))];
  const units = new Map((await Unit.findAll({ where: { id: unitIds }, attributes: ['id', 'code'] })).map((u) => [u.id, u.code]));
  return rows.map((r) => {
    const c = r.caseId ? cases.get(r.caseId) : undefined;
    return {
      userTaskKey: r.userTaskKey, name: r.name, elementId: r.elementId, formId: r.formId, state: r.state, caseId: r.caseId, caseNo: c?.caseNo ?? null, category: c?.category ?? null,
      unitId: r.unitId, unitCode: r.unitId !== null ? units.get(r.unitId) ?? null : null, assignee: r.assignee, candidateGroups: r.candidateGroups ?? [],
      priority: r.priority, casePriority: c?.priority ?? null, dueAt: r.dueAt ? r.dueAt.toISOString() : null, light: lightOf(r, c?.warningLight ?? null, now), createdAt: r.createdAt.toISOString(),
    };
  });
}

export interface TaskPage {
  tasks: TaskSummary[];
  /** cursor of the following page (`after`), null on the last */
  next: string | null;
  /** first pages only (no `after`): see domain/shared/paging.ts */
  total?: number;
  totalCapped?: boolean;
}

const OPEN_CURSOR = 'tasks.open';
const DONE_CURSOR = 'tasks.done';

/** An open task's place in the urgency order: priority high first, then due time (none first, as both databases sort NULL), then id. */
interface UrgencyKey { priority: number; dueAt: Date | null; id: string }

function decodeUrgencyKey(raw: string): UrgencyKey {
  const [priority, dueAt, id] = decodeCursor(OPEN_CURSOR, raw, 3);
  if (typeof priority !== 'number' || !Number.isInteger(priority)) throw badCursor('bad priority');
  if (dueAt !== null && (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)) || new Date(dueAt).toISOString() !== dueAt)) throw badCursor('bad due time');
  if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) throw badCursor('bad id');
  return { priority, dueAt: dueAt === null ? null : new Date(dueAt), id };
}

function decodeIdKey(raw: string): string {
  const [id] = decodeCursor(DONE_CURSOR, raw, 1);
  if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) throw badCursor('bad id');
  return id;
}

/** Open tasks after `k` in the urgency order; `priority <= p` is the range the (state, priority DESC, due_at) index seeks to. */
function afterUrgency(k: UrgencyKey): WhereOptions<InboxTask> {
  const sameDue = k.dueAt === null
    ? { [Op.or]: [{ dueAt: { [Op.ne]: null } }, { dueAt: null, id: { [Op.gt]: k.id } }] }
    : { [Op.or]: [{ dueAt: { [Op.gt]: k.dueAt } }, { dueAt: k.dueAt, id: { [Op.gt]: k.id } }] };
  return { priority: { [Op.lte]: k.priority }, [Op.or]: [{ priority: { [Op.lt]: k.priority } }, { priority: k.priority, ...sameDue }] };
}

/** The case's 督办 light as SQL, '' without a case: the task light (lightOf) in a query, so the filter pages in SQL. */
const CASE_LIGHT = "COALESCE((SELECT c.warning_light FROM cases c WHERE c.id = `InboxTask`.`case_id`), '')";

function taskLightWhere(light: WarningLight, now: Date): WhereOptions<InboxTask> {
  const caseLight = (op: symbol, value: string) => Sequelize.where(literal(CASE_LIGHT), { [op]: value });
  const overdue = { state: 'created', dueAt: { [Op.lt]: now } };
  const notOverdue = { [Op.or]: [{ state: { [Op.ne]: 'created' } }, { dueAt: null }, { dueAt: { [Op.gte]: now } }] };
  if (light === 'red') return { [Op.or]: [caseLight(Op.eq, 'red'), overdue, { [Op.and]: [{ warningLight: 'red' }, caseLight(Op.ne, 'yellow')] }] };
  if (light === 'yellow') return { [Op.and]: [caseLight(Op.ne, 'red'), notOverdue, { [Op.or]: [caseLight(Op.eq, 'yellow'), { warningLight: 'yellow' }] }] };
  return { [Op.and]: [caseLight(Op.ne, 'red'), caseLight(Op.ne, 'yellow'), notOverdue, { warningLight: { [Op.notIn]: ['yellow', 'red'] } }] };
}

/** The conditions of the filter and the actor's scope on inbox_tasks, and the unit they keep to; null: nothing can match. */
async function taskWhere(actor: Actor, filter: TaskFilter, now: Date): Promise<{ where: WhereOptions<InboxTask>; unitId: number | undefined } | null> {
  const and: WhereOptions<InboxTask>[] = [{ state: filter.status ?? 'created' }];
  let unitId: number | undefined;
  if (filter.unit) {
    const unit = await Unit.findOne({ where: { code: filter.unit } });
    if (!unit) return null;
    unitId = unit.id;
  }
  if (isUnitScoped(actor)) {
    if (unitId !== undefined && unitId !== actor.unitId) return null;
    unitId = actor.unitId ?? -1;
  }
  if (unitId !== undefined) and.push({ unitId });
  // grid workers and other pool roles: the tasks offered to their role (canSeeTask still checks each row)
  if (!seesAllUnits(actor) && !isUnitScoped(actor)) and.push({ candidateGroups: { [Op.like]: `%${JSON.stringify(actor.role)}%` } } as WhereOptions<InboxTask>);
  // and a grid worker's pool holds the cases of the grids they patrol
  if (patrols(actor)) and.push(literal(inPatrolSql(actor, '`InboxTask`.`case_id`')));
  // conditions on the task's case as EXISTS: one primary-key probe per task, never a list of every case of a category
  const caseConditions: string[] = [];
  if (filter.category) caseConditions.push(`c.category = ${InboxTask.sequelize!.escape(filter.category)}`);
  if (filter.township) {
    const township = await Unit.findOne({ where: { code: filter.township, kind: 'township' }, attributes: ['id'] });
    if (!township) return null;
    caseConditions.push(`c.township_id = ${Number(township.id)}`);
  }
  if (caseConditions.length) and.push(literal(`EXISTS (SELECT 1 FROM cases c WHERE c.id = \`InboxTask\`.\`case_id\` AND ${caseConditions.join(' AND ')})`));
  if (filter.overdue) and.push({ dueAt: { [Op.lt]: now } });
  else if (filter.dueSoon) and.push({ dueAt: { [Op.gte]: now, [Op.lte]: new Date(now.getTime() + DUE_SOON_HOURS * 3600_000) } });
  if (filter.light) and.push(taskLightWhere(filter.light, now));
  return { where: allOf(...and) as WhereOptions<InboxTask>, unitId };
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
  const offset = first ? filter.offset ?? 0 : 0;
  checkOffset(offset, limit);
  const found = await taskWhere(actor, filter, now);
  if (!found) return { tasks: [], next: null, ...(first ? { total: 0, totalCapped: false } : {}) };
  const { where, unitId } = found;
  const paged = allOf(where, afterOpen ? afterUrgency(afterOpen) : null, afterDone ? { id: { [Op.lt]: afterDone } } : null) as WhereOptions<InboxTask>;
  const order: Array<[string, 'ASC' | 'DESC']> = open ? [['priority', 'DESC'], ['dueAt', 'ASC'], ['id', 'ASC']] : [['id', 'DESC']];
  const index = `inbox_tasks${unitId !== undefined ? '_unit_id' : ''}_state_${open ? 'urgency' : 'id'}_idx`; // 0013
  const [rows, counted] = await Promise.all([
    InboxTask.findAll({ where: paged, order, limit: limit + 1, ...(offset ? { offset } : {}), ...through(index) }),
    first ? InboxTask.findAll({ where, attributes: ['id'], limit: COUNT_CAP + 1, raw: true }) : null,
  ]);
  const last = rows.length > limit ? rows[limit - 1]! : null;
  const next = !last ? null : open ? encodeCursor(OPEN_CURSOR, [last.priority, last.dueAt ? last.dueAt.toISOString() : null, last.id]) : encodeCursor(DONE_CURSOR, [last.id]);
  const tasks = await summaries(rows.slice(0, limit).filter((r) => canSeeTask(actor, r)), now);
  return { tasks, next, ...(counted ? cappedTotal(counted.length) : {}) };
}

async function visibleTask(actor: Actor, key: string): Promise<InboxTask> {
  const row = key.length <= 32 ? await InboxTask.findOne({ where: { userTaskKey: key } }) : null;
  // a task of another unit is reported as missing: its existence is not the caller's business
  if (!row || !(await mayReachTask(actor, row))) throw new DomainError('NOT_FOUND', 'no such task', { apiCode: 'task_not_found' });
  return row;
}

/** canSeeTask, and for a grid worker the task's case in a grid they patrol (patrol.ts). */
export async function mayReachTask(actor: Actor, row: TaskReach): Promise<boolean> {
  if (!canSeeTask(actor, row)) return false;
  return !patrols(actor) || caseInPatrol(actor, row.caseId);
}

async function actionableTask(actor: Actor, key: string): Promise<InboxTask> {
  const row = await visibleTask(actor, key);
  if (!canActOnTask(actor, row)) throw new DomainError('INVALID_ARGUMENT', 'not allowed', { apiCode: 'forbidden', status: 403 });
  if (row.state !== 'created') throw new DomainError('CONFLICT', 'task finished', { apiCode: 'task_finished' });
  return row;
}

/**
 * A task with its form and, given the engine, the variables the form reads (see task-variables.ts) —
 * what form-js fills the form's texts and fields from.
 */
export async function getTask(actor: Actor, key: string, now = new Date(), port?: WorkflowEngine): Promise<{ task: TaskSummary; form: unknown; caseId: string | null; variables: Record<string, unknown> }> {
  const row = await visibleTask(actor, key);
  const [task] = await summaries([row], now);
  const form = row.formId ? (await taskForm(row.formId))?.definition ?? null : null;
  const variables = port ? await formVariables(port, actor, key, form) : {};
  return { task: task!, form, caseId: row.caseId, variables };
}

function portFailure(err: unknown): never {
  if (err instanceof PortError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_STATE')) throw new DomainError('CONFLICT', err.message, { apiCode: 'task_finished' });
  throw err;
}

export async function claimTask(port: WorkflowEngine, actor: Actor, key: string): Promise<TaskSummary> {
  const row = await actionableTask(actor, key);
  if (row.assignee && row.assignee !== actor.username) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  await port.assignUserTask(key, actor.username).catch(portFailure);
  await row.update({ assignee: actor.username });
  return (await summaries([row], new Date()))[0]!;
}

export async function unclaimTask(port: WorkflowEngine, actor: Actor, key: string): Promise<TaskSummary> {
  const row = await actionableTask(actor, key);
  const mayRelease = row.assignee === actor.username || actor.role === 'admin' || actor.role === 'dept_leader' || actor.role === 'operator';
  if (row.assignee && !mayRelease) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  if (row.assignee) await port.assignUserTask(key, null).catch(portFailure);
  await row.update({ assignee: null });
  return (await summaries([row], new Date()))[0]!;
}

/** Dynamic options (`valuesKey`) are only typed by the schema: check them against the catalogue. */
async function checkReferences(data: Record<string, unknown>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (typeof data['unitCode'] === 'string' && !(await Unit.findOne({ where: { code: data['unitCode'] } }))) {
    errors.push({ field: 'unitCode', code: 'option', message: '单位不存在' });
  }
  if (typeof data['eventTypeCode'] === 'string' && data['eventTypeCode'] && !(await EventType.findOne({ where: { code: data['eventTypeCode'] } }))) {
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
    const errors = result.ok ? [...await checkReferences(data), ...await checkFormAttachments(form.definition, data, row.caseId)] : result.errors;
    if (errors.length) throw new DomainError('INVALID_ARGUMENT', 'form data invalid', { apiCode: 'form_invalid', errors });
  } else if (Object.keys(data).length) {
    throw new DomainError('INVALID_ARGUMENT', 'this task takes no data', { apiCode: 'form_invalid', errors: [] });
  }
  // decisions left out are cleared, so the next round (and the next step's texts) never read an earlier round's
  await port.completeUserTask(key, form ? roundVariables(form.definition, data) : data).catch(portFailure);
  await row.update({ state: 'completed', completedAt: new Date(), completedBy: actor.username, assignee: row.assignee ?? actor.username });
  if (row.caseId) {
    await noteOnCase(row.caseId, 'task_completed', { actor: actor.username, actorRole: actor.role, dedupKey: `task-completed:${key}` },
      { userTaskKey: key, elementId: row.elementId, formId: row.formId, data });
  }
  return (await summaries([row], new Date()))[0]!;
}
