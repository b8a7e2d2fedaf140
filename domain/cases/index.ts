/** Cases (案卷): reading, status transitions, counters, lights, 并单 — every change audited. */
export { ALLOWED_TRANSITIONS, OPEN_STATUSES, assertTransition, canTransition } from './transitions.js';
export { FALLBACK_PROCESS_ID, ILLEGAL_BUILDING_STAGES, PROCESS_FOR_CATEGORY, REQUIRED_EXTRA_STAGES, processIdForCategory } from './process-for-category.js';
export { caseExists, findCaseView, getCaseView, parseCaseId, type CaseView } from './case-view.js';
export { changeCase, type CaseChange, type ChangeContext } from './change-case.js';
export {
  acceptCase,
  closeCase,
  dispatchCase,
  extendCase,
  markReminded,
  mergeCase,
  noteOnCase,
  raiseEscalation,
  recordSatisfaction,
  rejectCase,
  reopenCase,
  returnCase,
  reworkCase,
  satisfactionOf,
  setCaseEventType,
  shelveCase,
  startHandling,
  submitForVerification,
  type Satisfaction,
} from './case-actions.js';
