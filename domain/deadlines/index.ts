/** Stage deadlines (时限) on the business calendar: warn 80 %, due 100 %, supervise 150 %. */
export {
  FALLBACK_LIMITS,
  MARK_FRACTIONS,
  STAGES,
  extendDeadline,
  extraStageLimit,
  isStage,
  lightAt,
  stageDeadline,
  stageLimit,
  type DeadlineStage,
  type Stage,
  type StageDeadline,
} from './stage-deadlines.js';
export { DEADLINE_ACTION, centreTaskDeadline, extendHandleDeadline, setExtraStageDeadline, setStageDeadline } from './set-deadline.js';
