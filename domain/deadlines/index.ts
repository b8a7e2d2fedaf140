/** Stage deadlines (时限) on the business calendar: warn 80 %, due 100 %, supervise 150 %. */
export {
  FALLBACK_LIMITS, MARK_FRACTIONS, STAGES, extendDeadline, isStage, lightAt, stageDeadline, stageLimit,
  type Stage, type StageDeadline,
} from './stage-deadlines.js';
export { DEADLINE_ACTION, extendHandleDeadline, setStageDeadline } from './set-deadline.js';
