import type { FlowNode, ValueSpec } from '../model/types.js';
import { insertUserTask, markTaskEnded, setAssignee, type NewUserTask } from '../store/user-tasks.js';
import { hasTaskListeners, startTaskTransition } from './user-task-listeners.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluate, evaluateString } from '../runtime/expressions.js';
import type { ElementRow, UserTaskRow } from '../runtime/rows.js';
import { Incident, json, type Run, type Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';

/**
 * Camunda user task (`zeebe:userTask`): activation creates a task row with the evaluated assignee,
 * candidate groups and users, due and follow-up dates and priority; its completion completes the element.
 * Assigning and updating are commands/user-tasks.ts.
 */
export async function prepareUserTask(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const spec = node.userTask!;
  const { assignee, candidateGroups, candidateUsers, dueDate, followUpDate } = await evaluateAssignment(run, el, node, context);
  let priority = 50;
  if (spec.priority) {
    const p = Number(await evaluate(run, el, spec.priority, `priority of ${node.id}`, context));
    if (!Number.isInteger(p) || p < 0 || p > 100) throw new Incident('EXTRACT_VALUE_ERROR', `priority of ${node.id}: expected a whole number from 0 to 100`);
    priority = p;
  }
  return async () => {
    const inst = await run.instance(el.instanceKey);
    const key = run.nextKey();
    const listened = hasTaskListeners(node, 'creating') || (!!assignee && hasTaskListeners(node, 'assigning'));
    const task: NewUserTask = {
      taskKey: key,
      instanceKey: el.instanceKey,
      elementKey: el.key,
      elementId: el.elementId,
      processId: inst.process_id,
      defKey: inst.def_key,
      name: node.name,
      assignee: listened ? null : assignee || null,
      candidateGroups,
      candidateUsers,
      dueDate,
      followUpDate,
      formId: spec.formId,
      formKey: spec.formKey,
      priority,
      createdAt: run.now,
      state: hasTaskListeners(node, 'creating') ? 'CREATING' : 'CREATED',
    };
    await insertUserTask(run.db, task);
    if (await startTaskTransition(run, el, node, key, 'creating', { assignee: assignee || null })) return;
    await taskCreated(run, el, node, task, assignee || null);
  };
}

export interface TaskAssignment {
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
}

/** A user task's assignee, candidates and dates (zeebe:assignmentDefinition, zeebe:taskSchedule), static or FEEL; shared with job-worker user tasks. */
export async function evaluateAssignment(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<TaskAssignment> {
  const spec = node.userTask!;
  const str = async (v: ValueSpec | null, what: string) => (v ? await evaluateString(run, el, v, `${what} of ${node.id}`, context) : null);
  const list = async (v: ValueSpec | null, what: string): Promise<string[]> => {
    if (!v) return [];
    const value = await evaluate(run, el, v, `${what} of ${node.id}`, context);
    if (typeof value === 'string')
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
    throw new Incident('EXTRACT_VALUE_ERROR', `${what} of ${node.id}: expected a list of strings but got ${json(value)}`);
  };
  // a date that evaluates to null is no date, as in Zeebe (its due and follow-up dates are nullable expressions)
  const date = async (v: ValueSpec | null, what: string): Promise<string | null> => {
    if (!v || (await evaluate(run, el, v, `${what} of ${node.id}`, context)) === null) return null;
    const s = await str(v, what);
    if (s === null || s === '') return null;
    if (Number.isNaN(Date.parse(s))) throw new Incident('EXTRACT_VALUE_ERROR', `${what} of ${node.id}: '${s}' is not a date-time`);
    return new Date(Date.parse(s)).toISOString();
  };
  return {
    assignee: (await str(spec.assignee, 'assignee')) || null,
    candidateGroups: await list(spec.candidateGroups, 'candidate groups'),
    candidateUsers: await list(spec.candidateUsers, 'candidate users'),
    dueDate: await date(spec.dueDate, 'due date'),
    followUpDate: await date(spec.followUpDate, 'follow-up date'),
  };
}

/** The task exists (after its creating listeners): its CREATED record, then the assignment the process specifies. */
export async function taskCreated(
  run: Run,
  el: ElementRow,
  node: FlowNode,
  task: Omit<NewUserTask, 'instanceKey' | 'elementKey' | 'elementId' | 'processId' | 'defKey' | 'name' | 'createdAt'>,
  assignee: string | null,
): Promise<void> {
  const { taskKey: key, candidateGroups, candidateUsers, dueDate, followUpDate, formId, priority } = task;
  await run.history(el, 'USER_TASK_CREATED', { userTaskKey: key, assignee: null, candidateGroups, candidateUsers, dueDate, followUpDate, formId, priority });
  run.effects.userTaskEvents.push({ intent: 'CREATED', taskKey: key });
  if (!assignee) return;
  // Zeebe 8.8 creates the task first and assigns it in a second step (which assigning listeners see)
  if (await startTaskTransition(run, el, node, key, 'assigning', { assignee })) return;
  if (task.assignee !== assignee) await setAssignee(run.db, key, assignee);
  await taskAssigned(run, el, key, assignee);
}

export async function taskAssigned(run: Run, el: ElementRow | null, key: string, assignee: string | null): Promise<void> {
  await run.history(el, 'USER_TASK_ASSIGNED', { userTaskKey: key, assignee });
  run.effects.userTaskEvents.push({ intent: 'ASSIGNED', taskKey: key });
}

/** Someone completed the task: its variables are applied and the element completes. */
export async function completeUserTask(run: Run, task: UserTaskRow, vars: Vars, completedBy: string | null): Promise<void> {
  await markTaskEnded(run.db, task.task_key, 'COMPLETED', run.now);
  const el = await run.element(task.element_key);
  if (!el) return;
  await run.history(el, 'USER_TASK_COMPLETED', { userTaskKey: task.task_key, completedBy, variables: vars });
  run.effects.userTaskEvents.push({ intent: 'COMPLETED', taskKey: task.task_key });
  await applyResultVariables(run, el, await run.nodeOf(el), vars);
  run.enqueue('complete', el.key);
}
