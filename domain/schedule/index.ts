/** Scheduled work: the daily overdue digest and the monthly evaluation, on node-cron. */
export { TIMEZONE, localDay, localMinute, monthBefore, monthPeriod, type MonthPeriod } from '../shared/local-time.js';
export { OPEN_STATUSES, WORST_SHOWN, dailyOverdueDigest, type DigestRun, type UnitDigest } from './overdue-digest.js';
export {
  PERIOD_SCOPES,
  evaluationsFor,
  monthlyEvaluation,
  type MonthlyEvaluationResult,
  type PeriodScope,
  type RankedEvaluation,
} from './monthly-evaluation.js';
export { SCHEDULES, startScheduledWork, type CronScheduler, type ScheduleName, type ScheduledWorkOptions } from './scheduler.js';
