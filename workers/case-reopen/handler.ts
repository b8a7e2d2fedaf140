import type { JobType } from '../../processes/contract.js';
import { reopenCase } from '../../domain/cases/case-actions.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-reopen' satisfies JobType;

/** 重办 after an unsatisfied 回访: the closed case is back with the unit. */
export function caseReopenHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    await reopenCase(caseId, ctx, { reason: stringVar(job, 'ratingComment') ?? '回访不满意，重办' });
    return complete();
  });
}
