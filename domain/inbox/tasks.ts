import { literal, Op, type WhereOptions } from 'sequelize';
import { Case, EventType, InboxTask, Unit } from '../../db/models/index.js';
import type { InboxTaskState } from '../../db/models/inbox.js';
import type { WarningLight } from '../../db/models/cases.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { seesAllUnits, isUnitScoped, WRITER_ROLES } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';
import { loadFormDirectory, taskForm, validateSubmission, type FieldError, type LoadedForm } from '../forms/index.js';
import { noteOnCase } from '../cases/case-actions.js';
import { DomainError } from '../shared/errors.js';
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

/** May the actor see this task? Centre roles see all; units their own; grid workers the 核查 pool. */
export function canSeeTask(actor: Actor, task: InboxTask): boolean {
  if (seesAllUnits(actor)) return true;
  if (isUnitScoped(actor)) return actor.unitId !== null && task.unitId === actor.unitId;
  return (task.candidateGroups ?? []).includes(actor.role);
}

/** May the actor claim or complete it? Writers only, and only in their own pool (admin everywhere). */
export function canActOnTask(actor: Actor, task: InboxTask): boolean {
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
  dueAt: string | null;
  light: WarningLight;
  createdAt: string;
}

async function summaries(rows: InboxTask[], now: Date): Promise<TaskSummary[]> {
  const caseIds = [...new Set(rows.map((r) => r.caseId).filter((x): x is string => !!x))];
  const cases = new Map((await Case.findAll({ where: { id: caseIds }, attributes: ['id', 'caseNo', 'warningLight', 'category'] })).map((c) => [c.id, c]));
  const unitIds = [...new Set(rows.map((r) => r.unitId).filter((x): x is number => x !== null))];
  const units = new Map((await Unit.findAll({ where: { id: unitIds }, attributes: ['id', 'code'] })).map((u) => [u.id, u.code]));
  return rows.map((r) => {
    const c = r.caseId ? cases.get(r.caseId) : undefined;
    return {
      userTaskKey: r.userTaskKey, name: r.name, elementId: r.elementId, formId: r.formId, state: r.state, caseId: r.caseId, caseNo: c?.caseNo ?? null, category: c?.category ?? null,
      unitId: r.unitId, unitCode: r.unitId !== null ? units.get(r.unitId) ?? null : null, assignee: r.assignee, candidateGroups: r.candidateGroups ?? [],
      priority: r.priority, dueAt: r.dueAt ? r.dueAt.toISOString() : null, light: lightOf(r, c?.warningLight ?? null, now), createdAt: r.createdAt.toISOString(),
    };
  });
}

/** The inbox: the actor's visible tasks with the filters, most urgent first. */
export async function listTasks(actor: Actor, filter: TaskFilter, now = new Date()): Promise<{ tasks: TaskSummary[]; total: number }> {
  const where: Record<string | symbol, unknown> = { state: filter.status ?? 'created' };
  if (filter.unit) {
    const unit = await Unit.findOne({ where: { code: filter.unit } });
    if (!unit) return { tasks: [], total: 0 };
    where['unitId'] = unit.id;
  }
  if (isUnitScoped(actor)) {
    if (where['unitId'] !== undefined && where['unitId'] !== actor.unitId) return { tasks: [], total: 0 };
    where['unitId'] = actor.unitId ?? -1;
  }
  // subqueries on cases keep it one indexed query; values are bound by Sequelize's escaping
  const caseConditions: string[] = [];
  if (filter.category) caseConditions.push(`category = ${InboxTask.sequelize!.escape(filter.category)}`);
  if (filter.township) {
    const township = await Unit.findOne({ where: { code: filter.township, kind: 'township' }, attributes: ['id'] });
    if (!township) return { tasks: [], total: 0 };
    caseConditions.push(`township_id = ${Number(township.id)}`);
  }
  if (caseConditions.length) where['caseId'] = { [Op.in]: literal(`(SELECT id FROM cases WHERE ${caseConditions.join(' AND ')})`) };
  if (filter.overdue) where['dueAt'] = { [Op.lt]: now };
  else if (filter.dueSoon) where['dueAt'] = { [Op.gte]: now, [Op.lte]: new Date(now.getTime() + DUE_SOON_HOURS * 3600_000) };
  const rows = (await InboxTask.findAll({ where: where as WhereOptions<InboxTask>, order: [['priority', 'DESC'], ['dueAt', 'ASC'], ['id', 'ASC']], limit: 2000 }))
    .filter((r) => canSeeTask(actor, r));
  let all = await summaries(rows, now);
  if (filter.light) all = all.filter((t) => t.light === filter.light);
  const offset = filter.offset ?? 0;
  return { tasks: all.slice(offset, offset + (filter.limit ?? 50)), total: all.length };
}

async function visibleTask(actor: Actor, key: string): Promise<InboxTask> {
  const row = key.length <= 32 ? await InboxTask.findOne({ where: { userTaskKey: key } }) : null;
  // a task of another unit is reported as missing: its existence is not the caller's business
  if (!row || !canSeeTask(actor, row)) throw new DomainError('NOT_FOUND', 'no such task', { apiCode: 'task_not_found' });
  return row;
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
  await port.completeUserTask(key, data).catch(portFailure);
  await row.update({ state: 'completed', completedAt: new Date(), completedBy: actor.username, assignee: row.assignee ?? actor.username });
  if (row.caseId) {
    await noteOnCase(row.caseId, 'task_completed', { actor: actor.username, actorRole: actor.role, dedupKey: `task-completed:${key}` },
      { userTaskKey: key, elementId: row.elementId, formId: row.formId, data });
  }
  return (await summaries([row], new Date()))[0]!;
}
