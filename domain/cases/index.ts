/** Cases (案卷): reading, status transitions, counters, lights, 并单 — every change audited. */
export { ALLOWED_TRANSITIONS, OPEN_STATUSES, assertTransition, canTransition } from './transitions.js';
export { caseExists, findCaseView, getCaseView, parseCaseId, type CaseView } from './case-view.js';
export { changeCase, type CaseChange, type ChangeContext } from './change-case.js';
export {
  acceptCase, closeCase, dispatchCase, extendCase, markReminded, mergeCase, noteOnCase, raiseEscalation, recordSatisfaction,
  rejectCase, reopenCase, returnCase, reworkCase, satisfactionOf, setCaseEventType, shelveCase, startHandling,
  submitForVerification, type Satisfaction,
} from './case-actions.js';
