import { JOB_TYPES, type JobType } from '../processes/contract.js';
import type { JobHandler, JobHandlerSpec } from '../port/workflow-engine.js';
import { caseClassifyHandler } from './case-classify/handler.js';
import { caseCloseHandler } from './case-close/handler.js';
import { caseDeadlineHandler } from './case-deadline/handler.js';
import { caseDedupHandler } from './case-dedup/handler.js';
import { caseEscalateHandler } from './case-escalate/handler.js';
import { caseEvaluateHandler } from './case-evaluate/handler.js';
import { caseNotifyReporterHandler } from './case-notify-reporter/handler.js';
import { caseRecordHandler } from './case-record/handler.js';
import { caseRemindHandler } from './case-remind/handler.js';
import { caseReopenHandler } from './case-reopen/handler.js';
import { caseReworkHandler } from './case-rework/handler.js';
import { caseRouteHandler } from './case-route/handler.js';
import { caseTaskDeadlineHandler } from './case-task-deadline/handler.js';
import type { WorkerDeps } from './deps.js';

/**
 * One handler factory per job type of the contract (processes/contract.ts): the mapped type makes a job type
 * without a handler, or a handler for a type the contract lacks, a compile error.
 */
const HANDLERS: { readonly [T in JobType]: (deps: WorkerDeps) => JobHandler } = {
  'case-classify': caseClassifyHandler,
  'case-dedup': caseDedupHandler,
  'case-deadline': caseDeadlineHandler,
  'case-task-deadline': caseTaskDeadlineHandler,
  'case-route': caseRouteHandler,
  'case-notify-reporter': caseNotifyReporterHandler,
  'case-remind': caseRemindHandler,
  'case-escalate': caseEscalateHandler,
  'case-record': caseRecordHandler,
  'case-rework': caseReworkHandler,
  'case-close': caseCloseHandler,
  'case-reopen': caseReopenHandler,
  'case-evaluate': caseEvaluateHandler,
};

/** Every job type of the contract with its handler, in the contract's order; the engine runs them all. */
export function createJobHandlers(deps: WorkerDeps): JobHandlerSpec[] {
  return JOB_TYPES.map(({ type }) => ({ type, handler: HANDLERS[type](deps) }));
}
