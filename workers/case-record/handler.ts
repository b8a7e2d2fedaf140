import type { JobType } from '../../processes/contract.js';
import { acceptCase, dispatchCase, extendCase, noteOnCase, redispatchCase, rejectCase, returnCase, shelveCase } from '../../domain/cases/case-actions.js';
import type { CaseChange, ChangeContext } from '../../domain/cases/change-case.js';
import { recordCaseDecision } from '../../domain/classify/index.js';
import { complete, type Job, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, header, incident, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-record' satisfies JobType;

type Recorder = (job: Job, caseId: string, ctx: ChangeContext) => Promise<CaseChange> | string;

/** One recorder per `action` header; a string return is a problem with the job's input. */
const RECORDERS: Record<string, Recorder> = {
  // 立案; the operator may have corrected the event type in 受理
  accepted: async (job, caseId, ctx) => {
    const change = await acceptCase(caseId, ctx, { eventTypeCode: stringVar(job, 'eventTypeCode'), note: stringVar(job, 'acceptNote') });
    if (job.variables['needsManualAccept'] === true) await learnFrom(caseId, true, null);
    return change;
  },
  rejected: async (job, caseId, ctx) => {
    const change = await rejectCase(caseId, ctx, { reason: stringVar(job, 'rejectReason') });
    await learnFrom(caseId, false, stringVar(job, 'rejectReason'));
    return change;
  },
  // 派遣 / 改派 to the unit chosen in the dispatch form (or proposed by case-route)
  dispatched: (job, caseId, ctx) => {
    const unitCode = stringVar(job, 'unitCode');
    return unitCode ? dispatchCase(caseId, ctx, { unitCode, note: stringVar(job, 'dispatchNote') }) : 'variable unitCode is missing: nowhere to dispatch to';
  },
  // 改派 ordered by the centre while the unit had it (message case-redispatch): the reason and who ordered it
  redispatched: (job, caseId, ctx) => {
    const unitCode = stringVar(job, 'unitCode');
    return unitCode
      ? redispatchCase(caseId, ctx, { unitCode, reason: stringVar(job, 'redispatchReason'), orderedBy: stringVar(job, 'redispatchBy') })
      : 'variable unitCode is missing: nowhere to re-dispatch to';
  },
  returned: (job, caseId, ctx) => returnCase(caseId, ctx, { reason: stringVar(job, 'returnReason') }),
  extended: (job, caseId, ctx) => {
    const hours = Number(job.variables['extensionHours']);
    return extendCase(caseId, ctx, { hours: Number.isFinite(hours) ? hours : null, reason: stringVar(job, 'extensionReason') });
  },
  shelved: (job, caseId, ctx) => shelveCase(caseId, ctx, { reason: stringVar(job, 'shelveReason') }),
  // 调解不成 → 移交司法/信访: where it went, in the audit log (the process closes the case next)
  handedOver: (job, caseId, ctx) => {
    const to = stringVar(job, 'handOverTo');
    if (to !== 'judicial' && to !== 'petition')
      return `variable handOverTo must be judicial or petition (got ${JSON.stringify(job.variables['handOverTo'] ?? null)})`;
    return noteOnCase(caseId, 'handed-over', ctx, { handOverTo: to, note: stringVar(job, 'handOverNote') });
  },
};

/**
 * A person's 受理 decision (the type filed, or 不予立案) teaches the classifier (domain/classify);
 * filings the classifier made by itself do not, or it would learn its own mistakes. Learning is
 * never a reason for the step to fail: a problem is left to the next decision.
 */
async function learnFrom(caseId: string, filed: boolean, rejectReason: string | null): Promise<void> {
  try {
    await recordCaseDecision(caseId, { filed, rejectReason });
  } catch {
    /* see above */
  }
}

/**
 * Records a step of the process on the case (header `action`): status through the transitions
 * table, unit, counters and times, each with an audit record. A step the case's status does not
 * allow is an incident: the process and the case disagree and a person must look.
 */
export function caseRecordHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const action = header(job, 'action');
    const record = action ? RECORDERS[action] : undefined;
    if (!record) return incident(job, `header action must be one of ${Object.keys(RECORDERS).join(', ')} (got ${JSON.stringify(action)})`);
    const result = await record(job, caseId, ctx);
    if (typeof result === 'string') return incident(job, result);
    return complete();
  });
}
