import type { JobType } from '../../processes/contract.js';
import { recordSatisfaction, satisfactionOf } from '../../domain/cases/case-actions.js';
import { evaluateCase } from '../../domain/evaluation/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import { settingsOf, type WorkerDeps } from '../deps.js';
import { caseJob, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-evaluate' satisfies JobType;

/**
 * The case's metrics (按期派遣/处置/结案, 返工, 延期, 退单, 响应/解决/满意) into `evaluations`, after
 * recording what the reporter said at 回访 when the `case-rating` message brought it.
 */
export function caseEvaluateHandler(deps: WorkerDeps): JobHandler {
  const { evaluationWeights } = settingsOf(deps);
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const satisfaction = satisfactionOf({ satisfied: job.variables['satisfied'], rating: job.variables['rating'] });
    if (satisfaction) {
      const rating = Number(job.variables['rating']);
      await recordSatisfaction(
        caseId,
        { ...ctx, dedupKey: `${ctx.dedupKey}:rating` },
        {
          satisfaction,
          rating: Number.isFinite(rating) ? rating : null,
          comment: stringVar(job, 'ratingComment'),
        },
      );
    }
    const { evaluation } = await evaluateCase(caseId, ctx, evaluationWeights);
    return complete({ evaluation });
  });
}
