/** 综合评价: per-case metrics and per unit/township/category/period rates with a weighted score. */
export {
  DEFAULT_WEIGHTS,
  RATE_LABELS,
  caseMetrics,
  closedOnTime,
  cohortRates,
  compositeScore,
  countCohort,
  dispatchedOnTime,
  evaluateCohort,
  handledOnTime,
  resolved,
  responded,
  type CaseFacts,
  type CohortCounts,
  type CohortEvaluation,
  type CohortRates,
  type Weights,
} from './metrics.js';
export { evaluateCase, evaluatePeriod, type GroupBy, type GroupEvaluation } from './evaluate.js';
