import { EventEmitter } from 'node:events';
import { SystemClock, type Clock } from './clock.js';
import { CommandQueue } from './command-queue.js';
import type { CommandContext, CommandOptions, Variables } from './commands/context.js';
import { deploy, type DeployResource, type DeployedProcess } from './commands/deploy.js';
import { exporterPosition, saveExporterPosition } from './commands/exporters.js';
import { resolveIncident } from './commands/incidents.js';
import { cancelInstance, createInstance, setVariables, type CreateInstanceRequest } from './commands/instances.js';
import { migrateInstance, previewMigration, type MigrationPlan, type MigrationPreview } from './commands/migrate.js';
import type { JobCompletionResult } from './commands/jobs.js';
import { activateAdHocSubProcessActivities } from './commands/ad-hoc.js';
import { activateJobs, completeJob, failJob, throwError, updateJobRetries, type ActivatedJob } from './commands/jobs.js';
import { broadcastSignal, publishMessage } from './commands/messages.js';
import { assignUserTask, completeUserTask, updateUserTask } from './commands/user-tasks.js';
import { Decisions } from './decisions.js';
import { Definitions } from './definitions.js';
import { EngineError } from './errors.js';
import * as q from './queries.js';
import { pruneFinishedInstances, type PruneOptions, type PruneResult } from './retention/prune-finished.js';
import { KeyGenerator } from './runtime/keys.js';
import type { Run, RunContext, RunEffects } from './runtime/run.js';
import { Scheduler } from './scheduler.js';
import { openDriver, type SqlDriver } from './store/driver.js';
import { ensureSchema } from './store/schema.js';
import { JobWorker, type JobWorkerOptions } from './worker.js';

export type { ActivatedJob, DeployedProcess, DeployResource, Variables };

export interface EngineOptions {
  /** `sqlite:<file>` or `mysql://…`; the engine keeps its own `eng_*` tables there. */
  databaseUrl: string;
  clock?: Clock;
  /** SQLite `synchronous`: FULL (default) survives power loss; NORMAL survives process crashes and is faster. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Most commands grouped into one transaction. */
  maxBatch?: number;
  /** Longest sleep of the scheduler between checks, in ms (it also wakes on every new timer). */
  schedulerMaxSleepMs?: number;
  /**
   * Deepest nesting of called instances (Zeebe's `maxProcessDepth`, default 1000): a call activity that would start an
   * instance deeper raises a CALLED_ELEMENT_ERROR incident, so a process that calls itself stops there.
   */
  maxProcessDepth?: number;
  /**
   * Most element activations one command may make before it reaches a wait state (default 10,000): a process that
   * loops without one (a cycle of parallel gateways, a recursion fanning out through call activities) is refused
   * with `EngineError('INVALID_STATE')` within seconds instead of running until its keys run out.
   */
  maxActivationsPerCommand?: number;
  /** Background failures (scheduler, workers); default: written to stderr. */
  onError?: (err: unknown) => void;
}

/**
 * The embedded engine: Zeebe semantics on SQL rows. Every public command is one transaction
 * (several commands share a transaction when they queue up, each behind its own savepoint), and
 * its promise resolves only after the commit: an acknowledged command survives a crash.
 *
 * This class wires the parts together and keeps the public API: the commands are commands/*.ts, the
 * queue command-queue.ts, the scheduler scheduler.ts, the BPMN semantics runtime/ and behaviours/
 * (engine/README.md has the map).
 */
export class Engine extends EventEmitter {
  readonly clock: Clock;
  private readonly keys: KeyGenerator;
  private readonly definitions = new Definitions();
  private readonly decisions = new Decisions();
  private readonly queue: CommandQueue;
  private readonly scheduler: Scheduler;
  private closed = false;
  private readonly workers = new Set<JobWorker>();
  /** what commands/*.ts see of the engine */
  private readonly ctx: CommandContext;

  private constructor(
    readonly driver: SqlDriver,
    options: EngineOptions,
  ) {
    super();
    this.setMaxListeners(0);
    // background work reports here instead of crashing the process
    this.on('error', options.onError ?? ((err: unknown) => console.error('[engine]', err)));
    this.clock = options.clock ?? new SystemClock();
    this.keys = new KeyGenerator(driver);
    const runContext: RunContext = {
      driver,
      clock: this.clock,
      keys: this.keys,
      definition: (key) => this.definitions.get(key),
      latest: (processId) => this.definitions.latest(processId),
      withVersionTag: (processId, tag) => this.definitions.withVersionTag(processId, tag),
      maxProcessDepth: options.maxProcessDepth ?? 1000,
      decisions: this.decisions,
      maxActivationsPerCommand: options.maxActivationsPerCommand ?? 10_000,
    };
    this.queue = new CommandQueue({
      driver,
      keys: this.keys,
      runContext,
      maxBatch: options.maxBatch ?? 200,
      committed: (effects) => this.publishEffects(effects),
      batchCommitted: (jobTypes) => {
        for (const t of jobTypes) this.emit('jobs', t);
        this.emit('committed');
      },
      error: (err) => this.emit('error', err),
    });
    this.scheduler = new Scheduler({
      driver,
      clock: this.clock,
      maxSleepMs: options.schedulerMaxSleepMs ?? 30_000,
      command: (fn) => this.command(fn),
      jobsAvailable: (type) => this.emit('jobs', type),
      error: (err) => this.emit('error', err),
    });
    this.ctx = {
      driver,
      clock: this.clock,
      keys: this.keys,
      definitions: this.definitions,
      decisions: this.decisions,
      command: (fn, extra) => this.command(fn, extra),
      scheduleWake: (delayMs) => this.scheduler.wakeIn(delayMs),
    };
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const driver = await openDriver(options.databaseUrl, { sqliteSynchronous: options.sqliteSynchronous ?? 'FULL' });
    await ensureSchema(driver);
    const engine = new Engine(driver, options);
    await engine.definitions.load(driver);
    await engine.decisions.load(driver);
    engine.clock.onAdvance?.(() => engine.processDue());
    // whatever came due while the engine was down fires now
    if (!engine.clock.onAdvance) engine.scheduler.wakeIn(0);
    else await engine.processDue();
    return engine;
  }

  private command<T>(fn: (run: Run) => Promise<T>, options: CommandOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError('CLOSED', 'the engine is closed'));
    return this.queue.submit(fn, options);
  }

  /** After a command's commit: user-task and incident events, and the scheduler's next wake. */
  private publishEffects(effects: RunEffects): void {
    for (const e of effects.userTaskEvents) this.emit('userTask', e);
    for (const k of effects.incidents) this.emit('incident', { incidentKey: k });
    if (effects.earliestDue !== null) this.scheduler.wakeIn(effects.earliestDue - this.clock.now());
  }

  /** Resolves once every queued command has been committed. */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  // ─────────────────────────── commands ────────────────────────────

  /**
   * Deploys BPMN resources all or nothing: any problem in any resource rejects the whole deployment
   * with every problem listed. Identical XML for a process creates no new version.
   */
  deploy(resources: DeployResource[]): Promise<DeployedProcess[]> {
    return deploy(this.ctx, resources);
  }

  createInstance(
    request: CreateInstanceRequest,
  ): Promise<{ processInstanceKey: string; processDefinitionKey: string; bpmnProcessId: string; version: number }> {
    return createInstance(this.ctx, request);
  }

  cancelInstance(instanceKey: string): Promise<void> {
    return cancelInstance(this.ctx, instanceKey);
  }

  setVariables(scopeKey: string, variables: Variables, options: { local?: boolean } = {}): Promise<void> {
    return setVariables(this.ctx, scopeKey, variables, options);
  }

  /** Activates inner elements of an active ad-hoc sub-process instance, each with optional local variables. */
  activateAdHocSubProcessActivities(adHocSubProcessInstanceKey: string, elements: Array<{ elementId: string; variables?: Variables }>): Promise<void> {
    return activateAdHocSubProcessActivities(this.ctx, adHocSubProcessInstanceKey, elements);
  }

  publishMessage(m: {
    name: string;
    correlationKey?: string;
    variables?: Variables;
    timeToLiveMs?: number;
    messageId?: string;
  }): Promise<{ messageKey: string }> {
    return publishMessage(this.ctx, m);
  }

  broadcastSignal(s: { name: string; variables?: Variables }): Promise<void> {
    return broadcastSignal(this.ctx, s);
  }

  activateJobs(r: { type: string; maxJobsToActivate: number; timeoutMs: number; worker: string; fetchVariables?: string[] }): Promise<ActivatedJob[]> {
    return activateJobs(this.ctx, r);
  }

  /**
   * `result` (Camunda 8.8 job results): a user task listener's job denies the transition or corrects the task; an ad-hoc
   * sub-process's job activates inner elements or declares the completion condition fulfilled
   */
  completeJob(key: string, variables: Variables = {}, result?: JobCompletionResult): Promise<void> {
    return completeJob(this.ctx, key, variables, result);
  }

  failJob(key: string, f: { retries: number; errorMessage?: string; retryBackOffMs?: number; variables?: Variables }): Promise<void> {
    return failJob(this.ctx, key, f);
  }

  throwError(key: string, e: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void> {
    return throwError(this.ctx, key, e);
  }

  updateJobRetries(key: string, retries: number): Promise<void> {
    return updateJobRetries(this.ctx, key, retries);
  }

  /** An in-process worker for one job type; notified of new jobs at once, no polling delay. */
  createWorker<V extends Variables = Variables>(options: JobWorkerOptions<V>): JobWorker {
    const worker = new JobWorker(this, options as JobWorkerOptions);
    // a failed activation or completion (a job cancelled meanwhile, a lock wait on MySQL) is reported like the
    // engine's own errors: an 'error' event nobody listened to would take the whole process down
    worker.on('error', (err: unknown) => this.emit('error', err));
    this.workers.add(worker);
    worker.once('closed', () => this.workers.delete(worker));
    return worker;
  }

  completeUserTask(key: string, variables: Variables = {}, options: { completedBy?: string } = {}): Promise<void> {
    return completeUserTask(this.ctx, key, variables, options);
  }

  assignUserTask(key: string, assignee: string | null): Promise<void> {
    return assignUserTask(this.ctx, key, assignee);
  }

  updateUserTask(
    key: string,
    changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; candidateUsers?: string[]; priority?: number },
  ): Promise<void> {
    return updateUserTask(this.ctx, key, changes);
  }

  /** Resolves an incident and retries what failed: the element's step, or the job (give it retries first). */
  resolveIncident(incidentKey: string): Promise<void> {
    return resolveIncident(this.ctx, incidentKey);
  }

  /**
   * Process instance migration (Camunda 8 semantics, commands/migrate.ts): moves a running instance to another
   * deployed definition by element mappings, all or nothing; refused with every element that cannot move and why.
   */
  migrateInstance(instanceKey: string, plan: MigrationPlan): Promise<MigrationPreview> {
    return migrateInstance(this.ctx, instanceKey, plan);
  }

  /** What `migrateInstance` would do with the same plan, writing nothing: what moves, what cannot and why. */
  previewMigration(instanceKey: string, plan: MigrationPlan): Promise<MigrationPreview> {
    return previewMigration(this.ctx, instanceKey, plan);
  }

  /** Fires due timers, returns timed-out jobs, wakes workers for jobs whose back-off ended, drops expired messages. */
  processDue(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.scheduler.processDue();
  }

  // ──────────────────────────── queries ────────────────────────────

  getInstance(key: string) {
    return q.getInstance(this.driver, key);
  }
  listInstances(filter: q.InstanceFilter = {}) {
    return q.listInstances(this.driver, filter);
  }
  listElementInstances(instanceKey: string) {
    return q.listElementInstances(this.driver, instanceKey);
  }
  getVariables(scopeKey: string) {
    return q.getVariables(this.driver, scopeKey);
  }
  listJobs(filter: q.JobFilter = {}) {
    return q.listJobs(this.driver, filter);
  }
  listUserTasks(filter: q.UserTaskFilter = {}) {
    return q.listUserTasks(this.driver, filter);
  }
  getUserTask(key: string) {
    return q.getUserTask(this.driver, key);
  }
  listIncidents(filter: q.IncidentFilter = {}) {
    return q.listIncidents(this.driver, filter);
  }
  listTimers(filter: q.TimerFilter = {}) {
    return q.listTimers(this.driver, filter);
  }
  listSubscriptions(instanceKey?: string) {
    return q.listSubscriptions(this.driver, instanceKey);
  }
  history(instanceKey: string) {
    return q.history(this.driver, instanceKey);
  }
  readHistory(afterPosition: number, limit = 500) {
    return q.readHistory(this.driver, afterPosition, limit);
  }
  listDefinitions() {
    return q.listDefinitions(this.driver);
  }
  /** deployed DMN decisions, every version */
  listDecisions() {
    return q.listDecisions(this.driver);
  }
  getDefinitionXml(defKey: string) {
    return q.getDefinitionXml(this.driver, defKey);
  }
  listForms() {
    return q.listForms(this.driver);
  }
  getForm(formId: string, version?: number) {
    return q.getForm(this.driver, formId, version);
  }

  /** Where a named reader of the history stream (an exporter) stopped; 0 before its first event. */
  exporterPosition(name: string): Promise<number> {
    return exporterPosition(this.ctx, name);
  }

  saveExporterPosition(name: string, position: number): Promise<void> {
    return saveExporterPosition(this.ctx, name, position);
  }

  // ─────────────────────────── retention ───────────────────────────

  /**
   * Deletes the rows of finished call trees whose root ended before `endedBefore` and whose records every
   * exporter has read, a batch of roots per transaction, each batch queued as a command of its own
   * (retention/prune-finished.ts).
   */
  pruneFinishedInstances(options: PruneOptions): Promise<PruneResult> {
    return pruneFinishedInstances(this.driver, (work) => this.command(() => work(), { exclusive: true }), options);
  }

  // ──────────────────────────── closing ────────────────────────────

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.idle();
    this.closed = true;
    this.scheduler.close();
    await this.driver.close();
  }
}
