import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { noteOnCase } from '../../domain/cases/case-actions.js';
import { routeCase } from '../../domain/routing/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob } from '../support/case-job.js';

export const JOB_TYPE = 'case-route' satisfies JobType;

/**
 * Proposes the responsible unit (事件先属地后属主, 部件先属主后属地). It only advises: the unit is
 * set on the case when 派遣 is recorded; an unsure route is for the operator to decide.
 * `assistUnits` (协办 units, for `case-emergency`) comes back as given at start, or `[]`, so a
 * process can always read it (a FEEL reference to a missing variable is an incident).
 */
export function caseRouteHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const decision = await routeCase(await getCaseView(caseId));
    const { detail } = await noteOnCase(caseId, 'routed', ctx, { ...decision });
    return complete({
      unitCode: detail['unitCode'] ?? null,
      routeSure: detail['routeSure'] === true,
      routeReason: detail['routeReason'] ?? '',
      // a job recorded before routeBasis existed answers none: the centre then confirms in 派遣
      routeBasis: detail['routeBasis'] ?? 'none',
      assistUnits: assistUnitsOf(job.variables['assistUnits']),
    });
  });
}

/** The 协办 unit codes given at start (strings, unique, in order), or none. */
function assistUnitsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];
}
