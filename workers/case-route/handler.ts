import { getCaseView } from '../../domain/cases/case-view.js';
import { noteOnCase } from '../../domain/cases/case-actions.js';
import { routeCase } from '../../domain/routing/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob } from '../support/case-job.js';

export const JOB_TYPE = 'case-route';

/**
 * Proposes the responsible unit (事件先属地后属主, 部件先属主后属地). It only advises: the unit is
 * set on the case when 派遣 is recorded; an unsure route is for the operator to decide.
 */
export function caseRouteHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (_job, { caseId, ctx }) => {
    const decision = await routeCase(await getCaseView(caseId));
    const { detail } = await noteOnCase(caseId, 'routed', ctx, { ...decision });
    return complete({ unitCode: detail['unitCode'] ?? null, routeSure: detail['routeSure'] === true, routeReason: detail['routeReason'] ?? '' });
  });
}
