/**
 * Peer baseline for the engine benchmark: the same reference case process executed on
 * bpmn-engine@25.0.1 (+ bpmn-elements 17, zeebe-bpmn-moddle, feelin, better-sqlite3) the way
 * its durability model suggests for an embedded store (docs/architecture.md, "Why an own engine"):
 *
 *   the instance state is saved at every wait state and nothing is kept in memory between commands.
 *
 * Every command: load the JSON state row from SQLite → new Engine (cached serialized definition
 * context, zeebe moddle, no-op Logger, ServiceTask-with-taskDefinition → SignalTask, FEEL expressions)
 * → recover(state) → resume() → merge the job/task output into the process variables and signal the
 * waiting activity by id → wait until the engine has settled at its next wait state (or completed)
 * → getState() with the definition `source` stripped → upsert the JSON row → stop().
 * Starting an instance is a command too (new Engine → execute({ variables }) → settle → save → stop).
 *
 * SQLite: WAL journal, synchronous=FULL by default (the setting the embedded engine is benchmarked
 * with in engine-bench.ts), one transaction per upsert.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from 'bpmn-engine';
import { Environment, ServiceTask, SignalTask } from 'bpmn-elements';
import { evaluate } from 'feelin';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

export interface BaselineResult {
  cases: number;
  commands: number;
  seconds: number;
  commandsPerSecond: number;
  casesPerSecond: number;
  jobCompletionsPerSecond: number;
}

export interface BaselineOptions {
  xml: string;
  cases: number;
  dbFile: string;
  /** SQLite `synchronous` pragma (journal is always WAL). Default FULL, as the embedded engine's bench run. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Cases run (and verified) before timing starts, to warm up the JIT; not counted. Default 0. */
  warmupCases?: number;
}

// ---------------------------------------------------------------------------------------------
// Narrow local views of bpmn-engine / bpmn-elements objects (their bundled typings are loose or
// do not describe these members).

/** The serialized moddle context (moddle-context-serializer) that `sourceContext` accepts. */
type SourceContext = NonNullable<ConstructorParameters<typeof Engine>[0]>['sourceContext'];

interface ActivityDefinition {
  behaviour?: { extensionElements?: { values?: ReadonlyArray<{ $type?: string }> } };
}
type ElementBehaviourFactory = (activityDef: ActivityDefinition, context: unknown) => unknown;

interface WaitingApi {
  id: string;
  type: string;
  executionId: string;
  environment: { assignVariables(vars: Record<string, unknown>): void };
}

interface ExecutionView {
  readonly isRunning: boolean;
  readonly state: string;
  getPostponed(): WaitingApi[];
  signal(message: { id: string; [k: string]: unknown }): void;
}

interface ProcessStateView {
  id: string;
  execution?: { status?: string; completed?: boolean; children?: Array<{ id: string; counters?: { taken?: number } }> };
}

interface DefinitionStateView {
  id: string;
  source?: string;
  execution?: { status?: string; completed?: boolean; processes?: ProcessStateView[] };
}

interface EngineStateView {
  state: string;
  definitions: DefinitionStateView[];
  [k: string]: unknown;
}

interface ExpressionContext {
  environment?: { variables?: Record<string, unknown> };
}

type EngineInstance = InstanceType<typeof Engine>;

// ---------------------------------------------------------------------------------------------
// Engine options shared by every command.

const noop = (): void => {};
const Logger = () => ({ debug: noop, warn: noop, error: noop });

/** Service task with a zeebe:taskDefinition → a wait state (a job), as in research §1. */
function hasTaskDefinition(activityDef: ActivityDefinition): boolean {
  return (activityDef.behaviour?.extensionElements?.values ?? []).some((v) => v.$type === 'zeebe:TaskDefinition');
}
const signalTask = SignalTask as unknown as ElementBehaviourFactory;
const serviceTask = ServiceTask as unknown as ElementBehaviourFactory;
function ZeebeServiceTask(activityDef: ActivityDefinition, context: unknown): unknown {
  return hasTaskDefinition(activityDef) ? signalTask(activityDef, context) : serviceTask(activityDef, context);
}
const elements = { ServiceTask: ZeebeServiceTask, SendTask: ZeebeServiceTask, BusinessRuleTask: ZeebeServiceTask };

/** `=`-prefixed strings are FEEL (feelin) against the environment variables; the rest keeps bpmn-elements' `${…}` handling. */
const fallbackExpressions = new Environment().expressions;
const expressions = {
  resolveExpression(expression: string, context?: ExpressionContext, fnCtx?: unknown): unknown {
    if (typeof expression === 'string') {
      const trimmed = expression.trimStart();
      if (trimmed.startsWith('=')) {
        const { value } = evaluate(trimmed.slice(1), { ...context?.environment?.variables });
        return value;
      }
    }
    return fallbackExpressions.resolveExpression(expression, context, fnCtx);
  },
};

const moddleOptions = { zeebe: zeebeSchema };

function engineOptions(name: string, sourceContext: SourceContext, listener: EventEmitter) {
  return { name, sourceContext, moddleOptions, Logger, elements, expressions, listener };
}

/** Parsed + serialized definition context, cached per definition XML (no XML parse per command). */
const sourceContexts = new Map<string, SourceContext>();
async function sourceContextFor(xml: string): Promise<SourceContext> {
  let ctx = sourceContexts.get(xml);
  if (!ctx) {
    const parser = new Engine({ source: xml, moddleOptions, Logger, elements, expressions });
    const [definition] = (await parser.getDefinitions()) as unknown as Array<{ context: { definitionContext: SourceContext } }>;
    if (!definition) throw new Error('bpmn-engine: no definition in the XML');
    ctx = definition.context.definitionContext;
    sourceContexts.set(xml, ctx);
  }
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// One command.

type Settled = { kind: 'wait'; waiting: string[] } | { kind: 'completed' };

const SETTLE_TIMEOUT_MS = 10_000;

/**
 * Resolves once the engine has reached a wait state other than `signalled` (a job / user task,
 * published as `wait` on the listener) or has completed (`end`); rejects on `error`/`stop` or
 * after a safety timeout. Must be armed before the action that moves the engine on.
 */
function armSettle(engine: EngineInstance, listener: EventEmitter, signalled: string | null): Promise<Settled> {
  return new Promise<Settled>((resolvePromise, reject) => {
    const timeout = setTimeout(() => done(new Error(`bpmn-engine did not settle within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
    const onWait = (api: WaitingApi): void => {
      if (api.id !== signalled) done(null, { kind: 'wait', waiting: [api.id] });
    };
    const onEnd = (): void => done(null, { kind: 'completed' });
    const onError = (err: unknown): void => done(err instanceof Error ? err : new Error(String(err)));
    const onStop = (): void => done(new Error('bpmn-engine stopped while settling'));
    listener.on('wait', onWait);
    engine.once('end', onEnd);
    engine.once('error', onError);
    engine.once('stop', onStop);
    function done(err: Error | null, result?: Settled): void {
      clearTimeout(timeout);
      listener.off('wait', onWait);
      engine.off('end', onEnd);
      engine.off('error', onError);
      engine.off('stop', onStop);
      if (err) reject(err);
      else resolvePromise(result as Settled);
    }
  });
}

/** Waiting jobs/user tasks (boundary timer events are postponed too; they are not commands' targets). */
function waitingActivities(execution: ExecutionView): string[] {
  return execution
    .getPostponed()
    .filter((a) => a.type !== 'bpmn:BoundaryEvent')
    .map((a) => a.id)
    .sort();
}

class InstanceStore {
  private readonly db: Database.Database;
  private readonly selectStmt: Database.Statement<[string], { state: string }>;
  private readonly upsertStmt: Database.Statement<[string, string, string]>;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    const path = resolve(file);
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS bpmn_engine_instance (
         instance_key TEXT PRIMARY KEY,
         status TEXT NOT NULL,
         state_json TEXT NOT NULL,
         updated_at INTEGER NOT NULL
       )`,
    );
    this.selectStmt = this.db.prepare('SELECT state_json AS state FROM bpmn_engine_instance WHERE instance_key = ?');
    this.upsertStmt = this.db.prepare(
      `INSERT INTO bpmn_engine_instance (instance_key, status, state_json, updated_at) VALUES (?, ?, ?, unixepoch())
       ON CONFLICT(instance_key) DO UPDATE SET status = excluded.status, state_json = excluded.state_json, updated_at = excluded.updated_at`,
    );
  }

  load(key: string): EngineStateView {
    const row = this.selectStmt.get(key);
    if (!row) throw new Error(`bpmn-engine baseline: no state row for ${key}`);
    return JSON.parse(row.state) as EngineStateView;
  }

  save(key: string, status: string, stateJson: string): void {
    this.upsertStmt.run(key, status, stateJson);
  }

  close(): void {
    this.db.close();
  }
}

class BpmnEngineRunner {
  constructor(
    private readonly store: InstanceStore,
    private readonly sourceContext: SourceContext,
  ) {}

  /** Start an instance: new Engine → execute({ variables }) → settle → save → stop. */
  async start(key: string, variables: Record<string, unknown>): Promise<Settled> {
    const listener = new EventEmitter();
    const engine = new Engine(engineOptions(key, this.sourceContext, listener));
    return this.guarded(engine, async () => {
      const settled = armSettle(engine, listener, null);
      await engine.execute({ variables, listener });
      return this.finish(key, engine, await settled);
    });
  }

  /** Complete a job / user task: load → new Engine → recover → resume → signal → settle → save → stop. */
  async complete(key: string, activityId: string, output: Record<string, unknown>): Promise<Settled> {
    const state = this.store.load(key);
    const listener = new EventEmitter();
    const engine = new Engine(engineOptions(key, this.sourceContext, listener));
    return this.guarded(engine, async () => {
      engine.recover(state);
      await engine.resume({ listener });
      const execution = engine.execution as unknown as ExecutionView;
      const api = execution.getPostponed().find((a) => a.id === activityId);
      if (!api) {
        throw new Error(`${key}: ${activityId} is not waiting (waiting: ${waitingActivities(execution).join(', ') || 'nothing'})`);
      }
      const settled = armSettle(engine, listener, activityId);
      api.environment.assignVariables(output); // job/task output variables → process scope
      execution.signal({ id: activityId });
      return this.finish(key, engine, await settled);
    });
  }

  /** On any failure the engine is still stopped (its armed timers cleared) before the error propagates; nothing is saved. */
  private async guarded(engine: EngineInstance, command: () => Promise<Settled>): Promise<Settled> {
    try {
      return await command();
    } catch (err) {
      const execution = engine.execution as unknown as ExecutionView | null;
      if (execution?.isRunning) await engine.stop();
      throw err;
    }
  }

  private async finish(key: string, engine: EngineInstance, settled: Settled): Promise<Settled> {
    const execution = engine.execution as unknown as ExecutionView;
    const state = (await engine.getState()) as unknown as EngineStateView;
    for (const definition of state.definitions) delete definition.source; // research §3: strip, re-supply via sourceContext
    const result: Settled = settled.kind === 'completed' ? settled : { kind: 'wait', waiting: waitingActivities(execution) };
    this.store.save(key, result.kind === 'completed' ? 'COMPLETED' : 'ACTIVE', JSON.stringify(state));
    // stop() on an already completed execution never resolves (research §1 quirks); completion already cleared the timers
    if (execution.isRunning) await engine.stop();
    const armed = engine.environment.timers.executing.length;
    if (armed) throw new Error(`${key}: ${armed} timer(s) still armed after stop`);
    if (result.kind === 'completed') assertCompletedState(key, state);
    return result;
  }
}

/** The engine said `end`; the saved state must say so too, and the happy path must be the one that ran. */
function assertCompletedState(key: string, state: EngineStateView): void {
  const problems: string[] = [];
  if (state.state !== 'idle') problems.push(`engine state ${state.state}`);
  if (!state.definitions.length) problems.push('no definitions in state');
  for (const d of state.definitions) {
    if (!d.execution?.completed || d.execution.status !== 'completed') problems.push(`definition ${d.id} status ${d.execution?.status}`);
    const processes = d.execution?.processes ?? [];
    if (!processes.length) problems.push(`definition ${d.id} has no process state`);
    for (const p of processes) {
      if (!p.execution?.completed || p.execution.status !== 'completed') problems.push(`process ${p.id} status ${p.execution?.status}`);
      const taken = new Map((p.execution?.children ?? []).map((c) => [c.id, c.counters?.taken ?? 0]));
      for (const [id, want] of HAPPY_PATH_TAKEN) {
        if (taken.get(id) !== want) problems.push(`${id} taken ${taken.get(id)} times, expected ${want}`);
      }
    }
  }
  if (problems.length) throw new Error(`${key}: engine reported end but the saved state disagrees: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------
// The happy path of bench/reference-case.bpmn: 7 commands per case.

const START_VARIABLES = { priority: 3, unit: 'D-CGJ' };
/** Element → times taken in a completed happy-path instance (default flow to `dispatch`, no timer fired). */
const HAPPY_PATH_TAKEN: ReadonlyArray<[string, number]> = [
  ['classify', 1],
  ['accept', 1],
  ['dispatchUrgent', 0],
  ['dispatch', 1],
  ['handle', 1],
  ['verify', 1],
  ['evaluate', 1],
  ['end', 1],
  ['remindTask', 0],
  ['escalate', 0],
];
const STEPS: ReadonlyArray<{ activityId: string; job: boolean; output: Record<string, unknown>; next: string | null }> = [
  { activityId: 'classify', job: true, output: { category: 'road' }, next: 'accept' },
  { activityId: 'accept', job: true, output: {}, next: 'dispatch' }, // priority 3 → default flow f5
  { activityId: 'dispatch', job: true, output: {}, next: 'handle' },
  { activityId: 'handle', job: false, output: { result: '已处置' }, next: 'verify' },
  { activityId: 'verify', job: true, output: { verified: true }, next: 'evaluate' },
  { activityId: 'evaluate', job: true, output: {}, next: null },
];

function expectSettled(key: string, after: string, settled: Settled, next: string | null): void {
  const got = settled.kind === 'completed' ? 'completed' : settled.waiting.join(',');
  const want = next ?? 'completed';
  if (got !== want) throw new Error(`${key}: after ${after} expected ${want}, engine is at ${got}`);
}

interface CaseTiming {
  jobMs: number;
  jobs: number;
  commands: number;
}

/** One complete happy-path case: start + 6 completions, each checked against the expected next wait state. */
async function runCase(runner: BpmnEngineRunner, key: string): Promise<CaseTiming> {
  const timing: CaseTiming = { jobMs: 0, jobs: 0, commands: 0 };
  expectSettled(key, 'start', await runner.start(key, START_VARIABLES), 'classify');
  timing.commands++;
  for (const step of STEPS) {
    const s0 = performance.now();
    const settled = await runner.complete(key, step.activityId, step.output);
    if (step.job) {
      timing.jobMs += performance.now() - s0;
      timing.jobs++;
    }
    timing.commands++;
    expectSettled(key, step.activityId, settled, step.next);
  }
  return timing;
}

export async function runBpmnEngineBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const { xml, cases, dbFile } = options;
  const store = new InstanceStore(dbFile, options.sqliteSynchronous ?? 'FULL');
  try {
    const runner = new BpmnEngineRunner(store, await sourceContextFor(xml));
    const runId = Date.now().toString(36);
    for (let i = 0; i < (options.warmupCases ?? 0); i++) await runCase(runner, `bpmn-engine-${runId}-warmup-${i}`);
    let commands = 0;
    let jobMs = 0;
    let jobs = 0;
    const t0 = performance.now();
    for (let i = 0; i < cases; i++) {
      const timing = await runCase(runner, `bpmn-engine-${runId}-${i}`);
      commands += timing.commands;
      jobMs += timing.jobMs;
      jobs += timing.jobs;
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      cases,
      commands,
      seconds,
      commandsPerSecond: commands / seconds,
      casesPerSecond: cases / seconds,
      jobCompletionsPerSecond: jobs / (jobMs / 1000),
    };
  } finally {
    store.close();
  }
}
