import type { FlowNode, JobSpec } from '../model/types.js';
import { deleteJob, insertJob } from '../store/jobs.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluate, evaluateString } from '../runtime/expressions.js';
import type { ElementRow, JobRow } from '../runtime/rows.js';
import { Incident, json, type Run, type Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';

/**
 * Job-based elements: service, send and business-rule tasks, script tasks with a `zeebe:taskDefinition`,
 * message throw and end events. Activation creates a job of the evaluated type for a worker; the job's
 * completion completes the element. Failures, retries and BPMN errors are commands/jobs.ts.
 */
export async function prepareJob(run: Run, el: ElementRow, node: FlowNode, context: Vars, extraHeaders?: Record<string, string>): Promise<Prepared> {
  const spec = extraHeaders ? { ...node.job!, headers: { ...node.job!.headers, ...extraHeaders } } : node.job!;
  const create = await prepareJobRow(run, el, spec, node.id, context);
  return async () => void (await create());
}

/**
 * Evaluates a job's type and retries (a failure is an incident before anything is written) and returns the
 * write that creates it, giving its key. Also the jobs of execution and task listeners (`listener` in the history).
 */
export async function prepareJobRow(
  run: Run,
  el: ElementRow,
  spec: Pick<JobSpec, 'type' | 'retries' | 'headers'>,
  of: string,
  context: Vars,
  listener?: Record<string, string>,
): Promise<() => Promise<string>> {
  const type = await evaluateString(run, el, spec.type, `job type of ${of}`, context);
  const retriesRaw = await evaluate(run, el, spec.retries, `job retries of ${of}`, context);
  const retries = Number(retriesRaw);
  if (!Number.isInteger(retries) || retries < 0)
    throw new Incident('EXTRACT_VALUE_ERROR', `job retries of ${of}: expected a whole number but got ${json(retriesRaw)}`);
  return async () => {
    const inst = await run.instance(el.instanceKey);
    const key = run.nextKey();
    await insertJob(run.db, {
      jobKey: key,
      type,
      instanceKey: el.instanceKey,
      elementKey: el.key,
      elementId: el.elementId,
      processId: inst.process_id,
      defKey: inst.def_key,
      retries,
      headers: json(spec.headers),
      createdAt: run.now,
    });
    await run.history(el, 'JOB_CREATED', listener ? { jobKey: key, type, retries, ...listener } : { jobKey: key, type, retries });
    run.effects.jobTypes.add(type);
    return key;
  };
}

/** A worker completed the job: its variables are applied and the element completes. */
export async function completeJob(run: Run, job: JobRow, vars: Vars): Promise<void> {
  const el = await run.element(job.element_key);
  await deleteJob(run.db, job.job_key);
  if (!el) return;
  await run.history(el, 'JOB_COMPLETED', { jobKey: job.job_key, worker: job.worker, variables: vars });
  await applyResultVariables(run, el, await run.nodeOf(el), vars);
  run.enqueue('complete', el.key);
}
