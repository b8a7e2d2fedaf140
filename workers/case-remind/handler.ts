import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { markReminded } from '../../domain/cases/case-actions.js';
import { enqueueNotification, notificationsFor, reminderMessage, reminderRecipients } from '../../domain/outbox/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, header, incident, jobDedupKey, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-remind' satisfies JobType;

const DUE_COLUMN = { accept: 'acceptDueAt', dispatch: 'dispatchDueAt', handle: 'handleDueAt', extend: 'handleDueAt', verify: 'verifyDueAt' } as const;

/**
 * 催办 at the yellow mark: the case and its open tasks turn yellow (a red light stays red) and the
 * unit handling it (the centre, before dispatch) gets a reminder through the outbox. Stage `assist`
 * (a 协办 task of case-emergency) reminds the assisting unit (`assistUnit`) of its own due time
 * (`assistDueAt`) instead.
 */
export function caseRemindHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx, now }) => {
    const stage = header(job, 'stage') ?? 'handle';
    const assistUnit = stage === 'assist' ? stringVar(job, 'assistUnit') : null;
    if (stage === 'assist' && !assistUnit) return incident(job, 'stage assist needs the variable assistUnit (the 协办 unit to remind)');
    await markReminded(caseId, ctx, { stage, ...(assistUnit ? { assistUnit } : {}) });
    const { case: c } = await getCaseView(caseId);
    const assistDue = stage === 'assist' ? stringVar(job, 'assistDueAt') : null;
    const due = assistDue ? new Date(assistDue) : (c[DUE_COLUMN[stage as keyof typeof DUE_COLUMN] ?? 'dueAt'] ?? c.dueAt);
    const { subject, body } = reminderMessage(c, stage, due);
    for (const request of notificationsFor(await reminderRecipients(c, { unitCode: assistUnit }), {
      dedupKey: jobDedupKey(job),
      kind: 'remind',
      caseId,
      subject,
      body,
    })) {
      await enqueueNotification(request, { now });
    }
    return complete();
  });
}
