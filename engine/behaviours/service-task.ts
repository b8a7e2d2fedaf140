import type { FlowNode } from '../model/types.js';
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
  const type = await evaluateString(run, el, node.job!.type, `job type of ${node.id}`, context);
  const retriesRaw = await evaluate(run, el, node.job!.retries, `job retries of ${node.id}`, context);
  const retries = Number(retriesRaw);
  if (!Number.isInteger(retries) || retries < 0) throw new Incident('EXTRACT_VALUE_ERROR', `job retries of ${node.id}: expected a whole number but got ${json(retriesRaw)}`);
  return async () => {
    const inst = await run.instance(el.instanceKey);
    const key = run.nextKey();
    await insertJob(run.db, {
      jobKey: key, type, instanceKey: el.instanceKey, elementKey: el.key, elementId: el.elementId, processId: inst.process_id,
      defKey: inst.def_key, retries, headers: json(extraHeaders ? { ...node.job!.headers, ...extraHeaders } : node.job!.headers), createdAt: run.now,
    });
    await run.history(el, 'JOB_CREATED', { jobKey: key, type, retries });
    run.effects.jobTypes.add(type);
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
