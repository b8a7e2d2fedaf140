import { EngineError } from '../errors.js';
import type { FlowNode } from '../model/types.js';
import { deleteJob } from '../store/jobs.js';
import * as tasks from '../store/user-tasks.js';
import type { ElementRow, JobRow, ListenerState, UserTaskRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { visible } from '../runtime/variables.js';
import { prepareJobRow } from './service-task.js';
import { completeUserTask, taskAssigned, taskCreated } from './user-task.js';

/**
 * User task listeners (Camunda 8.8 docs, *User task listeners*): a transition of a Camunda user task (creating,
 * assigning, updating, completing) waits in CREATING / ASSIGNING / UPDATING / COMPLETING until its listeners' jobs,
 * one after the other in model order, completed. A listener may correct the task's assignee, dates, candidates and
 * priority (applied when the transition ends, seen by the listeners after it) or deny an assigning, updating or
 * completing transition (the task stays as it was, corrections discarded). Progress is `data.listener` on the element.
 */

export type TaskEvent = 'creating' | 'assigning' | 'updating' | 'completing';

const WAITING: Record<TaskEvent, UserTaskRow['state']> = { creating: 'CREATING', assigning: 'ASSIGNING', updating: 'UPDATING', completing: 'COMPLETING' };
const DENIED: Record<string, string> = { assigning: 'ASSIGNMENT_DENIED', updating: 'UPDATE_DENIED', completing: 'COMPLETION_DENIED' };
const ACTION: Record<string, string> = { creating: '', assigning: 'assign', updating: 'update', completing: 'complete' };

/** What a listener may correct (absent: unchanged; null or '' clears a value). */
export interface Corrections {
  assignee?: string | null;
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateUsers?: string[];
  candidateGroups?: string[];
  priority?: number;
}

/** The result a task listener's job completes with (Camunda's `withResult(r -> r.forUserTask()…)`). */
export interface JobResultOfListener {
  denied?: boolean;
  deniedReason?: string;
  corrections?: Corrections;
}

/** The user task as a listener's job shows it: the transition's values with the corrections so far. */
export interface ListenerUserTask {
  userTaskKey: string;
  action: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  priority: number;
  /** attributes the event changes, corrections included */
  changedAttributes: string[];
}

export function hasTaskListeners(node: FlowNode, event: TaskEvent): boolean {
  return !!node.taskListeners?.some((l) => l.eventType === event);
}

/** Begins a transition that has listeners: true when it now waits for them (the caller does nothing more). */
export async function startTaskTransition(
  run: Run,
  el: ElementRow,
  node: FlowNode,
  taskKey: string,
  event: TaskEvent,
  transition: Record<string, unknown>,
): Promise<boolean> {
  if (!hasTaskListeners(node, event)) return false;
  if (event !== 'creating') await tasks.setTaskState(run.db, taskKey, WAITING[event]);
  el.data.listener = { event, index: 0, taskKey, transition, corrections: {} };
  await run.saveElement(el);
  run.enqueue('taskListener', el.key);
  return true;
}

/** The step of a transition: the next listener's job, or (all completed) the transition takes effect. */
export async function runTaskListeners(run: Run, el: ElementRow): Promise<void> {
  const state = el.data.listener;
  if (!state?.taskKey) return;
  const node = await run.nodeOf(el);
  const specs = (node.taskListeners ?? []).filter((l) => l.eventType === state.event);
  delete el.data.pending;
  if (state.index < specs.length) {
    let create: () => Promise<string>;
    try {
      create = await prepareJobRow(run, el, specs[state.index]!, `${state.event} task listener of ${node.id}`, await visible(run, el.key), {
        kind: 'TASK_LISTENER',
        listenerEventType: state.event.toUpperCase(),
      });
    } catch (err) {
      // an expression failure retries the whole transition once resolved (docs, *Incident recovery*)
      state.index = 0;
      state.corrections = {};
      throw err;
    }
    state.jobKey = await create();
    await run.saveElement(el);
    return;
  }
  delete el.data.listener;
  await run.saveElement(el);
  await finishTransition(run, el, node, state);
}

/** A listener's job completed: denied, or its corrections kept and the next listener runs. */
export async function taskListenerCompleted(run: Run, el: ElementRow, job: JobRow, vars: Vars, result: JobResultOfListener | undefined): Promise<void> {
  const state = el.data.listener!;
  if (Object.keys(vars).length)
    throw new EngineError('INVALID_ARGUMENT', `job ${job.job_key} is a user task listener's job: it completes without variables (correct the task instead)`);
  if (result?.denied && !DENIED[state.event]) throw new EngineError('INVALID_ARGUMENT', `the ${state.event} transition of a user task cannot be denied`);
  const corrections = checkCorrections(result?.corrections ?? {});
  await deleteJob(run.db, job.job_key);
  await run.history(el, 'JOB_COMPLETED', {
    jobKey: job.job_key,
    worker: job.worker,
    kind: 'TASK_LISTENER',
    listenerEventType: state.event.toUpperCase(),
    denied: !!result?.denied,
    corrections,
  });
  if (result?.denied) {
    delete el.data.listener;
    await run.saveElement(el);
    await tasks.setTaskState(run.db, state.taskKey!, 'CREATED');
    await run.history(el, `USER_TASK_${DENIED[state.event]}`, { userTaskKey: state.taskKey, deniedReason: result.deniedReason ?? null });
    run.effects.userTaskEvents.push({ intent: DENIED[state.event]!, taskKey: state.taskKey! });
    return;
  }
  state.corrections = { ...state.corrections, ...corrections };
  state.index += 1;
  delete state.jobKey;
  await run.saveElement(el);
  run.enqueue('taskListener', el.key);
}

/** The transition takes effect with the listeners' corrections (which trigger no updating event of their own). */
async function finishTransition(run: Run, el: ElementRow, node: FlowNode, state: ListenerState): Promise<void> {
  const key = state.taskKey!;
  const transition = state.transition ?? {};
  const { assignee: correctedAssignee, ...corrections } = (state.corrections ?? {}) as Corrections;
  await tasks.updateUserTask(run.db, key, corrections);
  switch (state.event) {
    case 'creating': {
      const processAssignee = (transition['assignee'] as string | null) ?? null;
      // the assignee can be corrected on creation only when the process specified none (docs, *Correcting user task data*)
      const direct = !processAssignee && correctedAssignee ? correctedAssignee : null;
      if (direct) await tasks.setAssignee(run.db, key, direct);
      await tasks.setTaskState(run.db, key, 'CREATED');
      const row = (await tasks.selectUserTask(run.db, key))!;
      await taskCreated(
        run,
        el,
        node,
        {
          taskKey: key,
          assignee: row.assignee,
          candidateGroups: JSON.parse(row.candidate_groups) as string[],
          candidateUsers: JSON.parse(row.candidate_users) as string[],
          dueDate: row.due_date,
          followUpDate: row.follow_up_date,
          formId: row.form_id,
          formKey: row.form_key,
          priority: Number(row.priority),
        },
        processAssignee,
      );
      if (direct) await taskAssigned(run, el, key, direct);
      return;
    }
    case 'assigning': {
      const assignee = correctedAssignee !== undefined ? correctedAssignee || null : (transition['assignee'] as string | null);
      await tasks.setAssignee(run.db, key, assignee);
      await tasks.setTaskState(run.db, key, 'CREATED');
      await taskAssigned(run, el, key, assignee);
      return;
    }
    case 'updating': {
      const changes = transition['changes'] as tasks.UserTaskChanges;
      await tasks.updateUserTask(run.db, key, { ...changes, ...corrections });
      if (correctedAssignee !== undefined) await tasks.setAssignee(run.db, key, correctedAssignee || null);
      await tasks.setTaskState(run.db, key, 'CREATED');
      await run.history(el, 'USER_TASK_UPDATED', { userTaskKey: key, ...changes, ...state.corrections });
      run.effects.userTaskEvents.push({ intent: 'UPDATED', taskKey: key });
      return;
    }
    case 'completing': {
      if (correctedAssignee !== undefined) await tasks.setAssignee(run.db, key, correctedAssignee || null);
      const row = (await tasks.selectUserTask(run.db, key))!;
      await completeUserTask(run, row, (transition['variables'] as Vars) ?? {}, (transition['completedBy'] as string | null) ?? null);
      return;
    }
  }
}

/** The user task a listener's job shows. */
export async function listenerUserTask(run: Run, state: ListenerState): Promise<ListenerUserTask> {
  const row = (await tasks.selectUserTask(run.db, state.taskKey!))!;
  const stored = {
    assignee: row.assignee,
    candidateGroups: JSON.parse(row.candidate_groups) as string[],
    candidateUsers: JSON.parse(row.candidate_users) as string[],
    dueDate: row.due_date,
    followUpDate: row.follow_up_date,
    priority: Number(row.priority),
  };
  const t = state.transition ?? {};
  const changed: Record<string, unknown> =
    state.event === 'assigning' ? { assignee: t['assignee'] } : state.event === 'updating' ? { ...(t['changes'] as object) } : {};
  const view = { ...stored, ...changed, ...(state.corrections ?? {}) } as typeof stored;
  const changedAttributes =
    state.event === 'creating'
      ? []
      : Object.keys(view).filter((k) => JSON.stringify(view[k as keyof typeof view]) !== JSON.stringify(stored[k as keyof typeof stored]));
  return { userTaskKey: row.task_key, action: ACTION[state.event] ?? '', ...view, formKey: row.form_key, changedAttributes };
}

function checkCorrections(c: Corrections): Corrections {
  const bad = (what: string) => new EngineError('INVALID_ARGUMENT', `correction ${what}`);
  const out: Corrections = {};
  const date = (v: string | null | undefined, what: string) => {
    if (v === null || v === '') return null;
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw bad(`${what} '${String(v)}' is not a date-time`);
    return new Date(Date.parse(v)).toISOString();
  };
  const list = (v: unknown, what: string) => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(`${what} must be a list of strings`);
    return v as string[];
  };
  if (c.assignee !== undefined) {
    if (c.assignee !== null && typeof c.assignee !== 'string') throw bad('assignee must be a string');
    out.assignee = c.assignee || null;
  }
  if (c.dueDate !== undefined) out.dueDate = date(c.dueDate, 'dueDate');
  if (c.followUpDate !== undefined) out.followUpDate = date(c.followUpDate, 'followUpDate');
  if (c.candidateUsers !== undefined) out.candidateUsers = list(c.candidateUsers, 'candidateUsers');
  if (c.candidateGroups !== undefined) out.candidateGroups = list(c.candidateGroups, 'candidateGroups');
  if (c.priority !== undefined) {
    if (!Number.isInteger(c.priority) || c.priority < 0 || c.priority > 100) throw bad('priority must be a whole number from 0 to 100');
    out.priority = c.priority;
  }
  return out;
}
