import { EventEmitter } from 'node:events';
import { EngineError, type Engine, type HistoryEvent } from '../../../engine/index.js';
import type { ElementListeners, ListenerSpec } from './listener-catalogue.js';

export interface UserTaskProperties {
  userTaskKey: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  priority: number;
  action?: string;
  changedAttributes: string[];
}

export interface SimListenerJob {
  key: string;
  type: string;
  kind: 'EXECUTION_LISTENER' | 'TASK_LISTENER';
  listenerEventType: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  elementId: string;
  elementInstanceKey: string;
  userTask?: UserTaskProperties;
  /** an execution listener's: the instance's variables when its element event was read (see `variablesOf`) */
  variablesAtEvent?: Record<string, unknown>;
  retries: number;
  state: 'READY' | 'ACTIVATED' | 'FAILED';
  retryAt: number;
  deadline: number;
  worker: string | null;
  errorMessage: string | null;
}

const TASK_EVENTS: Record<string, { eventType: string; action?: string; changed?: string[] }> = {
  USER_TASK_CREATED: { eventType: 'creating' },
  USER_TASK_ASSIGNED: { eventType: 'assigning', action: 'assign', changed: ['assignee'] },
  USER_TASK_UPDATED: { eventType: 'updating', action: 'update' },
  USER_TASK_COMPLETED: { eventType: 'completing', action: 'complete' },
  USER_TASK_CANCELED: { eventType: 'canceling' },
};

/**
 * Listener jobs the way a cluster hands them out, made from the embedded engine's history stream:
 * ELEMENT_ACTIVATED → start execution listeners, ELEMENT_COMPLETED → end execution listeners (none on
 * termination, as in Zeebe), USER_TASK_* → the task listeners of that event type.
 *
 * What it does not do: block the engine. On a cluster the element (or task transition) waits for its
 * listener; here the engine has already moved on. What it keeps of blocking: the listener jobs of one
 * instance come out one at a time, in history order (the next only after the previous was completed),
 * and a user-task command waits for its own task listener (see `waitForTaskListener`).
 *
 * Keys come from a range of their own (Zeebe's partition 2), so they never meet the engine's.
 */
export class ListenerJobs extends EventEmitter {
  private readonly jobs = new Map<string, SimListenerJob>();
  private readonly queues = new Map<string, SimListenerJob[]>();
  private readonly taskWaiters = new Map<string, Array<() => void>>();
  private readonly instanceDefs = new Map<string, { defKey: string; bpmnProcessId: string; version: number }>();
  /** element instances whose ELEMENT_ACTIVATED was read, and task listener jobs held until it is */
  private readonly activatedElements = new Set<string>();
  private readonly held = new Map<string, Array<() => void>>();
  private nextKey = (2n << 51n) + 1n;
  private position = 0;
  private pumping: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly engine: Engine,
    private readonly listenersOf: (processDefinitionKey: string, elementId: string) => ElementListeners | undefined,
    private readonly onError: (err: unknown) => void,
  ) {
    super();
    this.setMaxListeners(0);
    engine.on('committed', this.kick);
  }

  stop(): void {
    this.engine.off('committed', this.kick);
  }

  private readonly kick = (): void => {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch(this.onError)
      .finally(() => {
        this.pumping = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  };

  private async pump(): Promise<void> {
    for (;;) {
      const batch = await this.engine.readHistory(this.position, 500);
      if (!batch.length) return;
      for (const h of batch) {
        await this.fromHistory(h);
        this.position = h.position;
      }
    }
  }

  private async definitionOf(processInstanceKey: string) {
    let d = this.instanceDefs.get(processInstanceKey);
    if (!d) {
      const inst = await this.engine.getInstance(processInstanceKey);
      if (!inst) return null;
      d = { defKey: inst.processDefinitionKey, bpmnProcessId: inst.bpmnProcessId, version: inst.version };
      this.instanceDefs.set(processInstanceKey, d);
    }
    return d;
  }

  private async fromHistory(h: HistoryEvent): Promise<void> {
    if (!h.processInstanceKey || !h.elementId) return;
    const isExec = h.intent === 'ELEMENT_ACTIVATED' || h.intent === 'ELEMENT_COMPLETED';
    const task = TASK_EVENTS[h.intent];
    const elementKey = h.elementInstanceKey ?? h.processInstanceKey;
    if (h.intent === 'ELEMENT_TERMINATED') this.activatedElements.delete(elementKey);
    if (!isExec && !task) return;
    const def = await this.definitionOf(h.processInstanceKey);
    if (!def) return;
    const listeners = this.listenersOf(def.defKey, h.elementId);
    const base = {
      processInstanceKey: h.processInstanceKey,
      processDefinitionKey: def.defKey,
      bpmnProcessId: def.bpmnProcessId,
      version: def.version,
      elementId: h.elementId,
      elementInstanceKey: elementKey,
    };
    if (isExec) {
      const eventType = h.intent === 'ELEMENT_ACTIVATED' ? 'start' : 'end';
      const specs = listeners?.execution.filter((x) => x.eventType === eventType) ?? [];
      const variablesAtEvent = specs.length ? await this.engine.getVariables(h.processInstanceKey) : undefined;
      for (const l of specs) this.enqueue(l, 'EXECUTION_LISTENER', eventType.toUpperCase(), { ...base, variablesAtEvent });
      if (eventType === 'start') {
        this.activatedElements.add(elementKey);
        for (const held of this.held.get(elementKey) ?? []) held();
        this.held.delete(elementKey);
      } else this.activatedElements.delete(elementKey);
      return;
    }
    const matching = listeners?.task.filter((x) => x.eventType === task!.eventType) ?? [];
    if (!matching.length) return;
    const userTask = await this.userTaskProperties(h, task!);
    if (!userTask) return;
    const create = () => {
      for (const l of matching) this.enqueue(l, 'TASK_LISTENER', task!.eventType.toUpperCase(), { ...base, userTask });
    };
    // the engine writes USER_TASK_CREATED before the element's ELEMENT_ACTIVATED; on a cluster the start
    // listener runs before the task is created, so the task's listener jobs wait for the element's start
    if (this.activatedElements.has(elementKey)) create();
    else this.held.set(elementKey, [...(this.held.get(elementKey) ?? []), create]);
  }

  private async userTaskProperties(h: HistoryEvent, t: { action?: string; changed?: string[] }): Promise<UserTaskProperties | null> {
    const key = String(h.payload?.['userTaskKey'] ?? '');
    const current = await this.engine.getUserTask(key);
    if (!current) return null;
    const p = (h.payload ?? {}) as Record<string, unknown>;
    const form = current.formKey ? null : current.formId ? await this.engine.getForm(current.formId) : null;
    const props: UserTaskProperties = {
      userTaskKey: key,
      assignee: h.intent === 'USER_TASK_CREATED' ? null : 'assignee' in p ? (p['assignee'] as string | null) : current.assignee,
      candidateGroups: (p['candidateGroups'] as string[] | undefined) ?? current.candidateGroups,
      candidateUsers: (p['candidateUsers'] as string[] | undefined) ?? current.candidateUsers,
      dueDate: 'dueDate' in p ? (p['dueDate'] as string | null) : current.dueDate,
      followUpDate: 'followUpDate' in p ? (p['followUpDate'] as string | null) : current.followUpDate,
      formKey: current.formKey ?? form?.formKey ?? null,
      priority: (p['priority'] as number | undefined) ?? current.priority,
      changedAttributes: t.changed ?? (h.intent === 'USER_TASK_UPDATED' ? Object.keys(p).filter((k) => k !== 'userTaskKey') : []),
    };
    if (t.action) props.action = t.action;
    return props;
  }

  private enqueue(
    spec: ListenerSpec,
    kind: SimListenerJob['kind'],
    listenerEventType: string,
    base: Omit<SimListenerJob, 'key' | 'type' | 'kind' | 'listenerEventType' | 'retries' | 'state' | 'retryAt' | 'deadline' | 'worker' | 'errorMessage'>,
  ): void {
    const job: SimListenerJob = {
      ...base,
      key: String(this.nextKey++),
      type: spec.type,
      kind,
      listenerEventType,
      retries: spec.retries,
      state: 'READY',
      retryAt: 0,
      deadline: 0,
      worker: null,
      errorMessage: null,
    };
    this.jobs.set(job.key, job);
    const queue = this.queues.get(job.processInstanceKey) ?? [];
    queue.push(job);
    this.queues.set(job.processInstanceKey, queue);
    if (queue.length === 1) this.emit('available', job.type);
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  get(key: string): SimListenerJob | undefined {
    return this.jobs.get(key);
  }

  /** Heads of the per-instance queues that a worker of `type` may take now (timed-out activations included). */
  activate(type: string, max: number, worker: string, timeoutMs: number): SimListenerJob[] {
    const now = Date.now();
    const out: SimListenerJob[] = [];
    for (const queue of this.queues.values()) {
      if (out.length >= max) break;
      const head = queue[0];
      if (!head || head.type !== type) continue;
      const ready = (head.state === 'READY' && head.retryAt <= now) || (head.state === 'ACTIVATED' && head.deadline <= now);
      if (!ready) continue;
      head.state = 'ACTIVATED';
      head.deadline = now + timeoutMs;
      head.worker = worker;
      out.push(head);
    }
    return out;
  }

  /** A job handed to a client that had gone away: back to the queue at once. */
  release(key: string): void {
    const job = this.jobs.get(key);
    if (job?.state === 'ACTIVATED') {
      job.state = 'READY';
      this.emit('available', job.type);
    }
  }

  private activated(key: string, action: string): SimListenerJob {
    const job = this.jobs.get(key)!;
    if (job.state !== 'ACTIVATED') {
      throw new EngineError('INVALID_STATE', `Expected to ${action} job with key '${key}', but it is in state '${job.state}'`);
    }
    return job;
  }

  complete(key: string): SimListenerJob {
    const job = this.activated(key, 'complete');
    this.jobs.delete(key);
    const queue = this.queues.get(job.processInstanceKey)!;
    queue.shift();
    if (!queue.length) this.queues.delete(job.processInstanceKey);
    else this.emit('available', queue[0]!.type);
    if (job.userTask) {
      const waiting = `${job.userTask.userTaskKey}:${job.listenerEventType}`;
      for (const resolve of this.taskWaiters.get(waiting) ?? []) resolve();
      this.taskWaiters.delete(waiting);
    }
    return job;
  }

  /** Retries left → back to the queue after the back-off; none → stuck, as a listener incident would leave it. */
  fail(key: string, retries: number, retryBackOffMs: number, errorMessage: string | null): void {
    const job = this.activated(key, 'fail');
    job.retries = retries;
    job.errorMessage = errorMessage;
    job.worker = null;
    if (retries > 0) {
      job.state = 'READY';
      job.retryAt = Date.now() + retryBackOffMs;
      setTimeout(() => this.emit('available', job.type), retryBackOffMs).unref();
    } else job.state = 'FAILED';
  }

  updateRetries(key: string, retries: number): void {
    const job = this.jobs.get(key)!;
    job.retries = retries;
    if (job.state === 'FAILED') {
      job.state = 'READY';
      this.emit('available', job.type);
    }
  }

  /**
   * On a cluster an assign / update / complete request is answered only when the transition is
   * finished, i.e. after its task listeners completed. Resolves at once if the task has no listener
   * for that event; else when the listener job of that task and event is completed.
   */
  async waitForTaskListener(userTaskKey: string, processDefinitionKey: string, elementId: string, eventType: string, timeoutMs: number): Promise<boolean> {
    const listeners = this.listenersOf(processDefinitionKey, elementId);
    if (!listeners?.task.some((l) => l.eventType === eventType)) return true;
    const waiting = `${userTaskKey}:${eventType.toUpperCase()}`;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const list = this.taskWaiters.get(waiting) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.taskWaiters.set(waiting, list);
    });
  }
}
