import { EngineError } from '../errors.js';
import { throwError as propagateError } from '../behaviours/errors-and-escalations.js';
import { completeJob as completeJobElement } from '../behaviours/service-task.js';
import { raiseIncident } from '../runtime/incidents.js';
import { adHocJobCompleted, type AdHocJobResult } from '../behaviours/ad-hoc-sub-process.js';
import { executionListenerCompleted } from '../behaviours/execution-listeners.js';
import { listenerUserTask, taskListenerCompleted, type JobResultOfListener, type ListenerUserTask } from '../behaviours/user-task-listeners.js';
import type { ElementRow, JobRow, ListenerState } from '../runtime/rows.js';
import { Incident } from '../runtime/run.js';
import { setVariables, visible } from '../runtime/variables.js';
import * as store from '../store/jobs.js';
import { checkVariables, type CommandContext, type Variables } from './context.js';

/**
 * The job lifecycle as workers drive it: activate (with a deadline), complete, fail (retry with back-off,
 * or an incident when no retries are left), throw a BPMN error, update retries. The job's creation and
 * its element's completion are behaviours/service-task.ts.
 */

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  deadline: number;
  variables: Variables;
  /** Zeebe's job kind: the element's own job, an ad-hoc sub-process's job worker, or the job of an execution or user task listener */
  kind: JobKind;
  /** for listener jobs: START, END (execution) or CREATING, ASSIGNING, UPDATING, COMPLETING (user task) */
  listenerEventType: string | null;
  /** task listener jobs: the user task as the transition sees it (Camunda 8.8's `job.userTask`) */
  userTask?: ListenerUserTask;
}

export type JobKind = 'BPMN_ELEMENT' | 'EXECUTION_LISTENER' | 'TASK_LISTENER' | 'AD_HOC_SUB_PROCESS';

export async function activateJobs(
  ctx: CommandContext,
  r: { type: string; maxJobsToActivate: number; timeoutMs: number; worker: string; fetchVariables?: string[] },
): Promise<ActivatedJob[]> {
  if (!(r.maxJobsToActivate > 0) || !(r.timeoutMs > 0)) throw new EngineError('INVALID_ARGUMENT', 'maxJobsToActivate and timeoutMs must be positive');
  return ctx.command(async (run) => {
    const now = ctx.clock.now();
    const rows = await store.selectActivatable(ctx.driver, r.type, now, Math.floor(r.maxJobsToActivate));
    const jobs: ActivatedJob[] = [];
    const deadline = now + r.timeoutMs;
    for (const job of rows) {
      await store.markActivated(ctx.driver, job.job_key, deadline, r.worker);
      let variables = await visible(run, job.element_key);
      const owner = await run.element(job.element_key);
      const listener = listenerJob(owner, job.job_key);
      if (r.fetchVariables) variables = Object.fromEntries(r.fetchVariables.filter((n) => n in variables).map((n) => [n, variables[n]]));
      jobs.push({
        key: job.job_key,
        type: job.type,
        processInstanceKey: job.instance_key,
        bpmnProcessId: job.process_id,
        processDefinitionKey: job.def_key,
        elementId: job.element_id,
        elementInstanceKey: job.element_key,
        customHeaders: JSON.parse(job.headers) as Record<string, string>,
        worker: r.worker,
        retries: Number(job.retries),
        deadline,
        variables,
        kind: listener?.kind ?? (owner?.type === 'adHocSubProcess' ? 'AD_HOC_SUB_PROCESS' : 'BPMN_ELEMENT'),
        listenerEventType: listener?.event.toUpperCase() ?? null,
        ...(listener?.kind === 'TASK_LISTENER' ? { userTask: await listenerUserTask(run, listener.state) } : {}),
      });
    }
    if (rows.length) ctx.scheduleWake(r.timeoutMs);
    return jobs;
  });
}

async function jobFor(ctx: CommandContext, key: string, action: string): Promise<JobRow> {
  const job = await store.selectJob(ctx.driver, key);
  if (!job) throw new EngineError('NOT_FOUND', `job ${key} not found (already completed, cancelled or never created)`);
  if (job.state === 'FAILED' || job.state === 'ERROR_THROWN') throw new EngineError('INVALID_STATE', `cannot ${action} job ${key}: it has an open incident`);
  return job;
}

/** Which listener (if any) a job runs: the element's `data.listener` names its job. */
function listenerJob(el: ElementRow | null, jobKey: string): { kind: JobKind; event: string; state: ListenerState } | null {
  const state = el?.data.listener;
  if (!state || state.jobKey !== jobKey) return null;
  return { kind: state.event === 'start' || state.event === 'end' ? 'EXECUTION_LISTENER' : 'TASK_LISTENER', event: state.event, state };
}

/** What a worker may complete a job with beyond variables: a task listener's decision, or an ad-hoc sub-process's. */
export type JobCompletionResult = JobResultOfListener & AdHocJobResult;

export async function completeJob(ctx: CommandContext, key: string, variables: Variables = {}, result?: JobCompletionResult): Promise<void> {
  checkVariables(variables);
  await ctx.command(async (run) => {
    const job = await jobFor(ctx, key, 'complete');
    const el = await run.element(job.element_key);
    const listener = listenerJob(el, key);
    if (listener?.kind === 'EXECUTION_LISTENER') return executionListenerCompleted(run, el!, job, variables);
    if (listener?.kind === 'TASK_LISTENER') return taskListenerCompleted(run, el!, job, variables, result);
    if (el?.type === 'adHocSubProcess') return adHocJobCompleted(run, el, await run.nodeOf(el), job, variables, result);
    if (result)
      throw new EngineError(
        'INVALID_ARGUMENT',
        `job ${key} is not a user task listener's job: a job result is for task listeners and ad-hoc sub-processes only`,
      );
    return completeJobElement(run, job, variables);
  });
}

export async function failJob(
  ctx: CommandContext,
  key: string,
  f: { retries: number; errorMessage?: string; retryBackOffMs?: number; variables?: Variables },
): Promise<void> {
  if (!Number.isInteger(f.retries) || f.retries < 0) throw new EngineError('INVALID_ARGUMENT', 'retries must be a whole number, zero or more');
  checkVariables(f.variables);
  await ctx.command(async (run) => {
    const job = await jobFor(ctx, key, 'fail');
    const el = await run.element(job.element_key);
    if (f.variables && el) await setVariables(run, el.key, f.variables, true);
    if (f.retries > 0) {
      const retryAt = ctx.clock.now() + (f.retryBackOffMs ?? 0);
      await store.markRetry(ctx.driver, key, f.retries, retryAt, f.errorMessage ?? null);
      await run.history(el, 'JOB_FAILED', { jobKey: key, retries: f.retries, errorMessage: f.errorMessage ?? null, retryBackOffMs: f.retryBackOffMs ?? 0 });
      if (f.retryBackOffMs) run.effects.earliestDue = retryAt;
      else run.effects.jobTypes.add(job.type);
    } else {
      await store.markFailed(ctx.driver, key, f.errorMessage ?? null);
      await run.history(el, 'JOB_FAILED', { jobKey: key, retries: 0, errorMessage: f.errorMessage ?? null });
      // Zeebe's incident types for listener jobs: EXECUTION_LISTENER_NO_RETRIES, TASK_LISTENER_NO_RETRIES
      const kind = listenerJob(el, key)?.kind;
      const errorType =
        kind === 'EXECUTION_LISTENER' ? 'EXECUTION_LISTENER_NO_RETRIES' : kind === 'TASK_LISTENER' ? 'TASK_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES';
      if (el) await raiseIncident(run, el, 'activate', new Incident(errorType, f.errorMessage || 'no more retries left'), key);
    }
  });
}

/** A worker threw a BPMN error: caught by a boundary or event sub-process, else an UNHANDLED_ERROR_EVENT incident. */
export async function throwError(ctx: CommandContext, key: string, e: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void> {
  if (!e.errorCode) throw new EngineError('INVALID_ARGUMENT', 'a BPMN error needs an error code');
  checkVariables(e.variables);
  await ctx.command(async (run) => {
    const job = await jobFor(ctx, key, 'throw an error for');
    const el = await run.element(job.element_key);
    if (!el) return;
    // Camunda 8.8: "Throwing a BPMN error is not supported for execution listener jobs" (nor for task listeners)
    if (listenerJob(el, key)) throw new EngineError('INVALID_STATE', `cannot throw a BPMN error for job ${key}: it is a listener's job`);
    const caught = await propagateError(run, el, e.errorCode, e.errorMessage ?? '', e.variables ?? {}, key);
    if (!caught) {
      await store.markErrorThrown(ctx.driver, key, e.errorMessage ?? null);
      await raiseIncident(
        run,
        el,
        'activate',
        new Incident('UNHANDLED_ERROR_EVENT', `error '${e.errorCode}' thrown by job ${key} was not caught${e.errorMessage ? `: ${e.errorMessage}` : ''}`),
        key,
      );
    }
  });
}

export async function updateJobRetries(ctx: CommandContext, key: string, retries: number): Promise<void> {
  if (!Number.isInteger(retries) || retries < 1) throw new EngineError('INVALID_ARGUMENT', 'retries must be a whole number, one or more');
  await ctx.command(async (run) => {
    const job = await store.selectJob(ctx.driver, key);
    if (!job) throw new EngineError('NOT_FOUND', `job ${key} not found`);
    await store.setRetries(ctx.driver, key, retries);
    await run.history(await run.element(job.element_key), 'JOB_RETRIES_UPDATED', { jobKey: key, retries }, job.instance_key);
  });
}
