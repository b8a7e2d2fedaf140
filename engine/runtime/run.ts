import type { Clock } from '../clock.js';
import type { Decisions } from '../decisions.js';
import { EngineError } from '../errors.js';
import type { FlowNode, ProcessModel } from '../model/types.js';
import type { SqlDriver } from '../store/driver.js';
import * as elements from '../store/elements.js';
import { appendHistory } from '../store/history.js';
import { selectInstance } from '../store/instances.js';
import { deleteScopeVariables } from '../store/variables.js';
import { activate } from './activation.js';
import { complete } from './completion.js';
import { raiseIncident } from './incidents.js';
import type { KeyGenerator } from './keys.js';
import type { ElementData, ElementRow, InstanceRow, StepKind } from './rows.js';
import { runTaskListeners } from '../behaviours/user-task-listeners.js';

/** A failed evaluation inside a step: becomes an incident on the element instead of an exception. */
export class Incident extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Definition {
  defKey: string;
  processId: string;
  version: number;
  model: ProcessModel;
  /** bindingType="deployment": decision id → key of the decision deployed with this version */
  decisionKeys?: Record<string, string>;
  /** call activities with bindingType="deployment": process id → key of the version deployed with this one */
  processKeys?: Record<string, string>;
}

/** What the engine needs from its surroundings while it runs one command. */
export interface RunContext {
  driver: SqlDriver;
  clock: Clock;
  keys: KeyGenerator;
  definition(defKey: string): Definition;
  latest(processId: string): Definition | undefined;
  /** the latest version of the process whose `zeebe:versionTag` is `tag` */
  withVersionTag(processId: string, tag: string): Definition | undefined;
  /** deepest call-activity nesting (Zeebe's maxProcessDepth, 1000 by default); a deeper call is an incident */
  maxProcessDepth: number;
  /** the deployed decisions (business-rule tasks with zeebe:calledDecision) */
  decisions: Decisions;
  /** most element activations one command may make before a wait state; more refuses the command (an endless loop) */
  maxActivationsPerCommand: number;
}

/** Things to tell the outside world once the command's transaction has committed. */
export interface RunEffects {
  jobTypes: Set<string>;
  userTaskEvents: Array<{ intent: string; taskKey: string }>;
  incidents: string[];
  earliestDue: number | null;
}

export type Vars = Record<string, unknown>;
type Step = { kind: StepKind; key: string };

/** The element type of the body that holds the inner instances of a multi-instance activity. */
export const MI_BODY = 'multiInstanceBody';

export function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * The coordinator of one command's worth of BPMN semantics inside the caller's transaction: a queue of
 * steps (activate or complete an element instance), each handed to activation.ts / completion.ts, which
 * hand it to the element's behaviour in behaviours/. It holds what the command has read (element rows,
 * instances, whole variable scopes) so that nothing is read twice; everything it changes is written
 * through to SQL at once (as `write`s, which the MySQL driver sends together with the next read), and
 * nothing survives the command in memory.
 */
export class Run {
  private readonly queue: Step[] = [];
  /** element activations so far in this command (bounded by maxActivationsPerCommand) */
  private activations = 0;
  /** work that must wait until the current step has finished (e.g. correlating a buffered message) */
  private followUps: Array<() => Promise<void>> = [];
  /** element rows this command read or created; null: deleted (or known not to exist). Written through `remember`. */
  readonly cache = new Map<string, ElementRow | null>();
  /** per scope key, how many rows of `cache` (not deleted) are its children: a scope's completion check asks this
   * instead of scanning the whole cache, which made a command creating thousands of elements quadratic */
  private readonly cachedChildren = new Map<string, number>();
  /**
   * Scopes whose every variable this command knows, name → JSON text as stored: the scopes it created and
   * the scopes it read whole. Its own writes go through, so a scope is read at most once per command
   * rather than at every evaluation (on MySQL each read is a round trip of the engine's only writer).
   * Text rather than values: callers may change the values they are handed. Kept by variables.ts.
   */
  readonly knownVariables = new Map<string, Map<string, string>>();
  private readonly instances = new Map<string, InstanceRow>();
  readonly effects: RunEffects = { jobTypes: new Set(), userTaskEvents: [], incidents: [], earliestDue: null };

  constructor(readonly ctx: RunContext) {}

  get now(): number {
    return this.ctx.clock.now();
  }

  get db(): SqlDriver {
    return this.ctx.driver;
  }

  nextKey(): string {
    return this.ctx.keys.nextKey();
  }

  // ───────────────────────────── rows ─────────────────────────────

  async element(key: string): Promise<ElementRow | null> {
    if (this.cache.has(key)) return this.cache.get(key)!;
    const row = await elements.selectElement(this.db, key);
    this.remember(key, row);
    return row;
  }

  async children(scopeKey: string): Promise<ElementRow[]> {
    const rows = await elements.selectChildren(this.db, scopeKey, (key) => this.cache.get(key));
    for (const row of rows) this.remember(row.key, row);
    return rows;
  }

  async insertElement(row: ElementRow): Promise<void> {
    await elements.insertElement(this.db, row);
    this.remember(row.key, row);
    this.knownVariables.set(row.key, new Map()); // a new key: no variables yet
  }

  /** A new element instance in `scope`, waiting to be activated. */
  async newElement(scope: ElementRow, elementId: string, type: string, data: ElementData = {}): Promise<ElementRow> {
    const row: ElementRow = { key: this.nextKey(), instanceKey: scope.instanceKey, elementId, type, scopeKey: scope.key, state: 'ACTIVATING', data };
    await this.insertElement(row);
    return row;
  }

  private remember(key: string, row: ElementRow | null): void {
    const before = this.cache.get(key);
    if (before?.scopeKey) this.cachedChildren.set(before.scopeKey, (this.cachedChildren.get(before.scopeKey) ?? 1) - 1);
    if (row?.scopeKey) this.cachedChildren.set(row.scopeKey, (this.cachedChildren.get(row.scopeKey) ?? 0) + 1);
    this.cache.set(key, row);
  }

  /** Whether this command holds a (not deleted) child of the scope. */
  hasCachedChild(scopeKey: string): boolean {
    return (this.cachedChildren.get(scopeKey) ?? 0) > 0;
  }

  async saveElement(row: ElementRow): Promise<void> {
    await elements.updateElement(this.db, row);
  }

  /** The element instance is gone, and its local variables with it. */
  async deleteElement(row: ElementRow): Promise<void> {
    await elements.deleteElement(this.db, row.key);
    await deleteScopeVariables(this.db, row.key);
    this.remember(row.key, null);
    this.knownVariables.delete(row.key);
  }

  async instance(key: string): Promise<InstanceRow> {
    let row = this.instances.get(key);
    if (!row) {
      row = await selectInstance(this.db, key);
      if (!row) throw new EngineError('NOT_FOUND', `process instance ${key} not found`);
      this.instances.set(key, row);
    }
    return row;
  }

  /** Remembers an instance this command created. */
  rememberInstance(row: InstanceRow): void {
    this.instances.set(row.instance_key, row);
  }

  async definitionOf(el: ElementRow): Promise<Definition> {
    return this.ctx.definition((await this.instance(el.instanceKey)).def_key);
  }

  async nodeOf(el: ElementRow): Promise<FlowNode> {
    const node = (await this.definitionOf(el)).model.nodes[el.elementId];
    if (!node) throw new Error(`element ${el.elementId} missing from its definition`);
    return node;
  }

  async history(el: ElementRow | null, intent: string, payload?: unknown, instanceKey?: string): Promise<void> {
    const inst = el ? await this.instance(el.instanceKey) : instanceKey ? await this.instance(instanceKey) : null;
    await appendHistory(this.db, {
      instanceKey: inst?.instance_key ?? instanceKey ?? null,
      processId: inst?.process_id ?? null,
      elementKey: el?.key ?? null,
      elementId: el?.elementId ?? null,
      elementType: el?.type ?? null,
      intent,
      at: this.now,
      payload: payload === undefined ? null : json(payload),
    });
  }

  // ─────────────────────────── driving ─────────────────────────────

  enqueue(kind: Step['kind'], key: string): void {
    this.queue.push({ kind, key });
  }

  /** Work to run once the current step has finished. */
  followUp(fn: () => Promise<void>): void {
    this.followUps.push(fn);
  }

  /** Runs queued steps until the instance reaches its next wait state. */
  async drain(): Promise<void> {
    while (this.queue.length || this.followUps.length) {
      if (this.followUps.length) {
        await this.runFollowUps();
        continue;
      }
      const step = this.queue.shift()!;
      const el = await this.element(step.key);
      if (!el) continue; // terminated meanwhile
      if (step.kind === 'activate' && ++this.activations > this.ctx.maxActivationsPerCommand) throw this.endlessLoop(el);
      try {
        if (step.kind === 'activate') await activate(this, el);
        else if (step.kind === 'complete') await complete(this, el);
        else await runTaskListeners(this, el);
      } catch (err) {
        if (!(err instanceof Incident)) throw err;
        this.followUps = [];
        await raiseIncident(this, el, step.kind, err);
      }
    }
  }

  /**
   * A command that activates this many elements without reaching a wait state loops (a cycle of parallel gateways,
   * a recursion fanning out through call activities): Zeebe runs such a loop on batch after batch for ever; here a
   * command runs to its next wait state in one transaction, so it is refused whole, quickly, naming where it was.
   */
  private endlessLoop(el: ElementRow): EngineError {
    return new EngineError(
      'INVALID_STATE',
      `Expected the command to reach a wait state, but it activated more than ${this.ctx.maxActivationsPerCommand} elements without one (last '${el.elementId}' of process instance ${el.instanceKey}): an endless loop in the process? Nothing of the command was kept.`,
      { maxActivationsPerCommand: this.ctx.maxActivationsPerCommand, elementId: el.elementId, processInstanceKey: el.instanceKey },
    );
  }

  private async runFollowUps(): Promise<void> {
    while (this.followUps.length) {
      const work = this.followUps;
      this.followUps = [];
      for (const fn of work) await fn();
    }
  }
}
