import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { evaluateFeel, evaluateFeelRaw, resolveValue } from '../feel/feel.js';
import type { FlowNode, Mapping, ProcessModel, ValueSpec } from '../model/types.js';
import type { SqlDriver } from '../store/driver.js';
import type { KeyGenerator } from './keys.js';
import type { ElementData, ElementRow, InstanceRow, JobRow, SubscriptionRow, TimerRow, UserTaskRow } from './rows.js';
import { firstDueTime, type TimerPlan } from './timer-plan.js';

/** A failed evaluation inside a step: becomes an incident on the element instead of an exception. */
export class Incident extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

export interface Definition {
  defKey: string;
  processId: string;
  version: number;
  model: ProcessModel;
}

/** What the engine needs from its surroundings while it runs one command. */
export interface RunContext {
  driver: SqlDriver;
  clock: Clock;
  keys: KeyGenerator;
  definition(defKey: string): Definition;
  latest(processId: string): Definition | undefined;
}

/** Things to tell the outside world once the command's transaction has committed. */
export interface RunEffects {
  jobTypes: Set<string>;
  userTaskEvents: Array<{ intent: string; taskKey: string }>;
  incidents: string[];
  earliestDue: number | null;
}

type Step = { kind: 'activate' | 'complete'; key: string };
type Vars = Record<string, unknown>;

const MI_BODY = 'multiInstanceBody';

interface ElementDbRow {
  element_key: string;
  instance_key: string;
  element_id: string;
  element_type: string;
  scope_key: string | null;
  state: ElementRow['state'];
  data: string | null;
}

function toRow(r: ElementDbRow): ElementRow {
  return {
    key: r.element_key, instanceKey: r.instance_key, elementId: r.element_id, type: r.element_type,
    scopeKey: r.scope_key, state: r.state, data: r.data ? (JSON.parse(r.data) as ElementData) : {},
  };
}

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * Executes one command's worth of BPMN semantics inside the caller's transaction: activates and
 * completes elements, takes flows, opens and closes subscriptions, records history. Everything it
 * changes is written through to SQL at once (as `write`s, which the MySQL driver sends together with
 * the next read); nothing survives the command in memory.
 */
export class Run {
  private readonly queue: Step[] = [];
  /** work that must wait until the current step has finished (e.g. correlating a buffered message) */
  private followUps: Array<() => Promise<void>> = [];
  private readonly cache = new Map<string, ElementRow | null>();
  /**
   * Scopes whose every variable this command knows, name → JSON text as stored: the scopes it created and
   * the scopes it read whole. Its own writes go through, so a scope is read at most once per command
   * rather than at every evaluation (on MySQL each read is a round trip of the engine's only writer).
   * Text rather than values: callers may change the values they are handed.
   */
  private readonly knownVariables = new Map<string, Map<string, string>>();
  private readonly instances = new Map<string, InstanceRow>();
  readonly effects: RunEffects = { jobTypes: new Set(), userTaskEvents: [], incidents: [], earliestDue: null };

  constructor(private readonly ctx: RunContext) {}

  get now(): number {
    return this.ctx.clock.now();
  }

  private get db(): SqlDriver {
    return this.ctx.driver;
  }

  // ───────────────────────────── rows ─────────────────────────────

  async element(key: string): Promise<ElementRow | null> {
    if (this.cache.has(key)) return this.cache.get(key)!;
    const r = await this.db.get<ElementDbRow>('SELECT * FROM eng_element WHERE element_key = ?', [key]);
    const row = r ? toRow(r) : null;
    this.cache.set(key, row);
    return row;
  }

  async children(scopeKey: string): Promise<ElementRow[]> {
    const rows = await this.db.all<ElementDbRow>('SELECT * FROM eng_element WHERE scope_key = ? ORDER BY element_key', [scopeKey]);
    return rows.map((r) => {
      const cached = this.cache.get(r.element_key);
      if (cached) return cached;
      const row = toRow(r);
      this.cache.set(row.key, row);
      return row;
    });
  }

  private async insertElement(row: ElementRow): Promise<void> {
    await this.db.write(
      'INSERT INTO eng_element (element_key, instance_key, element_id, element_type, scope_key, state, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [row.key, row.instanceKey, row.elementId, row.type, row.scopeKey, row.state, Object.keys(row.data).length ? json(row.data) : null],
    );
    this.cache.set(row.key, row);
    this.knownVariables.set(row.key, new Map()); // a new key: no variables yet
  }

  async saveElement(row: ElementRow): Promise<void> {
    await this.db.write('UPDATE eng_element SET state = ?, data = ? WHERE element_key = ?', [
      row.state, Object.keys(row.data).length ? json(row.data) : null, row.key,
    ]);
  }

  private async deleteElement(row: ElementRow): Promise<void> {
    await this.db.write('DELETE FROM eng_element WHERE element_key = ?', [row.key]);
    await this.db.write('DELETE FROM eng_variable WHERE scope_key = ?', [row.key]);
    this.cache.set(row.key, null);
    this.knownVariables.delete(row.key);
  }

  async instance(key: string): Promise<InstanceRow> {
    let row = this.instances.get(key);
    if (!row) {
      row = await this.db.get<InstanceRow>('SELECT * FROM eng_instance WHERE instance_key = ?', [key]);
      if (!row) throw new EngineError('NOT_FOUND', `process instance ${key} not found`);
      this.instances.set(key, row);
    }
    return row;
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
    await this.db.write(
      'INSERT INTO eng_history (instance_key, process_id, element_key, element_id, element_type, intent, at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [inst?.instance_key ?? instanceKey ?? null, inst?.process_id ?? null, el?.key ?? null, el?.elementId ?? null, el?.type ?? null, intent, this.now, payload === undefined ? null : json(payload)],
    );
  }

  // ─────────────────────────── variables ───────────────────────────

  /** Scope keys from the element up to the process instance: closest first. */
  async scopeChain(key: string): Promise<string[]> {
    const chain: string[] = [];
    let current: ElementRow | null = await this.element(key);
    while (current) {
      chain.push(current.key);
      current = current.scopeKey ? await this.element(current.scopeKey) : null;
    }
    return chain;
  }

  async variablesOf(scopeKeys: string[]): Promise<Map<string, Map<string, unknown>>> {
    const unknown = scopeKeys.filter((k) => !this.knownVariables.has(k));
    if (unknown.length) {
      const rows = await this.db.all<{ scope_key: string; name: string; value: string }>(
        `SELECT scope_key, name, value FROM eng_variable WHERE scope_key IN (${unknown.map(() => '?').join(', ')})`,
        unknown,
      );
      for (const k of unknown) this.knownVariables.set(k, new Map());
      for (const r of rows) this.knownVariables.get(r.scope_key)!.set(r.name, r.value);
    }
    const result = new Map<string, Map<string, unknown>>();
    for (const k of scopeKeys) {
      const known = this.knownVariables.get(k)!;
      if (known.size) result.set(k, new Map([...known].map(([name, text]) => [name, JSON.parse(text) as unknown])));
    }
    return result;
  }

  /** Every variable the element can see, the closest scope winning: the FEEL context. */
  async visible(key: string): Promise<Vars> {
    const chain = await this.scopeChain(key);
    const byScope = await this.variablesOf(chain);
    const vars: Vars = {};
    for (const scope of [...chain].reverse()) for (const [name, value] of byScope.get(scope) ?? []) vars[name] = value;
    return vars;
  }

  async localVariables(scopeKey: string): Promise<Vars> {
    return Object.fromEntries((await this.variablesOf([scopeKey])).get(scopeKey) ?? []);
  }

  /**
   * Sets one variable in one scope. `known` saves the lookup when the caller already read the scope:
   * `false` = not there, `{ value }` = there with that value; left out, the row is looked up.
   */
  async setLocal(scopeKey: string, instanceKey: string, name: string, value: unknown, known?: false | { value: unknown }): Promise<void> {
    const text = json(value);
    let current: string | undefined;
    const scope = this.knownVariables.get(scopeKey);
    if (known === undefined) {
      current = scope ? scope.get(name) : (await this.db.get<{ value: string }>('SELECT value FROM eng_variable WHERE scope_key = ? AND name = ?', [scopeKey, name]))?.value;
    } else if (known) current = json(known.value);
    if (current === text) return; // unchanged: Zeebe records no update either
    const present = current !== undefined;
    if (present) await this.db.write('UPDATE eng_variable SET value = ? WHERE scope_key = ? AND name = ?', [text, scopeKey, name]);
    else await this.db.write('INSERT INTO eng_variable (scope_key, name, instance_key, value) VALUES (?, ?, ?, ?)', [scopeKey, name, instanceKey, text]);
    scope?.set(name, text);
    await this.db.write(
      'INSERT INTO eng_history (instance_key, process_id, element_key, element_id, element_type, intent, at, payload) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)',
      [instanceKey, (await this.instance(instanceKey)).process_id, scopeKey, present ? 'VARIABLE_UPDATED' : 'VARIABLE_CREATED', this.now, json({ name, value })],
    );
  }

  /** Zeebe propagation: update each variable where it already exists up the chain, else create it at the root. */
  async propagate(fromScopeKey: string, vars: Vars): Promise<void> {
    const names = Object.keys(vars);
    if (!names.length) return;
    const chain = await this.scopeChain(fromScopeKey);
    const byScope = await this.variablesOf(chain);
    const root = chain[chain.length - 1]!;
    const instanceKey = (await this.element(root))!.instanceKey;
    for (const name of names) {
      const owner = chain.find((s) => byScope.get(s)?.has(name)) ?? root;
      const held = byScope.get(owner);
      await this.setLocal(owner, instanceKey, name, vars[name], held?.has(name) ? { value: held.get(name) } : false);
    }
  }

  /** Sets every variable locally on the element, reading its scope once. */
  private async setLocals(el: ElementRow, vars: Vars): Promise<void> {
    const existing = await this.localVariables(el.key);
    for (const [name, value] of Object.entries(vars)) await this.setLocal(el.key, el.instanceKey, name, value, name in existing ? { value: existing[name] } : false);
  }

  /** Variables arriving with a job completion, a message or a user task: local when output mappings follow, else propagated. */
  async applyResultVariables(el: ElementRow, node: FlowNode, vars: Vars | undefined): Promise<void> {
    if (!vars || !Object.keys(vars).length) return;
    if (node.outputs.length) {
      await this.setLocals(el, vars);
    } else {
      // Zeebe merges from the element itself: a variable it holds locally (input mapping, MI output element) stays there
      await this.propagate(el.key, vars);
    }
  }

  // ───────────────────────────── FEEL ──────────────────────────────

  async evaluate(el: ElementRow, spec: ValueSpec, what: string, context?: Vars): Promise<unknown> {
    const vars = context ?? (await this.visible(el.key));
    const r = resolveValue(spec, vars);
    if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `${what}: ${r.message}`);
    return r.value;
  }

  async evaluateString(el: ElementRow, spec: ValueSpec, what: string, context?: Vars): Promise<string> {
    const v = await this.evaluate(el, spec, what, context);
    if (typeof v === 'number' && !spec.feel) return String(v);
    if (typeof v !== 'string') throw new Incident('EXTRACT_VALUE_ERROR', `${what}: expected a string but '${spec.text}' gave ${json(v)}`);
    return v;
  }

  private evaluateMappings(mappings: Mapping[], context: Vars, what: string): Vars {
    const out: Vars = {};
    for (const m of mappings) {
      const r = resolveValue(m.source, { ...context, ...out });
      if (!r.ok) throw new Incident('IO_MAPPING_ERROR', `${what} mapping '${m.target}': ${r.message}`);
      setPath(out, m.target, r.value);
    }
    return out;
  }

  // ─────────────────────────── driving ─────────────────────────────

  enqueue(kind: Step['kind'], key: string): void {
    this.queue.push({ kind, key });
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
      try {
        if (step.kind === 'activate') await this.activate(el);
        else await this.complete(el);
      } catch (err) {
        if (!(err instanceof Incident)) throw err;
        this.followUps = [];
        await this.raiseIncident(el, step.kind, err);
      }
    }
  }

  private async runFollowUps(): Promise<void> {
    while (this.followUps.length) {
      const work = this.followUps;
      this.followUps = [];
      for (const fn of work) await fn();
    }
  }

  async raiseIncident(el: ElementRow, step: 'activate' | 'complete', incident: Incident, jobKey: string | null = null): Promise<string> {
    if (!jobKey) {
      el.state = step === 'activate' ? 'ACTIVATING' : 'COMPLETING';
      el.data.pending = step;
      await this.saveElement(el);
    }
    const key = this.ctx.keys.nextKey();
    const inst = await this.instance(el.instanceKey);
    await this.db.write(
      'INSERT INTO eng_incident (incident_key, state, instance_key, element_key, element_id, process_id, job_key, error_type, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [key, 'ACTIVE', el.instanceKey, el.key, el.elementId, inst.process_id, jobKey, incident.errorType, incident.message, this.now],
    );
    await this.history(el, 'INCIDENT_CREATED', { incidentKey: key, errorType: incident.errorType, errorMessage: incident.message, jobKey });
    this.effects.incidents.push(key);
    return key;
  }

  // ───────────────────────── instances ─────────────────────────────

  async createInstance(def: Definition, vars: Vars, startId: string | null, extra: Partial<InstanceRow> = {}, triggerVars?: Vars): Promise<string> {
    const key = this.ctx.keys.nextKey();
    const row: InstanceRow = {
      instance_key: key, def_key: def.defKey, process_id: def.processId, version: def.version, state: 'ACTIVE',
      parent_instance_key: extra.parent_instance_key ?? null, parent_element_key: extra.parent_element_key ?? null,
      start_correlation_key: extra.start_correlation_key ?? null, started_at: this.now, ended_at: null,
    };
    await this.db.write(
      'INSERT INTO eng_instance (instance_key, def_key, process_id, version, state, parent_instance_key, parent_element_key, start_correlation_key, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [key, def.defKey, def.processId, def.version, 'ACTIVE', row.parent_instance_key, row.parent_element_key, row.start_correlation_key, this.now],
    );
    this.instances.set(key, row);
    const root: ElementRow = { key, instanceKey: key, elementId: def.processId, type: 'process', scopeKey: null, state: 'ACTIVE', data: {} };
    await this.insertElement(root);
    for (const [name, value] of Object.entries(vars)) await this.setLocal(key, key, name, value, false);
    await this.history(root, 'ELEMENT_ACTIVATED', { version: def.version, parentInstanceKey: row.parent_instance_key });
    const processNode = def.model.nodes[def.processId]!;
    await this.openEventSubProcessSubscriptions(root, processNode);
    const start = startId ?? def.model.noneStart;
    if (!start) throw new EngineError('INVALID_STATE', `process ${def.processId} has no none start event`);
    const startEl = await this.newElement(root, start, 'startEvent');
    if (triggerVars) startEl.data.triggerVariables = triggerVars;
    this.enqueue('activate', startEl.key);
    return key;
  }

  private async newElement(scope: ElementRow, elementId: string, type: string, data: ElementData = {}): Promise<ElementRow> {
    const row: ElementRow = { key: this.ctx.keys.nextKey(), instanceKey: scope.instanceKey, elementId, type, scopeKey: scope.key, state: 'ACTIVATING', data };
    await this.insertElement(row);
    return row;
  }

  // ───────────────────────── activation ────────────────────────────

  async activate(el: ElementRow): Promise<void> {
    const node = await this.nodeOf(el);
    if (el.type === MI_BODY) return this.activateMultiInstanceBody(el, node);
    const context = await this.visible(el.key);
    const inputs = node.inputs.length ? this.evaluateMappings(node.inputs, context, 'input') : null;
    const innerOfMi = el.data.loopCounter !== undefined;
    // Evaluate everything that can fail before writing anything: an incident leaves no half-done work.
    const ctxWithInputs = inputs ? { ...context, ...inputs } : context;
    const boundaries = innerOfMi ? [] : await this.planBoundaries(el, node, ctxWithInputs);
    const prepared = await this.prepareBehaviour(el, node, ctxWithInputs);
    if (inputs) for (const [name, value] of Object.entries(inputs)) await this.setLocal(el.key, el.instanceKey, name, value);
    if (el.data.pending) delete el.data.pending;
    el.state = 'ACTIVE';
    await this.saveElement(el);
    for (const b of boundaries) await b();
    await prepared();
    // Zeebe writes the job / user task first, then the element's ACTIVATED record
    await this.history(el, 'ELEMENT_ACTIVATED');
  }

  /** Boundary-event subscriptions of an activity, evaluated now and opened by the returned thunks. */
  private async planBoundaries(el: ElementRow, node: FlowNode, context: Vars): Promise<Array<() => Promise<void>>> {
    const model = (await this.definitionOf(el)).model;
    const plans: Array<() => Promise<void>> = [];
    for (const id of node.boundaryEvents) {
      const b = model.nodes[id]!;
      const plan = await this.planEventSubscription(el, b, context, id);
      if (plan) plans.push(plan);
    }
    return plans;
  }

  /** A thunk that opens the timer / message / signal subscription of `event`, owned by `owner`. */
  private async planEventSubscription(owner: ElementRow, event: FlowNode, context: Vars, elementId: string): Promise<(() => Promise<void>) | null> {
    const def = event.event;
    if (!def) return null;
    if (def.kind === 'timer') {
      const raw = def.timer.value.feel ? evaluateFeelRaw(def.timer.value.text, context) : { ok: true as const, value: def.timer.value.text };
      if (!raw.ok) throw new Incident('EXTRACT_VALUE_ERROR', `timer of ${event.id}: ${raw.message}`);
      const plan = firstDueTime(def.timer.type, raw.value, this.now);
      if (typeof plan === 'string') throw new Incident('EXTRACT_VALUE_ERROR', `timer of ${event.id}: ${plan}`);
      return () => this.insertTimer(owner, elementId, plan);
    }
    if (def.kind === 'message') {
      const name = await this.evaluateString(owner, def.messageName, `message name of ${event.id}`, context);
      const correlationKey = def.correlationKey ? await this.evaluateCorrelationKey(owner, def.correlationKey, event.id, context) : '';
      return () => this.openMessageSubscription(owner, elementId, name, correlationKey);
    }
    if (def.kind === 'signal') {
      const name = await this.evaluateString(owner, def.signalName, `signal name of ${event.id}`, context);
      return async () => { await this.insertSubscription(owner, elementId, 'signal', name, null); };
    }
    return null;
  }

  private async evaluateCorrelationKey(el: ElementRow, spec: ValueSpec, id: string, context: Vars): Promise<string> {
    const v = await this.evaluate(el, spec, `correlation key of ${id}`, context);
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    throw new Incident('EXTRACT_VALUE_ERROR', `correlation key of ${id}: expected a string or number but '${spec.text}' gave ${json(v)}`);
  }

  async insertTimer(owner: ElementRow | null, elementId: string, plan: TimerPlan, defKey?: string): Promise<void> {
    const def = owner ? (await this.definitionOf(owner)).defKey : defKey!;
    await this.db.write(
      'INSERT INTO eng_timer (timer_key, due_at, instance_key, element_key, element_id, def_key, repetitions, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [this.ctx.keys.nextKey(), plan.dueAt, owner?.instanceKey ?? null, owner?.key ?? null, elementId, def, plan.repetitions, plan.interval ? json(plan.interval) : null],
    );
    if (this.effects.earliestDue === null || plan.dueAt < this.effects.earliestDue) this.effects.earliestDue = plan.dueAt;
  }

  private async insertSubscription(owner: ElementRow, elementId: string, kind: 'message' | 'signal', name: string, correlationKey: string | null): Promise<string> {
    const key = this.ctx.keys.nextKey();
    await this.db.write(
      'INSERT INTO eng_subscription (sub_key, kind, name, correlation_key, instance_key, element_key, element_id, process_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [key, kind, name, correlationKey, owner.instanceKey, owner.key, elementId, (await this.instance(owner.instanceKey)).process_id, this.now],
    );
    return key;
  }

  /** Opens a message subscription; a matching buffered message correlates at once (FIFO, once per process). */
  private async openMessageSubscription(owner: ElementRow, elementId: string, name: string, correlationKey: string): Promise<void> {
    const processId = (await this.instance(owner.instanceKey)).process_id;
    const buffered = await this.db.get<{ message_key: string; variables: string }>(
      `SELECT m.message_key, m.variables FROM eng_message m
        WHERE m.name = ? AND m.correlation_key = ? AND m.expires_at > ?
          AND NOT EXISTS (SELECT 1 FROM eng_message_correlation c WHERE c.message_key = m.message_key AND c.process_id = ?)
        ORDER BY m.message_key LIMIT 1`,
      [name, correlationKey, this.now, processId],
    );
    const subKey = await this.insertSubscription(owner, elementId, 'message', name, correlationKey);
    if (buffered) {
      await this.db.write('INSERT INTO eng_message_correlation (message_key, process_id) VALUES (?, ?)', [buffered.message_key, processId]);
      // correlate once the activation has finished, as a follow-up (the element may have other subscriptions to open)
      this.followUps.push(async () => {
        const sub = await this.db.get<SubscriptionRow>('SELECT * FROM eng_subscription WHERE sub_key = ?', [subKey]);
        if (sub) await this.triggerSubscription(sub, JSON.parse(buffered.variables) as Vars, buffered.message_key);
      });
    }
  }

  /** Evaluates what the element needs (job, user task, subscriptions…) and returns the writes to do. */
  private async prepareBehaviour(el: ElementRow, node: FlowNode, context: Vars): Promise<() => Promise<void>> {
    switch (node.type) {
      case 'serviceTask': case 'sendTask': case 'businessRuleTask':
        return this.prepareJob(el, node, context);
      case 'scriptTask': {
        if (node.job) return this.prepareJob(el, node, context);
        const r = evaluateFeel(node.script!.expression.text, context);
        if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `script of ${node.id}: ${r.message}`);
        return async () => {
          await this.applyResultVariables(el, node, { [node.script!.resultVariable]: r.value });
          this.enqueue('complete', el.key);
        };
      }
      case 'userTask':
        return this.prepareUserTask(el, node, context);
      case 'receiveTask': case 'intermediateCatchEvent': {
        if (node.event?.kind === 'link') return async () => this.enqueue('complete', el.key);
        const open = await this.planEventSubscription(el, node, context, node.id);
        return async () => {
          if (el.data.triggerVariables !== undefined) {
            // reached through an event-based gateway: the trigger already happened
            const vars = el.data.triggerVariables;
            delete el.data.triggerVariables;
            await this.applyResultVariables(el, node, vars);
            this.enqueue('complete', el.key);
          } else await open!();
        };
      }
      case 'eventBasedGateway': {
        const model = (await this.definitionOf(el)).model;
        const opens: Array<() => Promise<void>> = [];
        for (const fid of node.outgoing) {
          const target = model.nodes[model.flows[fid]!.targetId]!;
          const open = await this.planEventSubscription(el, target, context, target.id);
          if (open) opens.push(open);
        }
        return async () => {
          for (const open of opens) await open();
        };
      }
      case 'startEvent': case 'boundaryEvent':
        return async () => {
          const vars = el.data.triggerVariables;
          delete el.data.triggerVariables;
          if (vars && node.type === 'boundaryEvent' && node.event?.kind === 'error') {
            // Zeebe: an error boundary keeps the error variables to itself; only output mappings carry them on
            for (const [name, value] of Object.entries(vars)) await this.setLocal(el.key, el.instanceKey, name, value, false);
          } else await this.applyResultVariables(el, node, vars);
          this.enqueue('complete', el.key);
        };
      case 'intermediateThrowEvent': case 'endEvent':
        return this.prepareThrow(el, node, context);
      case 'subProcess':
        return async () => {
          await this.openEventSubProcessSubscriptions(el, node);
          const start = await this.newElement(el, node.startEvents[0]!, 'startEvent');
          this.enqueue('activate', start.key);
        };
      case 'eventSubProcess':
        return async () => {
          await this.openEventSubProcessSubscriptions(el, node);
          const start = await this.newElement(el, node.startEvents[0]!, 'startEvent');
          if (el.data.triggerVariables) {
            start.data.triggerVariables = el.data.triggerVariables;
            delete el.data.triggerVariables;
            await this.saveElement(start);
            await this.saveElement(el);
          }
          this.enqueue('activate', start.key);
        };
      case 'callActivity':
        return this.prepareCall(el, node, context);
      default:
        // manual task, undefined task, gateways: nothing to wait for
        return async () => this.enqueue('complete', el.key);
    }
  }

  private async prepareJob(el: ElementRow, node: FlowNode, context: Vars): Promise<() => Promise<void>> {
    const type = await this.evaluateString(el, node.job!.type, `job type of ${node.id}`, context);
    const retriesRaw = await this.evaluate(el, node.job!.retries, `job retries of ${node.id}`, context);
    const retries = Number(retriesRaw);
    if (!Number.isInteger(retries) || retries < 0) throw new Incident('EXTRACT_VALUE_ERROR', `job retries of ${node.id}: expected a whole number but got ${json(retriesRaw)}`);
    return async () => {
      const inst = await this.instance(el.instanceKey);
      const key = this.ctx.keys.nextKey();
      await this.db.write(
        'INSERT INTO eng_job (job_key, type, state, instance_key, element_key, element_id, process_id, def_key, retries, retry_at, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [key, type, 'ACTIVATABLE', el.instanceKey, el.key, el.elementId, inst.process_id, inst.def_key, retries, 0, json(node.job!.headers), this.now],
      );
      await this.history(el, 'JOB_CREATED', { jobKey: key, type, retries });
      this.effects.jobTypes.add(type);
    };
  }

  private async prepareUserTask(el: ElementRow, node: FlowNode, context: Vars): Promise<() => Promise<void>> {
    const spec = node.userTask!;
    const str = async (v: ValueSpec | null, what: string) => (v ? await this.evaluateString(el, v, `${what} of ${node.id}`, context) : null);
    const list = async (v: ValueSpec | null, what: string): Promise<string[]> => {
      if (!v) return [];
      const value = await this.evaluate(el, v, `${what} of ${node.id}`, context);
      if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
      if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
      throw new Incident('EXTRACT_VALUE_ERROR', `${what} of ${node.id}: expected a list of strings but got ${json(value)}`);
    };
    const date = async (v: ValueSpec | null, what: string): Promise<string | null> => {
      const s = await str(v, what);
      if (s === null || s === '') return null;
      if (Number.isNaN(Date.parse(s))) throw new Incident('EXTRACT_VALUE_ERROR', `${what} of ${node.id}: '${s}' is not a date-time`);
      return new Date(Date.parse(s)).toISOString();
    };
    const assignee = await str(spec.assignee, 'assignee');
    const candidateGroups = await list(spec.candidateGroups, 'candidate groups');
    const candidateUsers = await list(spec.candidateUsers, 'candidate users');
    const dueDate = await date(spec.dueDate, 'due date');
    const followUpDate = await date(spec.followUpDate, 'follow-up date');
    let priority = 50;
    if (spec.priority) {
      const p = Number(await this.evaluate(el, spec.priority, `priority of ${node.id}`, context));
      if (!Number.isInteger(p) || p < 0 || p > 100) throw new Incident('EXTRACT_VALUE_ERROR', `priority of ${node.id}: expected a whole number from 0 to 100`);
      priority = p;
    }
    return async () => {
      const inst = await this.instance(el.instanceKey);
      const key = this.ctx.keys.nextKey();
      await this.db.write(
        `INSERT INTO eng_user_task (task_key, state, instance_key, element_key, element_id, process_id, def_key, name, assignee, candidate_groups,
           candidate_users, due_date, follow_up_date, form_id, form_key, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [key, 'CREATED', el.instanceKey, el.key, el.elementId, inst.process_id, inst.def_key, node.name, assignee || null, json(candidateGroups),
          json(candidateUsers), dueDate, followUpDate, spec.formId, spec.formKey, priority, this.now],
      );
      await this.history(el, 'USER_TASK_CREATED', { userTaskKey: key, assignee: null, candidateGroups, candidateUsers, dueDate, followUpDate, formId: spec.formId, priority });
      this.effects.userTaskEvents.push({ intent: 'CREATED', taskKey: key });
      if (assignee) {
        // Zeebe 8.8 creates the task first and assigns it in a second step
        await this.history(el, 'USER_TASK_ASSIGNED', { userTaskKey: key, assignee });
        this.effects.userTaskEvents.push({ intent: 'ASSIGNED', taskKey: key });
      }
    };
  }

  private async prepareThrow(el: ElementRow, node: FlowNode, context: Vars): Promise<() => Promise<void>> {
    const ev = node.event!;
    if (ev.kind === 'message' && node.job) return this.prepareJob(el, node, context);
    if (ev.kind === 'signal') {
      const name = await this.evaluateString(el, ev.signalName, `signal name of ${node.id}`, context);
      return async () => {
        const vars = await this.localVariables(el.key); // Zeebe: the throw event's input mappings travel with the signal
        await this.history(el, 'SIGNAL_THROWN', { name });
        await this.broadcastSignal(name, vars);
        if (await this.element(el.key)) this.enqueue('complete', el.key);
      };
    }
    if (ev.kind === 'error') {
      const code = ev.codeExpr ? await this.evaluateString(el, ev.codeExpr, `error code of ${node.id}`, context) : ev.errorCode!;
      return async () => {
        const caught = await this.throwError(el, code, '', {});
        if (!caught) throw new Incident('UNHANDLED_ERROR_EVENT', `error '${code}' thrown by ${node.id} was not caught`);
      };
    }
    if (ev.kind === 'escalation') {
      const code = ev.codeExpr ? await this.evaluateString(el, ev.codeExpr, `escalation code of ${node.id}`, context) : ev.escalationCode!;
      return async () => {
        await this.throwEscalation(el, code);
        if (await this.element(el.key)) this.enqueue('complete', el.key);
      };
    }
    if (ev.kind === 'terminate') {
      return async () => {
        const scope = (await this.element(el.scopeKey!))!;
        for (const child of await this.children(scope.key)) if (child.key !== el.key) await this.terminate(child);
        scope.data.joins = {};
        await this.saveElement(scope);
        this.enqueue('complete', el.key);
      };
    }
    return async () => this.enqueue('complete', el.key);
  }

  private async prepareCall(el: ElementRow, node: FlowNode, context: Vars): Promise<() => Promise<void>> {
    const processId = await this.evaluateString(el, node.call!.processId, `called process of ${node.id}`, context);
    const def = this.ctx.latest(processId);
    if (!def) throw new Incident('CALLED_ELEMENT_ERROR', `no process with id '${processId}' is deployed (called by ${node.id})`);
    if (!def.model.noneStart) throw new Incident('CALLED_ELEMENT_ERROR', `process '${processId}' has no none start event to call`);
    return async () => {
      const vars = node.call!.propagateAllParentVariables ? await this.visible(el.key) : await this.localVariables(el.key);
      const child = await this.createInstance(def, vars, null, { parent_instance_key: el.instanceKey, parent_element_key: el.key });
      await this.history(el, 'CALLED_INSTANCE_CREATED', { childInstanceKey: child, processId });
    };
  }

  private async openEventSubProcessSubscriptions(scope: ElementRow, node: FlowNode): Promise<void> {
    if (!node.eventSubProcesses.length) return;
    const model = (await this.definitionOf(scope)).model;
    const context = await this.visible(scope.key);
    for (const espId of node.eventSubProcesses) {
      const start = model.nodes[model.nodes[espId]!.startEvents[0]!]!;
      const open = await this.planEventSubscription(scope, start, context, start.id);
      if (open) await open();
    }
  }

  // ───────────────────────── multi-instance ─────────────────────────

  private async activateMultiInstanceBody(body: ElementRow, node: FlowNode): Promise<void> {
    const mi = node.multiInstance!;
    const context = await this.visible(body.key);
    const items = await this.evaluate(body, mi.inputCollection, `input collection of ${node.id}`, context);
    if (!Array.isArray(items)) throw new Incident('EXTRACT_VALUE_ERROR', `input collection of ${node.id}: expected a list but got ${json(items)}`);
    const boundaries = await this.planBoundaries(body, node, context);
    delete body.data.pending;
    body.state = 'ACTIVE';
    body.data.mi = { items, next: 0, completed: 0, terminated: 0, active: 0 };
    await this.saveElement(body);
    await this.history(body, 'ELEMENT_ACTIVATED', { items: items.length });
    if (mi.outputCollection) await this.setLocal(body.key, body.instanceKey, mi.outputCollection, items.map(() => null));
    for (const b of boundaries) await b();
    if (!items.length) {
      this.enqueue('complete', body.key);
      return;
    }
    const count = mi.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) await this.startInner(body, node);
    await this.saveElement(body);
  }

  private async startInner(body: ElementRow, node: FlowNode): Promise<void> {
    const state = body.data.mi!;
    const index = state.next++;
    state.active++;
    const inner = await this.newElement(body, node.id, node.type, { loopCounter: index + 1 });
    await this.setLocal(inner.key, inner.instanceKey, 'loopCounter', index + 1, false);
    if (node.multiInstance!.inputElement) await this.setLocal(inner.key, inner.instanceKey, node.multiInstance!.inputElement, state.items[index] ?? null, false);
    // Zeebe creates the output element's variable locally in each inner instance, so results never mix
    const out = node.multiInstance!.outputElement?.text.trim();
    if (out && /^[A-Za-z_][A-Za-z0-9_]*$/.test(out) && out !== node.multiInstance!.inputElement) await this.setLocal(inner.key, inner.instanceKey, out, null, false);
    this.enqueue('activate', inner.key);
  }

  /** An inner instance finished: collect its output, check the completion condition, go on or finish. */
  private async innerCompleted(body: ElementRow, node: FlowNode, outputValue: { value: unknown } | null, loopCounter: number): Promise<void> {
    const mi = node.multiInstance!;
    const state = body.data.mi!;
    state.active--;
    state.completed++;
    if (mi.outputCollection && outputValue) {
      const list = ((await this.localVariables(body.key))[mi.outputCollection] as unknown[] | undefined) ?? [];
      list[loopCounter - 1] = outputValue.value;
      await this.setLocal(body.key, body.instanceKey, mi.outputCollection, list);
    }
    let done = state.completed + state.terminated >= state.items.length;
    if (!done && mi.completionCondition) {
      const context = {
        ...(await this.visible(body.key)),
        numberOfInstances: state.items.length, numberOfActiveInstances: state.active,
        numberOfCompletedInstances: state.completed, numberOfTerminatedInstances: state.terminated,
      };
      const r = evaluateFeel(mi.completionCondition.text, context);
      if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `completion condition of ${node.id}: ${r.message}`);
      if (r.value !== true && r.value !== false) throw new Incident('EXTRACT_VALUE_ERROR', `completion condition of ${node.id}: expected a boolean but got ${json(r.value)}`);
      if (r.value) {
        for (const child of await this.children(body.key)) {
          await this.terminate(child);
          state.terminated++;
          state.active--;
        }
        done = true;
      }
    }
    await this.saveElement(body);
    if (done) this.enqueue('complete', body.key);
    else if (mi.sequential && state.next < state.items.length) {
      await this.startInner(body, node);
      await this.saveElement(body);
    }
  }

  // ───────────────────────── completion ────────────────────────────

  async complete(el: ElementRow): Promise<void> {
    const def = await this.definitionOf(el);
    const node = def.model.nodes[el.elementId]!;
    if (el.type === 'process') return this.completeProcess(el);
    // Evaluate outputs and the outgoing choice before changing anything.
    const isMiInner = el.data.loopCounter !== undefined;
    const isMiBody = el.type === MI_BODY;
    // nothing is written before the last evaluation below, so one read of the variables serves them all
    let visible: Vars | null = null;
    const context = async () => (visible ??= await this.visible(el.key));
    const applyOutputs = !isMiInner && node.outputs.length > 0;
    const outputs = applyOutputs ? this.evaluateMappings(node.outputs, await context(), 'output') : null;
    let miOutput: { value: unknown } | null = null;
    if (isMiInner && node.multiInstance!.outputElement) {
      const r = evaluateFeel(node.multiInstance!.outputElement.text, await context());
      if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `output element of ${node.id}: ${r.message}`);
      miOutput = { value: r.value };
    }
    if (isMiInner && node.outputs.length) {
      // inner instances apply the activity's own output mappings into the body
      const innerOut = this.evaluateMappings(node.outputs, await context(), 'output');
      await this.propagate(el.scopeKey!, innerOut);
    }
    const flows = isMiInner ? [] : await this.chooseOutgoing(node, def.model, context);
    if (isMiBody && node.multiInstance!.outputCollection) {
      const local = await this.localVariables(el.key);
      const collection = { [node.multiInstance!.outputCollection]: local[node.multiInstance!.outputCollection] ?? [] };
      if (!node.outputs.length) await this.propagate(el.scopeKey!, collection);
    }
    if (outputs) await this.propagate(el.scopeKey!, outputs);
    await this.closeSubscriptions(el);
    await this.deleteElement(el);
    await this.history(el, 'ELEMENT_COMPLETED');
    const scope = el.scopeKey ? await this.element(el.scopeKey) : null;
    if (!scope) return;
    if (isMiInner) return this.innerCompleted(scope, node, miOutput, el.data.loopCounter!);
    if (node.type === 'intermediateThrowEvent' && node.event?.kind === 'link') {
      const target = def.model.linkCatches[`${node.scopeId}/${node.event.linkName}`]!;
      const catchEl = await this.newElement(scope, target, 'intermediateCatchEvent');
      this.enqueue('activate', catchEl.key);
      return;
    }
    for (const flowId of flows) await this.takeFlow(scope, flowId, def.model);
    await this.afterChildLeft(scope);
  }

  private async chooseOutgoing(node: FlowNode, model: ProcessModel, variables: () => Promise<Vars>): Promise<string[]> {
    if (node.type === 'exclusiveGateway' || node.type === 'inclusiveGateway') {
      if (node.outgoing.length <= 1) return node.outgoing;
      const context = await variables();
      const chosen: string[] = [];
      for (const fid of node.outgoing) {
        if (fid === node.defaultFlow) continue;
        const flow = model.flows[fid]!;
        const r = evaluateFeel(flow.condition!.text, context);
        if (!r.ok) throw new Incident('CONDITION_ERROR', `condition of ${fid}: ${r.message}`);
        if (r.value !== true && r.value !== false && r.value !== null) {
          throw new Incident('CONDITION_ERROR', `condition of ${fid}: expected a boolean but '${flow.condition!.text}' gave ${json(r.value)}`);
        }
        if (r.value === true) {
          chosen.push(fid);
          if (node.type === 'exclusiveGateway') break;
        }
      }
      if (!chosen.length && node.defaultFlow) chosen.push(node.defaultFlow);
      if (!chosen.length) throw new Incident('CONDITION_ERROR', `no outgoing flow of ${node.id} has a true condition and there is no default flow`);
      return chosen;
    }
    if (node.type === 'eventBasedGateway') return []; // the triggered event is activated by the trigger itself
    return node.outgoing;
  }

  async takeFlow(scope: ElementRow, flowId: string, model: ProcessModel): Promise<void> {
    const flow = model.flows[flowId]!;
    const target = model.nodes[flow.targetId]!;
    await this.db.write(
      'INSERT INTO eng_history (instance_key, process_id, element_key, element_id, element_type, intent, at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      [scope.instanceKey, (await this.instance(scope.instanceKey)).process_id, scope.key, flowId, 'sequenceFlow', 'SEQUENCE_FLOW_TAKEN', this.now],
    );
    const isJoin = (target.type === 'parallelGateway' || target.type === 'inclusiveGateway') && target.incoming.length > 1;
    if (isJoin) {
      const joins = (scope.data.joins ??= {});
      const tokens = (joins[target.id] ??= {});
      tokens[flowId] = (tokens[flowId] ?? 0) + 1;
      await this.saveElement(scope);
      await this.tryJoin(scope, target);
      return;
    }
    const el = await this.newElement(scope, target.id, target.multiInstance ? MI_BODY : target.type);
    this.enqueue('activate', el.key);
  }

  /** Fires a converging gateway when its tokens are complete (parallel) or nothing more can arrive (inclusive). */
  private async tryJoin(scope: ElementRow, gateway: FlowNode): Promise<boolean> {
    const tokens = scope.data.joins?.[gateway.id];
    if (!tokens) return false;
    const taken = gateway.incoming.filter((f) => (tokens[f] ?? 0) > 0);
    if (!taken.length) return false;
    if (gateway.type === 'parallelGateway') {
      if (taken.length < gateway.incoming.length) return false;
    } else {
      const missing = gateway.incoming.filter((f) => !(tokens[f] ?? 0));
      if (missing.length) {
        const active = new Set((await this.children(scope.key)).map((c) => c.elementId));
        if (missing.some((f) => (gateway.reachers?.[f] ?? []).some((id) => active.has(id)))) return false;
      }
    }
    for (const f of taken) {
      tokens[f]! -= 1;
      if (!tokens[f]) delete tokens[f];
    }
    if (!Object.keys(tokens).length) delete scope.data.joins![gateway.id];
    await this.saveElement(scope);
    const el = await this.newElement(scope, gateway.id, gateway.type);
    this.enqueue('activate', el.key);
    return true;
  }

  /** A child left its scope: re-check inclusive joins, and complete the scope when nothing is left in it. */
  async afterChildLeft(scope: ElementRow): Promise<void> {
    if (scope.type === MI_BODY) return;
    const model = (await this.definitionOf(scope)).model;
    for (const gatewayId of Object.keys(scope.data.joins ?? {})) {
      const gw = model.nodes[gatewayId]!;
      if (gw.type === 'inclusiveGateway') await this.tryJoin(scope, gw);
    }
    const pendingTokens = Object.values(scope.data.joins ?? {}).some((t) => Object.values(t).some((n) => n > 0));
    if (pendingTokens) return;
    if (scope.state !== 'ACTIVE') return;
    // a child this command created or read, and has not deleted, is still there: nothing to count
    for (const row of this.cache.values()) if (row?.scopeKey === scope.key) return;
    const remaining = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM eng_element WHERE scope_key = ?', [scope.key]);
    if (Number(remaining?.n ?? 0) === 0) this.enqueue('complete', scope.key);
  }

  private async completeProcess(root: ElementRow): Promise<void> {
    const inst = await this.instance(root.instanceKey);
    const rootVars = inst.parent_element_key ? await this.localVariables(root.key) : {};
    await this.closeSubscriptions(root);
    await this.deleteElement(root);
    await this.db.write('DELETE FROM eng_variable WHERE instance_key = ?', [root.instanceKey]);
    this.knownVariables.clear(); // which known scopes were this instance's is not kept: forget them all
    await this.db.write("UPDATE eng_instance SET state = 'COMPLETED', ended_at = ? WHERE instance_key = ?", [this.now, root.instanceKey]);
    inst.state = 'COMPLETED';
    await this.history(root, 'ELEMENT_COMPLETED');
    await this.startFromBuffer(inst);
    if (inst.parent_element_key) {
      const caller = await this.element(inst.parent_element_key);
      if (!caller) return;
      const node = await this.nodeOf(caller);
      // with output mappings the child's variables are there for the mappings to read; only mapped ones go on
      const vars = node.call!.propagateAllChildVariables || node.outputs.length ? rootVars : {};
      await this.applyResultVariables(caller, node, vars);
      this.enqueue('complete', caller.key);
    }
  }

  // ───────────────────────── termination ───────────────────────────

  /** Ends an element and everything inside it: jobs, user tasks, timers, subscriptions, called instances. */
  async terminate(el: ElementRow): Promise<void> {
    for (const child of await this.children(el.key)) await this.terminate(child);
    const jobs = await this.db.all<{ job_key: string }>('SELECT job_key FROM eng_job WHERE element_key = ?', [el.key]);
    for (const j of jobs) {
      await this.db.write('DELETE FROM eng_job WHERE job_key = ?', [j.job_key]);
      await this.history(el, 'JOB_CANCELED', { jobKey: j.job_key });
    }
    // filter the state here: on the element's own index the lookup stays O(1) whatever the table size
    const tasks = (await this.db.all<{ task_key: string; state: string }>('SELECT task_key, state FROM eng_user_task WHERE element_key = ?', [el.key])).filter((t) => t.state === 'CREATED');
    for (const t of tasks) {
      await this.db.write("UPDATE eng_user_task SET state = 'CANCELED', ended_at = ? WHERE task_key = ?", [this.now, t.task_key]);
      await this.history(el, 'USER_TASK_CANCELED', { userTaskKey: t.task_key });
      this.effects.userTaskEvents.push({ intent: 'CANCELED', taskKey: t.task_key });
    }
    await this.resolveIncidentsOf(el);
    if (el.type === 'callActivity') {
      const child = (await this.db.all<{ instance_key: string; state: string }>('SELECT instance_key, state FROM eng_instance WHERE parent_element_key = ?', [el.key])).find((i) => i.state === 'ACTIVE');
      if (child) {
        const root = await this.element(child.instance_key);
        if (root) await this.terminate(root);
      }
    }
    await this.closeSubscriptions(el);
    await this.deleteElement(el);
    await this.history(el, 'ELEMENT_TERMINATED');
    if (el.type === 'process') {
      await this.db.write('DELETE FROM eng_variable WHERE instance_key = ?', [el.instanceKey]);
      this.knownVariables.clear();
      await this.db.write("UPDATE eng_instance SET state = 'TERMINATED', ended_at = ? WHERE instance_key = ?", [this.now, el.instanceKey]);
      const inst = await this.instance(el.instanceKey);
      inst.state = 'TERMINATED';
      await this.startFromBuffer(inst);
    }
  }

  /**
   * Zeebe: a message refused by a message start event because an instance with its correlation key was
   * active stays buffered, and starts a new instance once that instance has ended.
   */
  private async startFromBuffer(ended: InstanceRow): Promise<void> {
    const key = ended.start_correlation_key;
    if (!key) return;
    const starts = await this.db.all<{ def_key: string; element_id: string; name: string }>(
      "SELECT def_key, element_id, name FROM eng_start_subscription WHERE kind = 'message' AND process_id = ?", [ended.process_id]);
    for (const s of starts) {
      const m = await this.db.get<{ message_key: string; variables: string }>(
        `SELECT m.message_key, m.variables FROM eng_message m WHERE m.name = ? AND m.correlation_key = ? AND m.expires_at > ?
           AND NOT EXISTS (SELECT 1 FROM eng_message_correlation c WHERE c.message_key = m.message_key AND c.process_id = ?)
         ORDER BY m.message_key LIMIT 1`,
        [s.name, key, this.now, ended.process_id],
      );
      if (!m) continue;
      await this.db.write('INSERT INTO eng_message_correlation (message_key, process_id) VALUES (?, ?)', [m.message_key, ended.process_id]);
      const started = await this.createInstance(this.ctx.definition(s.def_key), {}, s.element_id, { start_correlation_key: key }, JSON.parse(m.variables) as Vars);
      await this.history(null, 'MESSAGE_CORRELATED', { name: s.name, correlationKey: key, messageKey: m.message_key, startEvent: s.element_id }, started);
      return;
    }
  }

  private async resolveIncidentsOf(el: ElementRow): Promise<void> {
    const incidents = (await this.db.all<{ incident_key: string; state: string }>('SELECT incident_key, state FROM eng_incident WHERE element_key = ?', [el.key])).filter((i) => i.state === 'ACTIVE');
    for (const i of incidents) {
      await this.db.write("UPDATE eng_incident SET state = 'RESOLVED', resolved_at = ? WHERE incident_key = ?", [this.now, i.incident_key]);
      await this.history(el, 'INCIDENT_RESOLVED', { incidentKey: i.incident_key, reason: 'element terminated' });
    }
  }

  async closeSubscriptions(el: ElementRow): Promise<void> {
    await this.db.write('DELETE FROM eng_timer WHERE element_key = ?', [el.key]);
    await this.db.write('DELETE FROM eng_subscription WHERE element_key = ?', [el.key]);
  }

  // ─────────────────────────── triggers ────────────────────────────

  /**
   * A timer fired or a message/signal matched: `ownerKey` holds the subscription, `eventId` is the
   * event that was waiting (the owner itself, a boundary event, an event sub-process start, or the
   * target of an event-based gateway).
   */
  async trigger(ownerKey: string, eventId: string, vars: Vars): Promise<boolean> {
    const owner = await this.element(ownerKey);
    if (!owner || owner.state !== 'ACTIVE') return false;
    const model = (await this.definitionOf(owner)).model;
    const event = model.nodes[eventId]!;
    if (event.type === 'boundaryEvent') {
      const scope = (await this.element(owner.scopeKey!))!;
      if (event.interrupting) await this.terminate(owner);
      const b = await this.newElement(scope, event.id, 'boundaryEvent', Object.keys(vars).length ? { triggerVariables: vars } : {});
      this.enqueue('activate', b.key);
      return true;
    }
    if (event.type === 'startEvent' && model.nodes[event.scopeId]!.type === 'eventSubProcess') {
      const esp = model.nodes[event.scopeId]!;
      if (event.interrupting) await this.interruptScope(owner);
      const el = await this.newElement(owner, esp.id, 'eventSubProcess', Object.keys(vars).length ? { triggerVariables: vars } : {});
      this.enqueue('activate', el.key);
      return true;
    }
    if (owner.elementId === eventId) {
      // a waiting catch event or receive task
      await this.closeSubscriptions(owner);
      await this.applyResultVariables(owner, event, vars);
      this.enqueue('complete', owner.key);
      return true;
    }
    if (owner.type === 'eventBasedGateway') {
      const scope = (await this.element(owner.scopeKey!))!;
      const gatewayNode = model.nodes[owner.elementId]!;
      const flowId = gatewayNode.outgoing.find((f) => model.flows[f]!.targetId === eventId)!;
      await this.closeSubscriptions(owner);
      await this.deleteElement(owner);
      await this.history(owner, 'ELEMENT_COMPLETED');
      await this.takeFlow(scope, flowId, model);
      const target = (await this.children(scope.key)).find((c) => c.elementId === eventId && c.state === 'ACTIVATING');
      if (target) {
        target.data.triggerVariables = vars;
        await this.saveElement(target);
      }
      return true;
    }
    return false;
  }

  /** An interrupting event sub-process takes over: everything else in the scope ends. */
  private async interruptScope(scope: ElementRow): Promise<void> {
    for (const child of await this.children(scope.key)) await this.terminate(child);
    await this.db.write('DELETE FROM eng_timer WHERE element_key = ?', [scope.key]);
    await this.db.write('DELETE FROM eng_subscription WHERE element_key = ?', [scope.key]);
    scope.data.joins = {};
    scope.data.interrupted = true;
    await this.saveElement(scope);
  }

  async triggerSubscription(sub: SubscriptionRow, vars: Vars, messageKey?: string): Promise<boolean> {
    const owner = await this.element(sub.element_key);
    if (!owner) return false;
    const model = (await this.definitionOf(owner)).model;
    const event = model.nodes[sub.element_id]!;
    const keepOpen = !event.interrupting && (event.type === 'boundaryEvent' || event.type === 'startEvent');
    if (!keepOpen) await this.db.write('DELETE FROM eng_subscription WHERE sub_key = ?', [sub.sub_key]);
    await this.history(owner, sub.kind === 'message' ? 'MESSAGE_CORRELATED' : 'SIGNAL_RECEIVED', {
      name: sub.name, correlationKey: sub.correlation_key, messageKey: messageKey ?? null, eventId: sub.element_id,
    });
    return this.trigger(sub.element_key, sub.element_id, vars);
  }

  async fireTimer(timer: TimerRow): Promise<void> {
    const interval = timer.spec ? (JSON.parse(timer.spec) as TimerPlan['interval']) : null;
    const again = interval && (timer.repetitions === -1 || timer.repetitions > 1);
    if (timer.element_key === null) {
      // a process start timer
      const def = this.ctx.definition(timer.def_key);
      await this.db.write('DELETE FROM eng_timer WHERE timer_key = ?', [timer.timer_key]);
      if (again) await this.insertTimer(null, timer.element_id, nextRepetition(timer, interval!), timer.def_key);
      const key = await this.createInstance(def, {}, timer.element_id);
      await this.history(null, 'TIMER_TRIGGERED', { timerKey: timer.timer_key, elementId: timer.element_id }, key);
      return;
    }
    const owner = await this.element(timer.element_key);
    await this.db.write('DELETE FROM eng_timer WHERE timer_key = ?', [timer.timer_key]);
    if (!owner) return;
    await this.history(owner, 'TIMER_TRIGGERED', { timerKey: timer.timer_key, eventId: timer.element_id, dueAt: timer.due_at });
    const event = (await this.definitionOf(owner)).model.nodes[timer.element_id]!;
    if (again && !event.interrupting) await this.insertTimer(owner, timer.element_id, nextRepetition(timer, interval!));
    await this.trigger(owner.key, timer.element_id, {});
  }

  // ─────────────────────── errors, escalations, signals ───────────────────────

  /** Finds the catching boundary or event sub-process, walking up scopes and call activities. */
  async throwError(from: ElementRow, code: string, message: string, vars: Vars, jobKey: string | null = null): Promise<boolean> {
    const found = await this.findCatch(from, (e) => e?.kind === 'error' && (e.errorCode === null || e.errorCode === code), (e) => e?.kind === 'error' && e.errorCode === code);
    await this.history(from, 'ERROR_THROWN', { errorCode: code, errorMessage: message, jobKey, caughtBy: found?.eventId ?? null });
    if (!found) return false;
    await this.trigger(found.owner.key, found.eventId, { ...vars });
    return true;
  }

  async throwEscalation(from: ElementRow, code: string): Promise<boolean> {
    const found = await this.findCatch(from, (e) => e?.kind === 'escalation' && (e.escalationCode === null || e.escalationCode === code), (e) => e?.kind === 'escalation' && e.escalationCode === code);
    await this.history(from, 'ESCALATION_THROWN', { escalationCode: code, caughtBy: found?.eventId ?? null });
    if (!found) return false;
    await this.trigger(found.owner.key, found.eventId, {});
    return true;
  }

  private async findCatch(
    from: ElementRow,
    matches: (e: FlowNode['event']) => boolean,
    exact: (e: FlowNode['event']) => boolean,
  ): Promise<{ owner: ElementRow; eventId: string } | null> {
    let current: ElementRow | null = from;
    while (current) {
      const model = (await this.definitionOf(current)).model;
      const node = model.nodes[current.elementId];
      // an inner instance of a multi-instance has its boundary events on the body
      const isInner = current.data.loopCounter !== undefined;
      if (node && !isInner) {
        const candidates = node.boundaryEvents.map((id) => model.nodes[id]!).filter((b) => matches(b.event));
        const pick = candidates.find((b) => exact(b.event)) ?? candidates[0];
        if (pick) return { owner: current, eventId: pick.id };
      }
      const scope: ElementRow | null = current.scopeKey ? await this.element(current.scopeKey) : null;
      if (scope && scope.type !== MI_BODY) {
        const scopeNode = model.nodes[scope.elementId]!;
        const starts = scopeNode.eventSubProcesses.map((id) => model.nodes[model.nodes[id]!.startEvents[0]!]!).filter((s) => matches(s.event));
        const pick = starts.find((s) => exact(s.event)) ?? starts[0];
        if (pick) return { owner: scope, eventId: pick.id };
      }
      if (scope) {
        current = scope;
        continue;
      }
      // left the process: continue at the call activity that started it
      const inst = await this.instance(current.instanceKey);
      current = inst.parent_element_key ? await this.element(inst.parent_element_key) : null;
    }
    return null;
  }

  async broadcastSignal(name: string, vars: Vars): Promise<void> {
    const starts = await this.db.all<{ def_key: string; element_id: string }>("SELECT def_key, element_id FROM eng_start_subscription WHERE kind = 'signal' AND name = ?", [name]);
    for (const s of starts) await this.createInstance(this.ctx.definition(s.def_key), vars, s.element_id);
    const subs = await this.db.all<SubscriptionRow>("SELECT * FROM eng_subscription WHERE kind = 'signal' AND name = ? ORDER BY sub_key", [name]);
    for (const sub of subs) await this.triggerSubscription(sub, vars);
  }

  // ───────────────────────── jobs & tasks ──────────────────────────

  async completeJob(job: JobRow, vars: Vars): Promise<void> {
    const el = await this.element(job.element_key);
    await this.db.write('DELETE FROM eng_job WHERE job_key = ?', [job.job_key]);
    if (!el) return;
    await this.history(el, 'JOB_COMPLETED', { jobKey: job.job_key, worker: job.worker, variables: vars });
    await this.applyResultVariables(el, await this.nodeOf(el), vars);
    this.enqueue('complete', el.key);
  }

  async completeUserTask(task: UserTaskRow, vars: Vars, completedBy: string | null): Promise<void> {
    await this.db.write("UPDATE eng_user_task SET state = 'COMPLETED', ended_at = ? WHERE task_key = ?", [this.now, task.task_key]);
    const el = await this.element(task.element_key);
    if (!el) return;
    await this.history(el, 'USER_TASK_COMPLETED', { userTaskKey: task.task_key, completedBy, variables: vars });
    this.effects.userTaskEvents.push({ intent: 'COMPLETED', taskKey: task.task_key });
    await this.applyResultVariables(el, await this.nodeOf(el), vars);
    this.enqueue('complete', el.key);
  }

  async setVariables(scopeKey: string, vars: Vars, local: boolean): Promise<void> {
    const el = await this.element(scopeKey);
    if (!el) throw new EngineError('NOT_FOUND', `no active element instance or process instance with key ${scopeKey}`);
    if (local) await this.setLocals(el, vars);
    else await this.propagate(el.key, vars);
  }

}

function nextRepetition(timer: TimerRow, interval: NonNullable<TimerPlan['interval']>): TimerPlan {
  return {
    dueAt: addInterval(timer.due_at, interval),
    repetitions: timer.repetitions === -1 ? -1 : timer.repetitions - 1,
    interval,
  };
}

function addInterval(from: number, interval: NonNullable<TimerPlan['interval']>): number {
  const d = new Date(from);
  if (interval.months) d.setUTCMonth(d.getUTCMonth() + interval.months);
  return d.getTime() + interval.millis;
}

/** Sets `a.b.c` targets the way Zeebe mappings do: nested contexts are created as needed. */
function setPath(target: Vars, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Vars = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (!next || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Vars;
  }
  current[parts[parts.length - 1]!] = value;
}
