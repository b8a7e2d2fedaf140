import type { ChangeContext } from '../../domain/cases/change-case.js';
import { caseExists, parseCaseId } from '../../domain/cases/case-view.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { fail, type Job, type JobHandler, type JobOutcome } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';

/** What a case job's body gets: the case id, and the audit context carrying the job key. */
export interface CaseJobContext {
  caseId: string;
  /** actor `worker:<type>`, the job key as dedup key, and the clock's now */
  ctx: ChangeContext & { at: Date; dedupKey: string };
  now: Date;
}

/** Every record a job writes carries this key, so a second delivery of the job finds the first's work. */
export function jobDedupKey(job: Job, suffix?: string): string {
  return `job:${job.type}:${job.key}${suffix ? `:${suffix}` : ''}`;
}

/** A failure nobody can fix by retrying: retries 0, so the engine raises an incident for a person. */
export function incident(job: Job, message: string): JobOutcome {
  return fail(`${job.type} (job ${job.key}): ${message}`, { retries: 0 });
}

/** A required custom header, or null. */
export function header(job: Job, name: string): string | null {
  const value = job.customHeaders?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export const stringVar = (job: Job, name: string): string | null => {
  const v = job.variables[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
};

/**
 * Wraps a case job: checks `caseId`, finds the case (missing → incident), runs the body, and turns
 * what it throws into an explicit outcome — a domain rule's refusal (bad transition, unknown unit)
 * is an incident with a clear message; anything else (a database hiccup) fails with one retry
 * fewer after a back-off, as Zeebe would.
 */
export function caseJob(deps: WorkerDeps, body: (job: Job, c: CaseJobContext) => Promise<JobOutcome>): JobHandler {
  return async (job) => {
    const caseId = parseCaseId(job.variables['caseId']);
    if (!caseId) return incident(job, `variable caseId is missing or not a case id (got ${JSON.stringify(job.variables['caseId'] ?? null)})`);
    try {
      if (!(await caseExists(caseId))) return incident(job, `case ${caseId} not found`);
      const now = deps.now();
      const outcome = await body(job, { caseId, now, ctx: { actor: `worker:${job.type}`, actorRole: 'system', dedupKey: jobDedupKey(job), at: now } });
      deps.log.debug({ jobType: job.type, jobKey: job.key, caseId, outcome: outcome.outcome }, 'job handled');
      return outcome;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isDomainError(err)) {
        deps.log.warn({ jobType: job.type, jobKey: job.key, caseId, code: err.code, err: message }, 'job refused by a domain rule');
        return incident(job, message);
      }
      deps.log.error({ jobType: job.type, jobKey: job.key, caseId, err: message }, 'job failed');
      return fail(`${job.type} (job ${job.key}): ${message}`, { retries: Math.max(0, job.retries - 1), retryBackOffMs: 10_000 });
    }
  };
}
