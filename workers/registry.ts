import type { JobHandlerSpec } from '../port/workflow-engine.js';
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
import type { WorkerDeps } from './deps.js';

/** Every job type of the contract (processes/README.md) with its handler; the engine runs them all. */
export function createJobHandlers(deps: WorkerDeps): JobHandlerSpec[] {
  return [
    { type: 'case-classify', handler: caseClassifyHandler(deps) },
    { type: 'case-dedup', handler: caseDedupHandler(deps) },
    { type: 'case-deadline', handler: caseDeadlineHandler(deps) },
    { type: 'case-route', handler: caseRouteHandler(deps) },
    { type: 'case-notify-reporter', handler: caseNotifyReporterHandler(deps) },
    { type: 'case-remind', handler: caseRemindHandler(deps) },
    { type: 'case-escalate', handler: caseEscalateHandler(deps) },
    { type: 'case-record', handler: caseRecordHandler(deps) },
    { type: 'case-rework', handler: caseReworkHandler(deps) },
    { type: 'case-close', handler: caseCloseHandler(deps) },
    { type: 'case-reopen', handler: caseReopenHandler(deps) },
    { type: 'case-evaluate', handler: caseEvaluateHandler(deps) },
  ];
}
