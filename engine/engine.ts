import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SystemClock, type Clock } from './clock.js';
import { EngineError } from './errors.js';
import { evaluateFeelRaw } from './feel/feel.js';
import { parseBpmn } from './model/parse.js';
import type { DeployProblem, ProcessModel } from './model/types.js';
import { openDriver, type SqlDriver } from './store/driver.js';
import { ensureSchema } from './store/schema.js';
import { pruneFinishedInstances, type PruneOptions, type PruneResult } from './retention/prune-finished.js';
import { KeyGenerator } from './runtime/keys.js';
import type { IncidentRow, JobRow, MessageRow, SubscriptionRow, TimerRow, UserTaskRow } from './runtime/rows.js';
import { Incident, Run, type Definition, type RunContext, type RunEffects } from './runtime/run.js';
import { firstDueTime } from './runtime/timer-plan.js';
import * as q from './queries.js';
import { JobWorker, type JobWorkerOptions } from './worker.js';

export type Variables = Record<string, unknown>;

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
  /** Background failures (scheduler, workers); default: written to stderr. */
  onError?: (err: unknown) => void;
}

export interface DeployResource {
  name: string;
  xml: string;
}

export interface DeployedProcess {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  /** false when identical XML was already deployed: the existing version is returned */
  isNew: boolean;
}

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  deadline: number;
  variables: Variables;
}

interface Command<T> {
  fn: (run: Run) => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  /** runs alone in its own transaction (deploy changes the definition cache) */
  exclusive?: boolean;
  afterCommit?: () => void;
}

/**
 * The embedded engine: Zeebe semantics on SQL rows. Every public command is one transaction
 * (several commands share a transaction when they queue up, each behind its own savepoint), and
 * its promise resolves only after the commit: an acknowledged command survives a crash.
 */
export class Engine extends EventEmitter {
  readonly clock: Clock;
  private readonly keys: KeyGenerator;
  private readonly definitions = new Map<string, Definition>();
  private readonly latestByProcess = new Map<string, Definition>();
  private readonly queue: Array<Command<unknown>> = [];
  private pumping: Promise<void> | null = null;
  private closed = false;
  private schedulerTimer: NodeJS.Timeout | null = null;
  private nextWake = Infinity;
  private readonly inFlightTimers = new Set<string>();
  private lastBackoffCheck = 0;
  private readonly workers = new Set<JobWorker>();
  private readonly maxBatch: number;
  private readonly maxSleep: number;

  private constructor(readonly driver: SqlDriver, options: EngineOptions) {
    super();
    this.setMaxListeners(0);
    // background work reports here instead of crashing the process
    this.on('error', options.onError ?? ((err: unknown) => console.error('[engine]', err)));
    this.clock = options.clock ?? new SystemClock();
    this.keys = new KeyGenerator(driver);
    this.maxBatch = options.maxBatch ?? 200;
    this.maxSleep = options.schedulerMaxSleepMs ?? 30_000;
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const driver = await openDriver(options.databaseUrl, { sqliteSynchronous: options.sqliteSynchronous ?? 'FULL' });
    await ensureSchema(driver);
    const engine = new Engine(driver, options);
    await engine.loadDefinitions();
    engine.lastBackoffCheck = engine.clock.now();
    engine.clock.onAdvance?.(() => engine.processDue());
    // whatever came due while the engine was down fires now
    if (!engine.clock.onAdvance) engine.scheduleWake(0);
    else await engine.processDue();
    return engine;
  }

  private async loadDefinitions(): Promise<void> {
    const rows = await this.driver.read<{ def_key: string; process_id: string; version: number; resource: string; xml: string }>(
      'SELECT def_key, process_id, version, resource, xml FROM eng_definition ORDER BY process_id, version',
    );
    for (const r of rows) {
      const parsed = await parseBpmn(r.resource, r.xml);
      const model = parsed.processes.find((p) => p.processId === r.process_id);
      if (!model) throw new Error(`stored definition ${r.def_key} (${r.process_id}) no longer parses`);
      this.addDefinition({ defKey: r.def_key, processId: r.process_id, version: Number(r.version), model });
    }
  }

  private addDefinition(def: Definition): void {
    this.definitions.set(def.defKey, def);
    const latest = this.latestByProcess.get(def.processId);
    if (!latest || latest.version < def.version) this.latestByProcess.set(def.processId, def);
  }

  private get runContext(): RunContext {
    return {
      driver: this.driver,
      clock: this.clock,
      keys: this.keys,
      definition: (key) => {
        const d = this.definitions.get(key);
        if (!d) throw new Error(`definition ${key} is not loaded`);
        return d;
      },
      latest: (processId) => this.latestByProcess.get(processId),
    };
  }

  // ───────────────────────── command queue ─────────────────────────

  private command<T>(fn: (run: Run) => Promise<T>, extra: Partial<Command<T>> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError('CLOSED', 'the engine is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve, reject, ...extra } as Command<unknown>);
      this.kick();
    });
  }

  private kick(): void {
    if (this.pumping) return;
    // from the event loop's next turn: the commands of every request read in this turn share one
    // transaction (one COMMIT and fsync) instead of one each
    this.pumping = new Promise((resolve) => setImmediate(resolve)).then(() => this.pump()).finally(() => {
      this.pumping = null;
      if (this.queue.length) this.kick(); // a command queued while the pump was winding down
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length) {
      const batch: Array<Command<unknown>> = [];
      if (this.queue[0]!.exclusive) batch.push(this.queue.shift()!);
      else while (batch.length < this.maxBatch && this.queue.length && !this.queue[0]!.exclusive) batch.push(this.queue.shift()!);
      await this.runBatch(batch);
      // the SQLite driver never waits on I/O: without this a busy queue kept the event loop to itself
      if (this.queue.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async runBatch(batch: Array<Command<unknown>>): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown; effects: RunEffects } | { ok: false; error: unknown }> = [];
    try {
      await this.keys.reserve();
      await this.driver.exec(this.driver.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'START TRANSACTION');
    } catch (err) {
      for (const c of batch) c.reject(err);
      return;
    }
    for (const cmd of batch) {
      // held by the MySQL driver until the command's first statement: no round trip of its own
      await this.driver.write('SAVEPOINT cmd');
      const run = new Run(this.runContext);
      try {
        const value = await cmd.fn(run);
        await run.drain();
        await this.driver.exec('RELEASE SAVEPOINT cmd');
        outcomes.push({ ok: true, value, effects: run.effects });
      } catch (error) {
        await this.driver.exec('ROLLBACK TO SAVEPOINT cmd');
        await this.driver.exec('RELEASE SAVEPOINT cmd');
        outcomes.push({ ok: false, error });
      }
    }
    try {
      await this.driver.exec('COMMIT');
    } catch (err) {
      await this.driver.exec('ROLLBACK').catch(() => undefined);
      for (const c of batch) c.reject(err);
      return;
    }
    // Only now is anything acknowledged.
    const jobTypes = new Set<string>();
    batch.forEach((cmd, i) => {
      const o = outcomes[i]!;
      if (!o.ok) return cmd.reject(o.error);
      cmd.afterCommit?.();
      for (const t of o.effects.jobTypes) jobTypes.add(t);
      for (const e of o.effects.userTaskEvents) this.emit('userTask', e);
      for (const k of o.effects.incidents) this.emit('incident', { incidentKey: k });
      if (o.effects.earliestDue !== null) this.scheduleWake(o.effects.earliestDue - this.clock.now());
      cmd.resolve(o.value);
    });
    for (const t of jobTypes) this.emit('jobs', t);
    this.emit('committed');
  }

  /** Resolves once every queued command has been committed. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  // ─────────────────────────── deploy ──────────────────────────────

  /**
   * Deploys BPMN resources all or nothing: any problem in any resource rejects the whole deployment
   * with every problem listed. Identical XML for a process creates no new version.
   */
  async deploy(resources: DeployResource[]): Promise<DeployedProcess[]> {
    const problems: DeployProblem[] = [];
    const parsed: Array<{ resource: DeployResource; model: ProcessModel }> = [];
    const forms: Array<{ resource: DeployResource; formId: string }> = [];
    const seen = new Set<string>();
    for (const resource of resources) {
      if (resource.name.endsWith('.form')) {
        const formId = formIdOf(resource);
        if (typeof formId !== 'string') problems.push({ resource: resource.name, elementId: null, message: formId.problem });
        else if (forms.some((f) => f.formId === formId)) problems.push({ resource: resource.name, elementId: formId, message: 'the same form id is deployed twice in one deployment' });
        else forms.push({ resource, formId });
        continue;
      }
      const result = await parseBpmn(resource.name, resource.xml);
      problems.push(...result.problems);
      for (const model of result.processes) {
        if (seen.has(model.processId)) problems.push({ resource: resource.name, elementId: model.processId, message: 'the same process id is deployed twice in one deployment' });
        seen.add(model.processId);
        parsed.push({ resource, model });
      }
    }
    for (const { resource, model } of parsed) {
      for (const node of Object.values(model.nodes)) {
        if (node.type === 'callActivity' && !node.call!.processId.feel) {
          const target = node.call!.processId.text;
          if (!seen.has(target) && !this.latestByProcess.has(target)) {
            problems.push({ resource: resource.name, elementId: node.id, message: `called process '${target}' is not deployed` });
          }
        }
      }
    }
    if (problems.length) {
      const lines = problems.map((p) => `${p.resource}${p.elementId ? ` [${p.elementId}]` : ''}: ${p.message}`);
      throw new EngineError('DEPLOY_REJECTED', `deployment rejected:\n  ${lines.join('\n  ')}`, problems);
    }
    const added: Definition[] = [];
    const result = await this.command(async (run) => {
      const out: DeployedProcess[] = [];
      for (const { resource, model } of parsed) {
        const checksum = createHash('sha256').update(model.processId).update('\0').update(resource.xml).digest('hex');
        const latest = this.latestByProcess.get(model.processId);
        const latestRow = latest ? await this.driver.get<{ checksum: string }>('SELECT checksum FROM eng_definition WHERE def_key = ?', [latest.defKey]) : undefined;
        if (latest && latestRow?.checksum === checksum) {
          out.push({ processDefinitionKey: latest.defKey, bpmnProcessId: model.processId, version: latest.version, resourceName: resource.name, isNew: false });
          continue;
        }
        const def: Definition = { defKey: this.keys.nextKey(), processId: model.processId, version: (latest?.version ?? 0) + 1, model };
        await this.driver.run(
          'INSERT INTO eng_definition (def_key, process_id, version, resource, checksum, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [def.defKey, def.processId, def.version, resource.name, checksum, resource.xml, this.clock.now()],
        );
        if (latest) {
          // the newest version owns the start events: retire the previous version's
          await this.driver.run('DELETE FROM eng_start_subscription WHERE def_key = ?', [latest.defKey]);
          await this.driver.run('DELETE FROM eng_timer WHERE def_key = ? AND element_key IS NULL', [latest.defKey]);
        }
        for (const id of model.messageStarts) {
          const ev = model.nodes[id]!.event!;
          if (ev.kind === 'message') {
            await this.driver.run('INSERT INTO eng_start_subscription (def_key, element_id, kind, name, process_id) VALUES (?, ?, ?, ?, ?)', [def.defKey, id, 'message', ev.messageName.text, def.processId]);
          }
        }
        for (const id of model.signalStarts) {
          const ev = model.nodes[id]!.event!;
          if (ev.kind === 'signal') {
            await this.driver.run('INSERT INTO eng_start_subscription (def_key, element_id, kind, name, process_id) VALUES (?, ?, ?, ?, ?)', [def.defKey, id, 'signal', ev.signalName.text, def.processId]);
          }
        }
        added.push(def);
        this.definitions.set(def.defKey, def); // visible to this transaction's own start timers
        for (const id of model.timerStarts) {
          const ev = model.nodes[id]!.event!;
          if (ev.kind !== 'timer') continue;
          // a start timer has no instance yet: its FEEL sees no variables (Zeebe evaluates it at deploy too)
          const value = ev.timer.value.feel ? evaluateFeelRaw(ev.timer.value.text, {}) : { ok: true as const, value: ev.timer.value.text };
          if (!value.ok) throw new EngineError('DEPLOY_REJECTED', `${resource.name} [${id}]: start timer ${value.message}`);
          const plan = firstDueTime(ev.timer.type, value.value, this.clock.now());
          if (typeof plan === 'string') throw new EngineError('DEPLOY_REJECTED', `${resource.name} [${id}]: start timer ${plan}`);
          await run.insertTimer(null, id, plan, def.defKey);
        }
        await run.history(null, 'PROCESS_DEPLOYED', { processDefinitionKey: def.defKey, bpmnProcessId: def.processId, version: def.version, resource: resource.name });
        out.push({ processDefinitionKey: def.defKey, bpmnProcessId: def.processId, version: def.version, resourceName: resource.name, isNew: true });
      }
      for (const { resource, formId } of forms) {
        const checksum = createHash('sha256').update(resource.xml).digest('hex');
        const latest = await this.driver.get<{ form_key: string; version: number; checksum: string }>(
          'SELECT form_key, version, checksum FROM eng_form WHERE form_id = ? ORDER BY version DESC LIMIT 1', [formId]);
        if (latest?.checksum === checksum) continue;
        const formKey = this.keys.nextKey();
        await this.driver.run('INSERT INTO eng_form (form_key, form_id, version, resource, checksum, content, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [formKey, formId, Number(latest?.version ?? 0) + 1, resource.name, checksum, resource.xml, this.clock.now()]);
      }
      return out;
    }, { exclusive: true, afterCommit: () => added.forEach((d) => this.addDefinition(d)) }).catch((err) => {
      for (const d of added) this.definitions.delete(d.defKey);
      throw err;
    });
    return result;
  }

  // ────────────────────────── instances ────────────────────────────

  async createInstance(request: { bpmnProcessId: string; variables?: Variables; version?: number; startReference?: string; reuseStarted?: boolean }): Promise<{ processInstanceKey: string; processDefinitionKey: string; bpmnProcessId: string; version: number }> {
    checkVariables(request.variables);
    const def = request.version === undefined
      ? this.latestByProcess.get(request.bpmnProcessId)
      : [...this.definitions.values()].find((d) => d.processId === request.bpmnProcessId && d.version === request.version);
    if (!def) throw new EngineError('NOT_FOUND', `no deployed process '${request.bpmnProcessId}'${request.version ? ` version ${request.version}` : ''}`);
    if (!def.model.noneStart) throw new EngineError('INVALID_STATE', `process '${def.processId}' has no none start event; start it with a message, signal or timer`);
    // ── idempotent start (intake's crash recovery): the caller's reference is kept as the instance's start
    // correlation key; with reuseStarted the instance already started under it is answered instead of a second
    const { startReference: ref, reuseStarted } = request;
    const key = await this.command(async (run) => {
      const started = ref && reuseStarted ? await this.driver.get<{ instance_key: string }>('SELECT instance_key FROM eng_instance WHERE process_id = ? AND start_correlation_key = ? AND parent_instance_key IS NULL', [def.processId, ref]) : undefined;
      return started ? String(started.instance_key) : run.createInstance(def, request.variables ?? {}, null, ref ? { start_correlation_key: ref } : {});
    });
    // ── end idempotent start
    return { processInstanceKey: key, processDefinitionKey: def.defKey, bpmnProcessId: def.processId, version: def.version };
  }

  async cancelInstance(instanceKey: string): Promise<void> {
    await this.command(async (run) => {
      const inst = await run.instance(instanceKey);
      if (inst.state !== 'ACTIVE') throw new EngineError('INVALID_STATE', `process instance ${instanceKey} is ${inst.state.toLowerCase()}`);
      if (inst.parent_instance_key) throw new EngineError('INVALID_STATE', `process instance ${instanceKey} was started by a call activity; cancel its root instance ${inst.parent_instance_key}`);
      const root = await run.element(instanceKey);
      if (root) await run.terminate(root);
    });
  }

  async setVariables(scopeKey: string, variables: Variables, options: { local?: boolean } = {}): Promise<void> {
    checkVariables(variables);
    await this.command((run) => run.setVariables(scopeKey, variables, options.local ?? false));
  }

  // ─────────────────────────── messages ────────────────────────────

  async publishMessage(m: { name: string; correlationKey?: string; variables?: Variables; timeToLiveMs?: number; messageId?: string }): Promise<{ messageKey: string }> {
    if (!m.name) throw new EngineError('INVALID_ARGUMENT', 'a message needs a name');
    checkVariables(m.variables);
    const ttl = m.timeToLiveMs ?? 0;
    if (!(ttl >= 0)) throw new EngineError('INVALID_ARGUMENT', 'timeToLiveMs must be zero or more');
    const correlationKey = m.correlationKey ?? '';
    const vars = m.variables ?? {};
    return this.command(async (run) => {
      const now = this.clock.now();
      if (m.messageId) {
        const dup = await this.driver.get('SELECT 1 AS x FROM eng_message WHERE name = ? AND correlation_key = ? AND message_id = ? AND expires_at > ?', [m.name, correlationKey, m.messageId, now]);
        if (dup) throw new EngineError('ALREADY_EXISTS', `a message '${m.name}' with id '${m.messageId}' and correlation key '${correlationKey}' is already buffered`);
      }
      const messageKey = this.keys.nextKey();
      const correlated = new Set<string>();
      const subs = await this.driver.all<SubscriptionRow>(
        "SELECT * FROM eng_subscription WHERE kind = 'message' AND name = ? AND correlation_key = ? ORDER BY sub_key",
        [m.name, correlationKey],
      );
      for (const sub of subs) {
        if (correlated.has(sub.process_id)) continue; // once per process
        if (await run.triggerSubscription(sub, vars, messageKey)) correlated.add(sub.process_id);
      }
      const starts = await this.driver.all<{ def_key: string; element_id: string; process_id: string }>(
        "SELECT def_key, element_id, process_id FROM eng_start_subscription WHERE kind = 'message' AND name = ?", [m.name],
      );
      for (const s of starts) {
        if (correlated.has(s.process_id)) continue;
        if (correlationKey) {
          const active = await this.driver.get("SELECT 1 AS x FROM eng_instance WHERE process_id = ? AND start_correlation_key = ? AND state = 'ACTIVE'", [s.process_id, correlationKey]);
          if (active) continue;
        }
        const key = await run.createInstance(this.runContext.definition(s.def_key), {}, s.element_id, { start_correlation_key: correlationKey || null }, vars);
        await run.history(null, 'MESSAGE_CORRELATED', { name: m.name, correlationKey, messageKey, startEvent: s.element_id }, key);
        correlated.add(s.process_id);
      }
      if (ttl > 0) {
        await this.driver.write(
          'INSERT INTO eng_message (message_key, name, correlation_key, message_id, variables, expires_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [messageKey, m.name, correlationKey, m.messageId ?? null, JSON.stringify(vars), now + ttl, now],
        );
        for (const p of correlated) await this.driver.write('INSERT INTO eng_message_correlation (message_key, process_id) VALUES (?, ?)', [messageKey, p]);
        if (run.effects.earliestDue === null || now + ttl < run.effects.earliestDue) run.effects.earliestDue = now + ttl;
      }
      return { messageKey };
    });
  }

  async broadcastSignal(s: { name: string; variables?: Variables }): Promise<void> {
    if (!s.name) throw new EngineError('INVALID_ARGUMENT', 'a signal needs a name');
    checkVariables(s.variables);
    await this.command((run) => run.broadcastSignal(s.name, s.variables ?? {}));
  }

  // ───────────────────────────── jobs ──────────────────────────────

  async activateJobs(r: { type: string; maxJobsToActivate: number; timeoutMs: number; worker: string; fetchVariables?: string[] }): Promise<ActivatedJob[]> {
    if (!(r.maxJobsToActivate > 0) || !(r.timeoutMs > 0)) throw new EngineError('INVALID_ARGUMENT', 'maxJobsToActivate and timeoutMs must be positive');
    return this.command(async (run) => {
      const now = this.clock.now();
      const rows = await this.driver.all<JobRow>(
        "SELECT * FROM eng_job WHERE type = ? AND state = 'ACTIVATABLE' AND retry_at <= ? ORDER BY job_key LIMIT ?",
        [r.type, now, Math.floor(r.maxJobsToActivate)],
      );
      const jobs: ActivatedJob[] = [];
      const deadline = now + r.timeoutMs;
      for (const job of rows) {
        await this.driver.write("UPDATE eng_job SET state = 'ACTIVATED', deadline = ?, worker = ? WHERE job_key = ?", [deadline, r.worker, job.job_key]);
        let variables = await run.visible(job.element_key);
        if (r.fetchVariables) variables = Object.fromEntries(r.fetchVariables.filter((n) => n in variables).map((n) => [n, variables[n]]));
        jobs.push({
          key: job.job_key, type: job.type, processInstanceKey: job.instance_key, bpmnProcessId: job.process_id,
          processDefinitionKey: job.def_key, elementId: job.element_id, elementInstanceKey: job.element_key,
          customHeaders: JSON.parse(job.headers) as Record<string, string>, worker: r.worker, retries: Number(job.retries), deadline, variables,
        });
      }
      if (rows.length) this.scheduleWake(r.timeoutMs);
      return jobs;
    });
  }

  private async jobFor(key: string, action: string): Promise<JobRow> {
    const job = await this.driver.get<JobRow>('SELECT * FROM eng_job WHERE job_key = ?', [key]);
    if (!job) throw new EngineError('NOT_FOUND', `job ${key} not found (already completed, cancelled or never created)`);
    if (job.state === 'FAILED' || job.state === 'ERROR_THROWN') throw new EngineError('INVALID_STATE', `cannot ${action} job ${key}: it has an open incident`);
    return job;
  }

  async completeJob(key: string, variables: Variables = {}): Promise<void> {
    checkVariables(variables);
    await this.command(async (run) => run.completeJob(await this.jobFor(key, 'complete'), variables));
  }

  async failJob(key: string, f: { retries: number; errorMessage?: string; retryBackOffMs?: number; variables?: Variables }): Promise<void> {
    if (!Number.isInteger(f.retries) || f.retries < 0) throw new EngineError('INVALID_ARGUMENT', 'retries must be a whole number, zero or more');
    checkVariables(f.variables);
    await this.command(async (run) => {
      const job = await this.jobFor(key, 'fail');
      const el = await run.element(job.element_key);
      if (f.variables && el) await run.setVariables(el.key, f.variables, true);
      if (f.retries > 0) {
        const retryAt = this.clock.now() + (f.retryBackOffMs ?? 0);
        await this.driver.write("UPDATE eng_job SET state = 'ACTIVATABLE', retries = ?, retry_at = ?, deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [f.retries, retryAt, f.errorMessage ?? null, key]);
        await run.history(el, 'JOB_FAILED', { jobKey: key, retries: f.retries, errorMessage: f.errorMessage ?? null, retryBackOffMs: f.retryBackOffMs ?? 0 });
        if (f.retryBackOffMs) run.effects.earliestDue = retryAt;
        else run.effects.jobTypes.add(job.type);
      } else {
        await this.driver.write("UPDATE eng_job SET state = 'FAILED', retries = 0, deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [f.errorMessage ?? null, key]);
        await run.history(el, 'JOB_FAILED', { jobKey: key, retries: 0, errorMessage: f.errorMessage ?? null });
        if (el) await run.raiseIncident(el, 'activate', new Incident('JOB_NO_RETRIES', f.errorMessage || 'no more retries left'), key);
      }
    });
  }

  async throwError(key: string, e: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void> {
    if (!e.errorCode) throw new EngineError('INVALID_ARGUMENT', 'a BPMN error needs an error code');
    checkVariables(e.variables);
    await this.command(async (run) => {
      const job = await this.jobFor(key, 'throw an error for');
      const el = await run.element(job.element_key);
      if (!el) return;
      const caught = await run.throwError(el, e.errorCode, e.errorMessage ?? '', e.variables ?? {}, key);
      if (!caught) {
        await this.driver.write("UPDATE eng_job SET state = 'ERROR_THROWN', deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [e.errorMessage ?? null, key]);
        await run.raiseIncident(el, 'activate', new Incident('UNHANDLED_ERROR_EVENT', `error '${e.errorCode}' thrown by job ${key} was not caught${e.errorMessage ? `: ${e.errorMessage}` : ''}`), key);
      }
    });
  }

  async updateJobRetries(key: string, retries: number): Promise<void> {
    if (!Number.isInteger(retries) || retries < 1) throw new EngineError('INVALID_ARGUMENT', 'retries must be a whole number, one or more');
    await this.command(async (run) => {
      const job = await this.driver.get<JobRow>('SELECT * FROM eng_job WHERE job_key = ?', [key]);
      if (!job) throw new EngineError('NOT_FOUND', `job ${key} not found`);
      await this.driver.write('UPDATE eng_job SET retries = ? WHERE job_key = ?', [retries, key]);
      await run.history(await run.element(job.element_key), 'JOB_RETRIES_UPDATED', { jobKey: key, retries }, job.instance_key);
    });
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

  // ────────────────────────── user tasks ───────────────────────────

  private async openTask(key: string): Promise<UserTaskRow> {
    const task = await this.driver.get<UserTaskRow>('SELECT * FROM eng_user_task WHERE task_key = ?', [key]);
    if (!task) throw new EngineError('NOT_FOUND', `user task ${key} not found`);
    if (task.state !== 'CREATED') throw new EngineError('INVALID_STATE', `user task ${key} is ${task.state.toLowerCase()}`);
    return task;
  }

  async completeUserTask(key: string, variables: Variables = {}, options: { completedBy?: string } = {}): Promise<void> {
    checkVariables(variables);
    await this.command(async (run) => run.completeUserTask(await this.openTask(key), variables, options.completedBy ?? null));
  }

  async assignUserTask(key: string, assignee: string | null): Promise<void> {
    await this.command(async (run) => {
      const task = await this.openTask(key);
      await this.driver.write('UPDATE eng_user_task SET assignee = ? WHERE task_key = ?', [assignee, key]);
      await run.history(await run.element(task.element_key), 'USER_TASK_ASSIGNED', { userTaskKey: key, assignee });
      run.effects.userTaskEvents.push({ intent: 'ASSIGNED', taskKey: key });
    });
  }

  async updateUserTask(key: string, changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; candidateUsers?: string[]; priority?: number }): Promise<void> {
    const iso = (v: string | null | undefined, what: string) => {
      if (v === undefined || v === null) return v;
      if (Number.isNaN(Date.parse(v))) throw new EngineError('INVALID_ARGUMENT', `${what} '${v}' is not a date-time`);
      return new Date(Date.parse(v)).toISOString();
    };
    const dueDate = iso(changes.dueDate, 'dueDate');
    const followUpDate = iso(changes.followUpDate, 'followUpDate');
    if (changes.priority !== undefined && !(Number.isInteger(changes.priority) && changes.priority >= 0 && changes.priority <= 100)) {
      throw new EngineError('INVALID_ARGUMENT', 'priority must be a whole number from 0 to 100');
    }
    await this.command(async (run) => {
      const task = await this.openTask(key);
      const sets: string[] = [];
      const values: Array<string | number | null> = [];
      if (dueDate !== undefined) sets.push('due_date = ?') && values.push(dueDate);
      if (followUpDate !== undefined) sets.push('follow_up_date = ?') && values.push(followUpDate);
      if (changes.candidateGroups) sets.push('candidate_groups = ?') && values.push(JSON.stringify(changes.candidateGroups));
      if (changes.candidateUsers) sets.push('candidate_users = ?') && values.push(JSON.stringify(changes.candidateUsers));
      if (changes.priority !== undefined) sets.push('priority = ?') && values.push(changes.priority);
      if (!sets.length) return;
      await this.driver.write(`UPDATE eng_user_task SET ${sets.join(', ')} WHERE task_key = ?`, [...values, key]);
      await run.history(await run.element(task.element_key), 'USER_TASK_UPDATED', { userTaskKey: key, ...changes });
      run.effects.userTaskEvents.push({ intent: 'UPDATED', taskKey: key });
    });
  }

  // ─────────────────────────── incidents ───────────────────────────

  /** Resolves an incident and retries what failed: the element's step, or the job (give it retries first). */
  async resolveIncident(incidentKey: string): Promise<void> {
    await this.command(async (run) => {
      const inc = await this.driver.get<IncidentRow>('SELECT * FROM eng_incident WHERE incident_key = ?', [incidentKey]);
      if (!inc) throw new EngineError('NOT_FOUND', `incident ${incidentKey} not found`);
      if (inc.state !== 'ACTIVE') throw new EngineError('INVALID_STATE', `incident ${incidentKey} is already resolved`);
      const el = await run.element(inc.element_key);
      if (inc.job_key) {
        const job = await this.driver.get<JobRow>('SELECT * FROM eng_job WHERE job_key = ?', [inc.job_key]);
        if (job && job.state === 'FAILED' && Number(job.retries) < 1) {
          throw new EngineError('INVALID_STATE', `job ${inc.job_key} has no retries left: update its retries before resolving incident ${incidentKey}`);
        }
        if (job) {
          await this.driver.write("UPDATE eng_job SET state = 'ACTIVATABLE', retry_at = 0, retries = ? WHERE job_key = ?", [Math.max(1, Number(job.retries)), job.job_key]);
          run.effects.jobTypes.add(job.type);
        }
      }
      await this.driver.write("UPDATE eng_incident SET state = 'RESOLVED', resolved_at = ? WHERE incident_key = ?", [this.clock.now(), incidentKey]);
      await run.history(el, 'INCIDENT_RESOLVED', { incidentKey }, inc.instance_key);
      if (!inc.job_key && el?.data.pending) run.enqueue(el.data.pending, el.key);
    });
  }

  // ─────────────────────────── scheduler ───────────────────────────

  private scheduleWake(delayMs: number): void {
    if (this.closed || this.clock.onAdvance) return; // the test clock drives the scheduler itself
    const at = Date.now() + Math.max(0, Math.min(delayMs, this.maxSleep));
    if (this.schedulerTimer && at >= this.nextWake) return;
    if (this.schedulerTimer) clearTimeout(this.schedulerTimer);
    this.nextWake = at;
    this.schedulerTimer = setTimeout(() => {
      this.schedulerTimer = null;
      this.nextWake = Infinity;
      this.processDue().catch((err) => this.emit('error', err));
    }, at - Date.now());
    this.schedulerTimer.unref?.();
  }

  /** Fires due timers, returns timed-out jobs, wakes workers for jobs whose back-off ended, drops expired messages. */
  async processDue(): Promise<void> {
    if (this.closed) return;
    for (let round = 0; round < 10_000; round++) {
      const now = this.clock.now();
      const timers = await this.driver.read<TimerRow>('SELECT * FROM eng_timer WHERE due_at <= ? ORDER BY due_at LIMIT 1000', [now]);
      const fresh = timers.filter((t) => !this.inFlightTimers.has(t.timer_key));
      const work: Array<Promise<unknown>> = fresh.map((t) => {
        this.inFlightTimers.add(t.timer_key);
        return this.command(async (run) => {
          const still = await this.driver.get<TimerRow>('SELECT * FROM eng_timer WHERE timer_key = ?', [t.timer_key]);
          if (still) await run.fireTimer(still);
        }).catch((err) => this.emit('error', err)).finally(() => this.inFlightTimers.delete(t.timer_key));
      });
      const expiredJobs = await this.driver.read<{ job_key: string }>("SELECT job_key FROM eng_job WHERE state = 'ACTIVATED' AND deadline <= ? LIMIT 1000", [now]);
      if (expiredJobs.length) {
        work.push(this.command(async (run) => {
          for (const j of expiredJobs) {
            const job = await this.driver.get<JobRow>("SELECT * FROM eng_job WHERE job_key = ? AND state = 'ACTIVATED' AND deadline <= ?", [j.job_key, now]);
            if (!job) continue;
            await this.driver.write("UPDATE eng_job SET state = 'ACTIVATABLE', deadline = NULL, worker = NULL WHERE job_key = ?", [job.job_key]);
            await run.history(await run.element(job.element_key), 'JOB_TIMED_OUT', { jobKey: job.job_key, worker: job.worker });
            run.effects.jobTypes.add(job.type);
          }
        }).catch((err) => this.emit('error', err)));
      }
      // only jobs in back-off have retry_at > 0: the retry_at index finds them without scanning waiting jobs
      const backedOff = (await this.driver.read<{ type: string; state: string }>('SELECT type, state FROM eng_job WHERE retry_at > ? AND retry_at <= ?', [this.lastBackoffCheck, now]))
        .filter((j, i, all) => j.state === 'ACTIVATABLE' && all.findIndex((o) => o.type === j.type && o.state === 'ACTIVATABLE') === i);
      this.lastBackoffCheck = now;
      for (const b of backedOff) this.emit('jobs', b.type);
      const expired = await this.driver.read<MessageRow>('SELECT message_key FROM eng_message WHERE expires_at <= ? LIMIT 1000', [now]);
      if (expired.length) {
        work.push(this.command(async () => {
          for (const m of expired) {
            await this.driver.write('DELETE FROM eng_message WHERE message_key = ?', [m.message_key]);
            await this.driver.write('DELETE FROM eng_message_correlation WHERE message_key = ?', [m.message_key]);
          }
        }));
      }
      await Promise.all(work);
      if (!fresh.length && !expiredJobs.length && !expired.length) break;
    }
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    if (this.clock.onAdvance || this.closed) return;
    const next = await this.driver.read<{ at: number | null }>(
      `SELECT MIN(at) AS at FROM (
         SELECT MIN(due_at) AS at FROM eng_timer
         UNION ALL SELECT MIN(deadline) FROM eng_job WHERE state = 'ACTIVATED'
         UNION ALL SELECT MIN(retry_at) FROM eng_job WHERE retry_at > ?
         UNION ALL SELECT MIN(expires_at) FROM eng_message) t`,
      [this.clock.now()],
    );
    const at = next[0]?.at;
    this.scheduleWake(at === null || at === undefined ? this.maxSleep : Number(at) - this.clock.now());
  }

  // ──────────────────────────── queries ────────────────────────────

  getInstance(key: string) { return q.getInstance(this.driver, key); }
  listInstances(filter: q.InstanceFilter = {}) { return q.listInstances(this.driver, filter); }
  listElementInstances(instanceKey: string) { return q.listElementInstances(this.driver, instanceKey); }
  getVariables(scopeKey: string) { return q.getVariables(this.driver, scopeKey); }
  listJobs(filter: q.JobFilter = {}) { return q.listJobs(this.driver, filter); }
  listUserTasks(filter: q.UserTaskFilter = {}) { return q.listUserTasks(this.driver, filter); }
  getUserTask(key: string) { return q.getUserTask(this.driver, key); }
  listIncidents(filter: q.IncidentFilter = {}) { return q.listIncidents(this.driver, filter); }
  listTimers(filter: q.TimerFilter = {}) { return q.listTimers(this.driver, filter); }
  listSubscriptions(instanceKey?: string) { return q.listSubscriptions(this.driver, instanceKey); }
  history(instanceKey: string) { return q.history(this.driver, instanceKey); }
  readHistory(afterPosition: number, limit = 500) { return q.readHistory(this.driver, afterPosition, limit); }
  listDefinitions() { return q.listDefinitions(this.driver); }
  getDefinitionXml(defKey: string) { return q.getDefinitionXml(this.driver, defKey); }
  listForms() { return q.listForms(this.driver); }
  getForm(formId: string, version?: number) { return q.getForm(this.driver, formId, version); }

  /** Where a named reader of the history stream (an exporter) stopped; 0 before its first event. */
  async exporterPosition(name: string): Promise<number> {
    const [row] = await this.driver.read<{ value: string }>('SELECT value FROM eng_meta WHERE name = ?', [`exporter:${name}`]);
    return row ? Number(row.value) : 0;
  }

  async saveExporterPosition(name: string, position: number): Promise<void> {
    await this.command(async () => {
      const n = await this.driver.run('UPDATE eng_meta SET value = ? WHERE name = ?', [String(position), `exporter:${name}`]);
      if (!n) await this.driver.run('INSERT INTO eng_meta (name, value) VALUES (?, ?)', [`exporter:${name}`, String(position)]);
    });
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
    if (this.schedulerTimer) clearTimeout(this.schedulerTimer);
    await this.driver.close();
  }
}

/** A form-js form is JSON with a string `id` (the formId user tasks refer to) and a `components` list. */
function formIdOf(resource: DeployResource): string | { problem: string } {
  let form: unknown;
  try {
    form = JSON.parse(resource.xml);
  } catch (err) {
    return { problem: `not valid JSON: ${(err as Error).message}` };
  }
  const f = form as { id?: unknown; components?: unknown };
  if (typeof f.id !== 'string' || !f.id) return { problem: 'a form needs a string "id"' };
  if (!Array.isArray(f.components)) return { problem: 'a form needs a "components" list' };
  return f.id;
}

function checkVariables(vars: unknown): void {
  if (vars === undefined) return;
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new EngineError('INVALID_ARGUMENT', 'variables must be a JSON object');
  for (const name of Object.keys(vars)) if (!name) throw new EngineError('INVALID_ARGUMENT', 'variable names must not be empty');
}
