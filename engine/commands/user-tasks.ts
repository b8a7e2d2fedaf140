import { EngineError } from '../errors.js';
import { completeUserTask as completeTaskElement, taskAssigned } from '../behaviours/user-task.js';
import { startTaskTransition, type TaskEvent } from '../behaviours/user-task-listeners.js';
import type { UserTaskRow } from '../runtime/rows.js';
import type { Run } from '../runtime/run.js';
import * as store from '../store/user-tasks.js';
import { checkVariables, type CommandContext, type Variables } from './context.js';

/** Commands on open Camunda user tasks; the task's creation and completion of its element are behaviours/user-task.ts. */

async function openTask(ctx: CommandContext, key: string): Promise<UserTaskRow> {
  const task = await store.selectUserTask(ctx.driver, key);
  if (!task) throw new EngineError('NOT_FOUND', `user task ${key} not found`);
  if (task.state !== 'CREATED') throw new EngineError('INVALID_STATE', `user task ${key} is ${task.state.toLowerCase()}`);
  return task;
}

/** Task listeners of the transition, if any: true when the transition now waits for them. */
async function listened(run: Run, task: UserTaskRow, event: TaskEvent, transition: Record<string, unknown>): Promise<boolean> {
  const el = await run.element(task.element_key);
  return !!el && startTaskTransition(run, el, await run.nodeOf(el), task.task_key, event, transition);
}

export async function completeUserTask(ctx: CommandContext, key: string, variables: Variables = {}, options: { completedBy?: string } = {}): Promise<void> {
  checkVariables(variables);
  await ctx.command(async (run) => {
    const task = await openTask(ctx, key);
    if (await listened(run, task, 'completing', { variables, completedBy: options.completedBy ?? null })) return;
    await completeTaskElement(run, task, variables, options.completedBy ?? null);
  });
}

export async function assignUserTask(ctx: CommandContext, key: string, assignee: string | null): Promise<void> {
  await ctx.command(async (run) => {
    const task = await openTask(ctx, key);
    if (await listened(run, task, 'assigning', { assignee })) return;
    await store.setAssignee(ctx.driver, key, assignee);
    await taskAssigned(run, await run.element(task.element_key), key, assignee);
  });
}

export async function updateUserTask(ctx: CommandContext, key: string, changes: store.UserTaskChanges): Promise<void> {
  const iso = (v: string | null | undefined, what: string) => {
    if (v === undefined || v === null) return v;
    if (Number.isNaN(Date.parse(v))) throw new EngineError('INVALID_ARGUMENT', `${what} '${v}' is not a date-time`);
    return new Date(Date.parse(v)).toISOString();
  };
  const dueDate = iso(changes.dueDate, 'dueDate');
  const followUpDate = iso(changes.followUpDate, 'followUpDate');
  if (changes.priority !== undefined && !(Number.isInteger(changes.priority) && changes.priority >= 0 && changes.priority <= 100)) {
    throw new EngineError('INVALID_ARGUMENT', 'priority must be a whole number from 0 to 100');
  }
  await ctx.command(async (run) => {
    const task = await openTask(ctx, key);
    const checked = { dueDate, followUpDate, candidateGroups: changes.candidateGroups, candidateUsers: changes.candidateUsers, priority: changes.priority };
    const given = Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
    if (Object.keys(given).length && (await listened(run, task, 'updating', { changes: given }))) return;
    const written = await store.updateUserTask(ctx.driver, key, checked);
    if (!written) return;
    await run.history(await run.element(task.element_key), 'USER_TASK_UPDATED', { userTaskKey: key, ...changes });
    run.effects.userTaskEvents.push({ intent: 'UPDATED', taskKey: key });
  });
}
