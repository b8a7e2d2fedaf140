import type { CamundaClient, EnrichedActivatedJob, JobActionReceipt, JobWorker } from '@camunda8/orchestration-cluster-api';
import type { Job, JobHandlerSpec, JobOutcome, RunningWorkers, Variables } from '../workflow-engine.js';

/** What the event hub learns from our own workers when the listeners are off (see events.ts). */
export interface WorkerRecords {
  jobActivated(job: Job): void;
  jobCompleted(job: Job): void;
}

/** Custom headers are strings in the BPMN; the REST API hands them back as a JSON object. */
function headers(raw: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** The port's job shape from an activated REST job; 64-bit keys stay the strings the API sends. */
export function toPortJob(job: EnrichedActivatedJob): Job {
  return {
    key: String(job.jobKey),
    type: job.type,
    processInstanceKey: String(job.processInstanceKey),
    bpmnProcessId: String(job.processDefinitionId),
    processDefinitionKey: String(job.processDefinitionKey),
    elementId: String(job.elementId),
    elementInstanceKey: String(job.elementInstanceKey),
    customHeaders: headers(job.customHeaders),
    retries: job.retries,
    variables: (job.variables ?? {}) as Variables,
  };
}

/** Applies the handler's explicit outcome with the client's job actions (complete / fail / throw error). */
async function apply(job: EnrichedActivatedJob, outcome: JobOutcome): Promise<JobActionReceipt> {
  switch (outcome.outcome) {
    case 'complete':
      return job.complete(outcome.variables ?? {});
    case 'fail':
      return job.fail({
        errorMessage: outcome.errorMessage,
        retries: outcome.retries ?? Math.max(0, job.retries - 1),
        retryBackOff: outcome.retryBackOffMs ?? 0,
      });
    case 'error':
      return job.error({
        errorCode: outcome.errorCode,
        ...(outcome.errorMessage ? { errorMessage: outcome.errorMessage } : {}),
        ...(outcome.variables ? { variables: outcome.variables } : {}),
      });
  }
}

/**
 * One polling job worker of the client per handler (`POST /v2/jobs/activation` with long polling).
 * A handler that throws counts as a failure with one retry fewer, as on the embedded engine; an action
 * the cluster refuses (e.g. the job was cancelled meanwhile: 404) is reported, not thrown.
 */
export function startJobWorkers(
  client: CamundaClient,
  specs: JobHandlerSpec[],
  options: { longPollMs: number; onError: (err: unknown) => void; records?: WorkerRecords },
): RunningWorkers {
  const workers: JobWorker[] = specs.map((spec) =>
    client.createJobWorker({
      jobType: spec.type,
      workerName: `ywtg:${spec.type}`,
      // the client takes a fixed number: a function (the app's load-aware limit) gives its busy-free value
      maxParallelJobs: (typeof spec.maxJobsActive === 'function' ? spec.maxJobsActive() : spec.maxJobsActive) ?? 32,
      jobTimeoutMs: spec.timeoutMs ?? 60_000,
      pollTimeoutMs: options.longPollMs,
      pollIntervalMs: 100,
      ...(spec.fetchVariables ? { fetchVariables: spec.fetchVariables } : {}),
      jobHandler: async (job: EnrichedActivatedJob) => {
        const portJob = toPortJob(job);
        options.records?.jobActivated(portJob);
        let outcome: JobOutcome;
        try {
          outcome = await spec.handler(portJob);
        } catch (err) {
          outcome = { outcome: 'fail', errorMessage: (err as Error)?.message ?? String(err), retries: Math.max(0, job.retries - 1) };
        }
        try {
          const receipt = await apply(job, outcome);
          if (outcome.outcome === 'complete') options.records?.jobCompleted(portJob);
          return receipt;
        } catch (err) {
          options.onError(err);
          return job.ignore();
        }
      },
    }),
  );
  return {
    types: specs.map((s) => s.type),
    close: () => stopWorkers(workers),
  };
}

/** Stops polling at once (the open long poll is cancelled) and waits up to `waitMs` for handlers in flight. */
export async function stopWorkers(workers: JobWorker[], waitMs = 10_000): Promise<void> {
  for (const w of workers) w.stop();
  const until = Date.now() + waitMs;
  while (workers.some((w) => w.activeJobs > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
