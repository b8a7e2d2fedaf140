import type { Clock } from './clock.js';
import type { Run } from './runtime/run.js';
import { fireTimer } from './runtime/timers.js';
import * as jobs from './store/jobs.js';
import * as messages from './store/messages.js';
import type { SqlDriver } from './store/driver.js';
import { readDueTimers, readNextWake, selectTimer } from './store/timers.js';

export interface SchedulerHost {
  readonly driver: SqlDriver;
  readonly clock: Clock;
  /** Longest sleep between checks, in ms. */
  readonly maxSleepMs: number;
  command<T>(fn: (run: Run) => Promise<T>): Promise<T>;
  /** Workers of this job type should look again (a back-off ended). */
  jobsAvailable(type: string): void;
  error(err: unknown): void;
}

/**
 * The scheduler: fires due timers, returns timed-out jobs, wakes workers for jobs whose back-off ended
 * and drops expired messages — each as a command of its own. On the system clock it sleeps until the
 * next thing is due (read from the indexes, at most `maxSleepMs`) and is woken earlier by every command
 * that schedules something sooner; a test clock drives it through `processDue` instead.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private nextWake = Infinity;
  private readonly inFlightTimers = new Set<string>();
  private lastBackoffCheck: number;
  private closed = false;

  constructor(private readonly host: SchedulerHost) {
    this.lastBackoffCheck = host.clock.now();
  }

  wakeIn(delayMs: number): void {
    if (this.closed || this.host.clock.onAdvance) return; // the test clock drives the scheduler itself
    const at = Date.now() + Math.max(0, Math.min(delayMs, this.host.maxSleepMs));
    if (this.timer && at >= this.nextWake) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextWake = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextWake = Infinity;
      this.processDue().catch((err) => this.host.error(err));
    }, at - Date.now());
    this.timer.unref?.();
  }

  /** Fires due timers, returns timed-out jobs, wakes workers for jobs whose back-off ended, drops expired messages. */
  async processDue(): Promise<void> {
    if (this.closed) return;
    const { driver, clock } = this.host;
    for (let round = 0; round < 10_000; round++) {
      const now = clock.now();
      const timers = await readDueTimers(driver, now);
      const fresh = timers.filter((t) => !this.inFlightTimers.has(t.timer_key));
      const work: Array<Promise<unknown>> = fresh.map((t) => {
        this.inFlightTimers.add(t.timer_key);
        return this.host
          .command(async (run) => {
            const still = await selectTimer(driver, t.timer_key);
            if (still) await fireTimer(run, still);
          })
          .catch((err) => this.host.error(err))
          .finally(() => this.inFlightTimers.delete(t.timer_key));
      });
      const expiredJobs = await jobs.readTimedOut(driver, now);
      if (expiredJobs.length) {
        work.push(
          this.host
            .command(async (run) => {
              for (const key of expiredJobs) {
                const job = await jobs.selectTimedOut(driver, key, now);
                if (!job) continue;
                await jobs.returnTimedOut(driver, job.job_key);
                await run.history(await run.element(job.element_key), 'JOB_TIMED_OUT', { jobKey: job.job_key, worker: job.worker });
                run.effects.jobTypes.add(job.type);
              }
            })
            .catch((err) => this.host.error(err)),
        );
      }
      const backedOff = (await jobs.readBackOffEnded(driver, this.lastBackoffCheck, now)).filter(
        (j, i, all) => j.state === 'ACTIVATABLE' && all.findIndex((o) => o.type === j.type && o.state === 'ACTIVATABLE') === i,
      );
      this.lastBackoffCheck = now;
      for (const b of backedOff) this.host.jobsAvailable(b.type);
      const expired = await messages.readExpired(driver, now);
      if (expired.length) {
        work.push(
          this.host.command(async () => {
            for (const key of expired) await messages.deleteMessage(driver, key);
          }),
        );
      }
      await Promise.all(work);
      if (!fresh.length && !expiredJobs.length && !expired.length) break;
    }
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    if (this.host.clock.onAdvance || this.closed) return;
    const at = await readNextWake(this.host.driver, this.host.clock.now());
    this.wakeIn(at === null ? this.host.maxSleepMs : at - this.host.clock.now());
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
