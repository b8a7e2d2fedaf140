import nodeCron from 'node-cron';
import type { Weights } from '../evaluation/index.js';
import type { Log } from '../shared/log.js';
import { TIMEZONE } from './local-time.js';
import { monthlyEvaluation } from './monthly-evaluation.js';
import { dailyOverdueDigest } from './overdue-digest.js';

/** When the scheduled work runs, in the district's time zone (node-cron's five-field syntax). */
export const SCHEDULES = {
  /** 08:00 every day: 超期案卷日报 to the units and the centre */
  overdueDigest: { cron: '0 8 * * *', timezone: TIMEZONE },
  /** 01:00 on the 1st: 月度综合评价 of the month just ended */
  monthlyEvaluation: { cron: '0 1 1 * *', timezone: TIMEZONE },
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
}

/**
 * Schedules the daily overdue digest and the monthly evaluation; returns a function that stops
 * both. A failing run is logged and the schedule goes on; both jobs are idempotent, so a run
 * repeated by hand (or by a second process) changes nothing.
 */
export function startScheduledWork(options: ScheduledWorkOptions): () => Promise<void> {
  const cron: CronScheduler = options.cron ?? nodeCron;
  const { now, log } = options;
  const jobs: Record<ScheduleName, () => Promise<Record<string, unknown>>> = {
    overdueDigest: async () => {
      const run = await dailyOverdueDigest(now());
      return { date: run.date, units: run.units.length, queued: run.units.filter((u) => u.queued).length, summaries: run.summaries };
    },
    monthlyEvaluation: async () => {
      const run = await monthlyEvaluation(now(), options.weights ? { weights: options.weights } : {});
      return { month: run.month, stored: run.stored };
    },
  };
  const tasks = (Object.keys(SCHEDULES) as ScheduleName[]).map((name) => {
    const { cron: expression, timezone } = SCHEDULES[name];
    return cron.schedule(expression, async () => {
      try {
        log.info({ job: name, ...(await jobs[name]()) }, 'scheduled job done');
      } catch (err) {
        log.error({ job: name, err }, 'scheduled job failed');
      }
    }, { timezone, name: `ywtg-${name}`, noOverlap: true });
  });
  log.info({ schedules: SCHEDULES }, 'scheduled work started');
  return async () => {
    for (const task of tasks) await task.stop();
  };
}
