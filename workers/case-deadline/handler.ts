import type { JobType } from '../../processes/contract.js';
import { extendHandleDeadline, isStage, setExtraStageDeadline, setStageDeadline, type StageDeadline } from '../../domain/deadlines/index.js';
import { complete, type JobHandler, type Variables } from '../../port/workflow-engine.js';
import type { WorkerDeps } from '../deps.js';
import { caseJob, header, incident } from '../support/case-job.js';

export const JOB_TYPE = 'case-deadline' satisfies JobType;

const marks = (prefix: string, d: StageDeadline): Variables => ({
  [`${prefix}DueAt`]: d.dueAt,
  [`${prefix}WarnAt`]: d.warnAt,
  [`${prefix}SuperviseAt`]: d.superviseAt,
});

/**
 * Due times of a stage (header `stage`) from the event type's limit on the business calendar
 * (natural minutes for emergencies), from now: `<stage>WarnAt` 80 %, `<stage>DueAt` 100 %,
 * `<stage>SuperviseAt` 150 %. `extend` adds `extensionHours` to the handling limit and moves the
 * handle marks (written as both `handle*` and `extend*`, so timers on either name move).
 * `extra` with header `extraStage` (e.g. `停工`) times a named extra stage of the event type's
 * `extra_stages` and writes `stageDueAt`, `stageWarnAt`, `stageSuperviseAt` (plus `extraStage`).
 */
export function caseDeadlineHandler(deps: WorkerDeps): JobHandler {
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const stage = header(job, 'stage');
    if (stage === 'extend') {
      const hours = Number(job.variables['extensionHours']);
      if (!Number.isFinite(hours) || hours <= 0)
        return incident(job, `variable extensionHours must be a positive number (got ${JSON.stringify(job.variables['extensionHours'] ?? null)})`);
      const { deadline } = await extendHandleDeadline(caseId, hours, deps.calendar, ctx);
      return complete({ ...marks('handle', deadline), ...marks('extend', deadline) });
    }
    if (stage === 'extra') {
      const name = header(job, 'extraStage');
      if (!name) return incident(job, 'header extraStage is missing: stage extra needs the name of an extra stage of the event type (e.g. 停工)');
      const { deadline } = await setExtraStageDeadline(caseId, name, deps.calendar, ctx);
      return complete({ ...marks('stage', deadline), extraStage: name });
    }
    if (!isStage(stage)) return incident(job, `header stage must be accept, dispatch, handle, verify, extend or extra (got ${JSON.stringify(stage)})`);
    const { deadline } = await setStageDeadline(caseId, stage, deps.calendar, ctx);
    return complete(marks(stage, deadline));
  });
}
