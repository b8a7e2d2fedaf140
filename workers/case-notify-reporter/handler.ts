import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { noteOnCase } from '../../domain/cases/case-actions.js';
import { REPORTER_EVENTS, enqueueNotification, reporterMessage, reporterRecipient, type ReporterEvent } from '../../domain/outbox/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, header, incident, jobDedupKey, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-notify-reporter' satisfies JobType;

/**
 * Tells the reporter about a step (header `event`: accepted, rejected, dispatched, closed, handedOver) through
 * the outbox; reports without a contact (AI cameras, anonymous) are noted and left alone.
 */
export function caseNotifyReporterHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx, now }) => {
    const event = header(job, 'event');
    if (!REPORTER_EVENTS.includes(event as ReporterEvent))
      return incident(job, `header event must be one of ${REPORTER_EVENTS.join(', ')} (got ${JSON.stringify(event)})`);
    const view = await getCaseView(caseId);
    const to = reporterRecipient(view.case);
    if (!to) {
      await noteOnCase(caseId, 'reporter-notified', ctx, { event, sent: false, reason: 'no reporter contact' });
      return complete();
    }
    const { subject, body } = reporterMessage(event as ReporterEvent, view.case, {
      unitName: view.unit?.name ?? null,
      reason: stringVar(job, event === 'handedOver' ? 'handOverNote' : 'rejectReason'),
      handOverTo: stringVar(job, 'handOverTo'),
    });
    const { message } = await enqueueNotification(
      { dedupKey: jobDedupKey(job), kind: `reporter-${event}`, channel: to.channel, recipient: to.recipient, caseId, subject, body },
      { now },
    );
    await noteOnCase(caseId, 'reporter-notified', ctx, { event, sent: true, outboxId: message.id, channel: to.channel });
    return complete();
  });
}
