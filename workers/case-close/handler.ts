import type { JobType } from '../../processes/contract.js';
import { closeCase } from '../../domain/cases/case-actions.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-close' satisfies JobType;

/** 结案: the case is closed at the clock's now (handled time filled in if nobody recorded it). */
export function caseCloseHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    await closeCase(caseId, ctx, { note: stringVar(job, 'verifyComment') });
    return complete();
  });
}
