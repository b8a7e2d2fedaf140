import nodeCron from 'node-cron';
import { retrainIfNewDecisions } from '../classify/index.js';
import type { Weights } from '../evaluation/index.js';
import { pruneEngineHistory, type PrunesFinished } from '../history/retention.js';
import type { Log } from '../shared/log.js';
import { scheduledAuditVerification } from './audit-verification.js';
import { TIMEZONE } from '../shared/local-time.js';
import { monthlyEvaluation } from './monthly-evaluation.js';
import { dailyOverdueDigest } from './overdue-digest.js';

/** When the scheduled work runs, in the district's time zone (node-cron's five-field syntax). */
export const SCHEDULES = {
  /** 08:00 every day: 超期案卷日报 to the units and the centre */
  overdueDigest: { cron: '0 8 * * *', timezone: TIMEZONE },
  /** 01:00 on the 1st: 月度综合评价 of the month just ended */
  monthlyEvaluation: { cron: '0 1 1 * *', timezone: TIMEZONE },
  /** 02:30 every day, the quietest hour: the engine forgets cases finished more than HISTORY_RETENTION_DAYS ago */
  historyPrune: { cron: '30 2 * * *', timezone: TIMEZONE },
  /** 03:30 every day: the audit chain verified from its last checkpoint (what was appended since) */
  auditVerify: { cron: '30 3 * * *', timezone: TIMEZONE },
  /** 04:00 on Sundays: the whole audit chain verified again from its first record */
  auditVerifyFull: { cron: '0 4 * * 0', timezone: TIMEZONE },
  /** hourly at :40: the intake classifier retrained when operators filed decisions since its newest version (beside the every-N-decisions trigger) */
  classifyRetrain: { cron: '40 * * * *', timezone: TIMEZONE },
} as const;

export type ScheduleName = keyof typeof SCHEDULES;

/** The part of node-cron used here, so tests can hand in a fake and fire the jobs themselves. */
export interface CronScheduler {
  schedule(expression: string, job: () => Promise<void>, options: { timezone: string; name: string; noOverlap: boolean }): { stop(): void | Promise<void> };
}

export interface ScheduledWorkOptions {
  now: () => Date;
  log: Log;
  /** 三率 weights for the monthly score; domain/evaluation's DEFAULT_WEIGHTS (30/35/35) when absent */
  weights?: Weights;
  cron?: CronScheduler;
  /** the engine to prune and how long it keeps finished cases; absent (Camunda, or retention off): no prune is scheduled */
  history?: { engine: PrunesFinished; retentionDays: number };
  /** open incidents in the workflow engine, counted into the digest's summary for the centre */
  openIncidents?: () => Promise<number>;
}

/**
 * Schedules the daily overdue digest, the monthly evaluation, the audit chain's nightly (incremental) and
 * weekly (full) verification, the hourly classifier retrain (when there are new 受理 decisions) and (with `history`) the nightly prune of finished instances; returns a function that stops them. A failing run is logged and the schedule goes
 * on; every job is idempotent, so a run repeated by hand (or by a second process) changes nothing.
 */
export function startScheduledWork(options: ScheduledWorkOptions): () => Promise<void> {
  const cron: CronScheduler = options.cron ?? nodeCron;
  const { now, log, history } = options;
  const jobs: Partial<Record<ScheduleName, () => Promise<Record<string, unknown>>>> = {
    overdueDigest: async () => {
      const run = await dailyOverdueDigest(now(), options.openIncidents ? { openIncidents: options.openIncidents } : {});
      return {
        date: run.date,
        units: run.units.length,
        queued: run.units.filter((u) => u.queued).length,
        summaries: run.summaries,
        openIncidents: run.openIncidents,
      };
    },
    monthlyEvaluation: async () => {
      const run = await monthlyEvaluation(now(), options.weights ? { weights: options.weights } : {});
      return { month: run.month, stored: run.stored };
    },
    auditVerify: () => scheduledAuditVerification(log, 'checkpoint'),
    auditVerifyFull: () => scheduledAuditVerification(log, 'start'),
    classifyRetrain: async () => ({ ...(await retrainIfNewDecisions()) }),
    ...(history
      ? {
          historyPrune: async () => ({ ...(await pruneEngineHistory(history.engine, { now: now(), retentionDays: history.retentionDays })) }),
        }
      : {}),
  };
  const scheduled = (Object.keys(SCHEDULES) as ScheduleName[]).filter((name) => jobs[name]);
  const tasks = scheduled.map((name) => {
    const { cron: expression, timezone } = SCHEDULES[name];
    const job = jobs[name]!;
    return cron.schedule(
      expression,
      async () => {
        try {
          log.info({ job: name, ...(await job()) }, 'scheduled job done');
        } catch (err) {
          log.error({ job: name, err }, 'scheduled job failed');
        }
      },
      { timezone, name: `ywtg-${name}`, noOverlap: true },
    );
  });
  log.info({ schedules: Object.fromEntries(scheduled.map((name) => [name, SCHEDULES[name]])) }, 'scheduled work started');
  return async () => {
    for (const task of tasks) await task.stop();
  };
}
