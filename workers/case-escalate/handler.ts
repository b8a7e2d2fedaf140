import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { raiseEscalation } from '../../domain/cases/case-actions.js';
import { enqueueNotification, escalationMessage, escalationRecipients, notificationsFor } from '../../domain/outbox/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, header, incident, jobDedupKey } from '../support/case-job.js';

export const JOB_TYPE = 'case-escalate' satisfies JobType;

/**
 * 督办 (header level 1: red light, the unit's leaders and the centre told) and 挂牌督办 (level 2:
 * the district leaders too). The level on the case only rises.
 */
export function caseEscalateHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx, now }) => {
    const level = Number(header(job, 'level'));
    if (level !== 1 && level !== 2) return incident(job, `header level must be 1 (督办) or 2 (挂牌督办) (got ${JSON.stringify(header(job, 'level'))})`);
    const change = await raiseEscalation(caseId, level, ctx, { stage: header(job, 'stage') });
    const view = await getCaseView(caseId);
    const { subject, body } = escalationMessage(view.case, level, view.unit?.name ?? null);
    for (const request of notificationsFor(await escalationRecipients(view.case, level), {
      dedupKey: jobDedupKey(job),
      kind: `escalate-${level}`,
      caseId,
      subject,
      body,
    })) {
      await enqueueNotification(request, { now });
    }
    return complete({ escalationLevel: Number(change.detail['escalationLevel']) });
  });
}
