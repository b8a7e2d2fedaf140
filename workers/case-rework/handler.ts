import type { JobType } from '../../processes/contract.js';
import { reworkCase } from '../../domain/cases/case-actions.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-rework' satisfies JobType;

/** 返工: verification failed; the case goes back to the unit and the rework is counted. */
export function caseReworkHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const { detail } = await reworkCase(caseId, ctx, { comment: stringVar(job, 'verifyComment') });
    return complete({ reworkCount: Number(detail['reworkCount']) });
  });
}
