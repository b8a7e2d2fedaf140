import type { JobType } from '../../processes/contract.js';
import { centreTaskDeadline } from '../../domain/deadlines/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob } from '../support/case-job.js';

export const JOB_TYPE = 'case-task-deadline' satisfies JobType;

/**
 * A start execution listener on the centre's user tasks: their `zeebe:taskSchedule dueDate` reads the
 * `taskDueAt` written here, so 派遣, 核查 and the reviews show a deadline and a light in the inbox. 核查 runs on
 * the event type's verify limit; every other centre task (派遣, 改派主办单位, 退单审核, 延期审批, 挂账审核, 移交) on
 * its dispatch limit — a review is the centre's own decision, as quick as a dispatch. The case is not changed.
 */
export function caseTaskDeadlineHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, now }) => {
    const deadline = await centreTaskDeadline(caseId, job.elementId === 'verify' ? 'verify' : 'dispatch', deps.calendar, now);
    return complete({ taskDueAt: deadline.dueAt });
  });
}
