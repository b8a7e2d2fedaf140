import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { mergeCase, noteOnCase } from '../../domain/cases/case-actions.js';
import { canTransition } from '../../domain/cases/transitions.js';
import { findDuplicate } from '../../domain/dedup/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import { settingsOf, type WorkerDeps } from '../deps.js';
import { caseJob } from '../support/case-job.js';

export const JOB_TYPE = 'case-dedup' satisfies JobType;

/**
 * 并单: when an earlier open case of the same type is close enough (or is the same AI camera's
 * capture of the same grid), this case is merged into it and the earlier case's count goes up.
 */
export function caseDedupHandler(deps: WorkerDeps): JobHandler {
  const { dedup } = settingsOf(deps);
  return caseJob(deps, async (_job, { caseId, ctx }) => {
    const { case: subject } = await getCaseView(caseId);
    const match = canTransition(subject.status, 'merged') ? await findDuplicate(subject, dedup) : null;
    const change = match ? await mergeCase(caseId, match.caseId, ctx) : await noteOnCase(caseId, 'dedup-checked', ctx, { duplicateOfCaseId: null });
    // a repeated delivery gets the first delivery's record back, whichever kind it was
    const d = change.detail;
    const duplicateOfCaseId = (d['mergedIntoId'] ?? d['duplicateOfCaseId'] ?? null) as string | null;
    return complete({ duplicateOfCaseId: duplicateOfCaseId === null ? null : String(duplicateOfCaseId) });
  });
}
