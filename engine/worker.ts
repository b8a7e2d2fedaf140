import { EventEmitter } from 'node:events';
import type { ActivatedJob, Engine, Variables } from './engine.js';
import type { JobCompletionResult } from './commands/jobs.js';
import { traceActivity } from './activity-trace.js';

/** What a job handler decides: every handler must say it explicitly. */
export type JobResult =
  | { outcome: 'complete'; variables?: Variables; result?: JobCompletionResult }
  | { outcome: 'fail'; errorMessage: string; retries?: number; retryBackOffMs?: number }
  | { outcome: 'error'; errorCode: string; errorMessage?: string; variables?: Variables };

export interface JobWorkerOptions<V extends Variables = Variables> {
  type: string;
  handler: (job: ActivatedJob & { variables: V }) => Promise<JobResult>;
  /** most jobs in hand at once; a function is asked each time (the app lowers it while requests wait) */
  maxJobsActive?: number | (() => number);
  timeoutMs?: number;
  name?: string;
  fetchVariables?: string[];
  /** a safety net besides the push notifications: poll this often, in ms */
  pollIntervalMs?: number;
}

/**
 * Runs a handler for every job of one type. Woken by the engine the moment a job of its type is
 * committed; a thrown exception counts as a failure with one retry fewer.
 */
export class JobWorker extends EventEmitter {
  private active = 0;
  private fetching = false;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly poll: NodeJS.Timeout;
  private readonly onJobs = (type: string) => {
    if (type === this.options.type) this.wake();
  };

  constructor(
    private readonly engine: Engine,
    private readonly options: JobWorkerOptions,
  ) {
    super();
    engine.on('jobs', this.onJobs);
    this.poll = setInterval(() => this.wake(), options.pollIntervalMs ?? 1000);
    this.poll.unref?.();
    queueMicrotask(() => this.wake());
  }

  private get capacity(): number {
    const max = this.options.maxJobsActive;
    return (typeof max === 'function' ? max() : (max ?? 32)) - this.active;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.fetching) {
      this.again = true;
      return;
    }
    if (this.capacity <= 0) return;
    this.fetching = true;
    this.engine
      .activateJobs({
        type: this.options.type,
        maxJobsToActivate: this.capacity,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        worker: this.options.name ?? `${this.options.type}-worker`,
        ...(this.options.fetchVariables ? { fetchVariables: this.options.fetchVariables } : {}),
      })
      .then((jobs) => {
        const traced = traceActivity(`worker:${this.options.type}`, jobs.length);
        for (const job of jobs) this.run(job);
        traced();
        if (jobs.length && this.capacity > 0) this.again = true;
      })
      .catch((err) => this.emit('error', err))
      .finally(() => {
        this.fetching = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private run(job: ActivatedJob): void {
    this.active++;
    const p = this.handle(job).finally(() => {
      this.active--;
      this.inFlight.delete(p);
      this.wake();
    });
    this.inFlight.add(p);
  }

  private async handle(job: ActivatedJob): Promise<void> {
    let result: JobResult;
    try {
      result = await this.options.handler(job);
    } catch (err) {
      result = { outcome: 'fail', errorMessage: (err as Error)?.message ?? String(err), retries: job.retries - 1 };
    }
    try {
      if (result.outcome === 'complete') await this.engine.completeJob(job.key, result.variables ?? {}, result.result);
      else if (result.outcome === 'fail') {
        await this.engine.failJob(job.key, {
          retries: result.retries ?? job.retries - 1,
          errorMessage: result.errorMessage,
          ...(result.retryBackOffMs !== undefined ? { retryBackOffMs: result.retryBackOffMs } : {}),
        });
      } else {
        await this.engine.throwError(job.key, {
          errorCode: result.errorCode,
          ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
          ...(result.variables ? { variables: result.variables } : {}),
        });
      }
      this.emit('handled', job, result);
    } catch (err) {
      // e.g. the job was cancelled meanwhile: nothing to apply
      this.emit('error', err);
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.poll);
    this.engine.off('jobs', this.onJobs);
    await Promise.allSettled([...this.inFlight]);
    this.emit('closed');
  }
}
