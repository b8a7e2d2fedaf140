import type { CamundaClient, EnrichedActivatedJob } from '@camunda8/orchestration-cluster-api';
import type { EngineEvent, EngineEventListener, Job, UserTask } from '../workflow-engine.js';
import type { MetadataCache } from './bpmn-metadata.js';
import { readDecisionEvaluation } from './decision-instances.js';
import { stopWorkers, type WorkerRecords } from './job-workers.js';
import { TaskPoller } from './task-poller.js';

type ListenerJob = EnrichedActivatedJob;

const TASK_INTENTS: Record<string, Extract<EngineEvent, { kind: 'userTask' }>['intent']> = {
  CREATING: 'CREATED',
  ASSIGNING: 'ASSIGNED',
  UPDATING: 'UPDATED',
  COMPLETING: 'COMPLETED',
  CANCELING: 'CANCELED',
};

function iso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

export interface EventHubOptions {
  client: CamundaClient;
  metadata: MetadataCache;
  /** true: listener jobs (ywtg-history, ywtg-user-task); false: worker records + user-task search polling */
  listeners: boolean;
  historyJobType: string;
  userTaskJobType: string;
  longPollMs: number;
  taskPollIntervalMs: number;
  /** how long to wait for a business-rule task's decision instances to reach secondary storage */
  decisionWaitMs: number;
  onError: (err: unknown) => void;
}

/**
 * Turns what the cluster tells us into the port's EngineEvents and hands them to every subscriber of
 * this process, in order per process instance.
 *
 * With the listeners on, the events come from listener jobs: execution listener jobs (`ywtg-history`,
 * START → ACTIVATED, END → COMPLETED) and user task listener jobs (`ywtg-user-task`, CREATING →
 * CREATED … CANCELING → CANCELED). A listener job is completed only after every subscriber's promise
 * resolved, so delivery is at least once: a subscriber that throws gets the event again. Listener jobs
 * are blocking on the cluster, which is what keeps the events of one instance in order; here jobs of one
 * instance are additionally handed over one after the other.
 *
 * All subscribers of one process share the listener jobs: each job goes to one process of the cluster.
 * So every process that calls `subscribe` must subscribe the same set of names (e.g. audit + inbox).
 */
export class EventHub implements WorkerRecords {
  private readonly subscribers: Array<{ name: string; listener: EngineEventListener }> = [];
  private readonly chains = new Map<string, Promise<void>>();
  private stopSources: (() => Promise<void>) | null = null;

  constructor(private readonly o: EventHubOptions) {}

  async subscribe(name: string, listener: EngineEventListener): Promise<{ close(): Promise<void> }> {
    const entry = { name, listener };
    this.subscribers.push(entry);
    if (!this.stopSources) this.stopSources = this.startSources();
    return {
      close: async () => {
        const i = this.subscribers.indexOf(entry);
        if (i >= 0) this.subscribers.splice(i, 1);
        if (!this.subscribers.length) await this.close();
      },
    };
  }

  async close(): Promise<void> {
    const stop = this.stopSources;
    this.stopSources = null;
    if (stop) await stop();
    await Promise.allSettled([...this.chains.values()]);
  }

  private startSources(): () => Promise<void> {
    if (!this.o.listeners) {
      const poller = new TaskPoller(
        this.o.client,
        this.o.metadata,
        (e) => this.inOrder(e.task.processInstanceKey, e),
        this.o.taskPollIntervalMs,
        this.o.onError,
      );
      poller.start();
      return () => poller.stop();
    }
    const worker = (jobType: string) =>
      this.o.client.createJobWorker({
        jobType,
        workerName: `ywtg:${jobType}`,
        maxParallelJobs: 32,
        jobTimeoutMs: 30_000,
        pollTimeoutMs: this.o.longPollMs,
        pollIntervalMs: 100,
        // the case a called instance belongs to: Camunda's listener jobs name no parent instance, but
        // every process of ours carries `caseId` (call activities propagate it)
        fetchVariables: ['caseId'],
        jobHandler: (job: ListenerJob) => this.handleListenerJob(job),
      });
    const workers = [worker(this.o.historyJobType), worker(this.o.userTaskJobType)];
    return () => stopWorkers(workers);
  }

  private async handleListenerJob(job: ListenerJob) {
    try {
      if (!this.subscribers.length) throw new Error('no subscriber in this process any more');
      const event = await this.toEvent(job);
      const decision = await this.decisionEvent(job, event);
      if (decision) await this.inOrder(String(job.processInstanceKey), decision);
      await this.inOrder(String(job.processInstanceKey), event);
      // no variables and no result: nothing corrected, nothing denied (task listener jobs refuse variables)
      await this.o.client.completeJob({ jobKey: job.jobKey });
      return job.ignore();
    } catch (err) {
      this.o.onError(err);
      // the same retries again: a subscriber that fails never exhausts the job into an incident
      return job
        .fail({ errorMessage: `event delivery failed: ${(err as Error)?.message ?? String(err)}`, retries: Math.max(1, job.retries), retryBackOff: 2_000 })
        .catch((failErr: unknown) => {
          this.o.onError(failErr);
          return job.ignore();
        });
    }
  }

  private async toEvent(job: ListenerJob): Promise<EngineEvent> {
    const bpmnProcessId = String(job.processDefinitionId);
    const elementId = String(job.elementId);
    const info = await this.o.metadata.element(String(job.processDefinitionKey), bpmnProcessId, elementId);
    const at = new Date().toISOString();
    if (job.kind === 'EXECUTION_LISTENER') {
      if (job.listenerEventType !== 'START' && job.listenerEventType !== 'END') throw new Error(`unexpected execution listener event ${job.listenerEventType}`);
      return {
        kind: 'element',
        intent: job.listenerEventType === 'START' ? 'ACTIVATED' : 'COMPLETED',
        processInstanceKey: String(job.processInstanceKey),
        bpmnProcessId,
        elementId,
        elementInstanceKey: String(job.elementInstanceKey),
        elementType: info?.type ?? (elementId === bpmnProcessId ? 'process' : null),
        at,
        detail: elementDetail(job),
      };
    }
    const intent = TASK_INTENTS[job.listenerEventType];
    if (job.kind !== 'TASK_LISTENER' || !intent)
      throw new Error(`job ${job.jobKey} of type ${job.type} is not a listener job (${job.kind}/${job.listenerEventType})`);
    const ut = job.userTask ?? {};
    const task: UserTask = {
      userTaskKey: String(ut.userTaskKey),
      state: intent === 'COMPLETED' ? 'COMPLETED' : intent === 'CANCELED' ? 'CANCELED' : 'CREATED',
      processInstanceKey: String(job.processInstanceKey),
      bpmnProcessId,
      elementId,
      elementInstanceKey: String(job.elementInstanceKey),
      name: info?.name ?? null,
      assignee: ut.assignee || null,
      candidateGroups: ut.candidateGroups ?? [],
      candidateUsers: ut.candidateUsers ?? [],
      dueDate: iso(ut.dueDate),
      followUpDate: iso(ut.followUpDate),
      formId: info?.formId ?? null,
      priority: ut.priority ?? 50,
    };
    return { kind: 'userTask', intent, task, at };
  }

  /**
   * Before a decision-calling business-rule task's COMPLETED: its evaluation, read from the cluster's decision
   * instances (the listener job does not carry it). Not found in time (secondary storage behind or off): the
   * task is recorded without it and the miss reported, rather than holding the instance's history up.
   */
  private async decisionEvent(job: ListenerJob, event: EngineEvent): Promise<EngineEvent | null> {
    if (event.kind !== 'element' || event.intent !== 'COMPLETED' || !event.elementInstanceKey) return null;
    const info = await this.o.metadata.element(String(job.processDefinitionKey), String(job.processDefinitionId), event.elementId);
    if (!info?.calledDecision) return null;
    try {
      const evaluation = await readDecisionEvaluation(
        this.o.client,
        event.processInstanceKey,
        event.elementInstanceKey,
        info.calledDecision.resultVariable,
        this.o.decisionWaitMs,
      );
      if (!evaluation) throw new Error(`no decision instance of element instance ${event.elementInstanceKey} found`);
      return { ...event, intent: 'DECISION_EVALUATED', detail: evaluation as unknown as Record<string, unknown> };
    } catch (err) {
      this.o.onError(err);
      return null;
    }
  }

  /** Events of one instance go to the subscribers one after the other, in the order they arrived. */
  private inOrder(processInstanceKey: string, event: EngineEvent): Promise<void> {
    const previous = this.chains.get(processInstanceKey) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.deliver(event));
    this.chains.set(processInstanceKey, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(processInstanceKey) === next) this.chains.delete(processInstanceKey);
      });
    return next;
  }

  private async deliver(event: EngineEvent): Promise<void> {
    for (const s of [...this.subscribers]) await s.listener(event);
  }

  // ── listeners off: the workers' own records are the only element history (in memory, this process only) ──

  jobActivated(job: Job): void {
    this.record(job, 'ACTIVATED');
  }

  jobCompleted(job: Job): void {
    this.record(job, 'COMPLETED');
  }

  private record(job: Job, intent: 'ACTIVATED' | 'COMPLETED'): void {
    if (this.o.listeners || !this.subscribers.length) return;
    void this.o.metadata
      .element(job.processDefinitionKey, job.bpmnProcessId, job.elementId)
      .then((info) =>
        this.inOrder(job.processInstanceKey, {
          kind: 'element',
          intent,
          processInstanceKey: job.processInstanceKey,
          bpmnProcessId: job.bpmnProcessId,
          elementId: job.elementId,
          elementInstanceKey: job.elementInstanceKey,
          elementType: info?.type ?? null,
          at: new Date().toISOString(),
          detail: { source: 'worker' },
        }),
      )
      .catch(this.o.onError);
  }
}

/** What an execution-listener job tells beyond the element: the instance's case and definition. */
function elementDetail(job: ListenerJob): Record<string, unknown> | null {
  const caseId = (job.variables as Record<string, unknown> | undefined)?.['caseId'];
  const detail: Record<string, unknown> = {};
  if (typeof caseId === 'string' && caseId) detail['caseId'] = caseId;
  if (String(job.elementId) === String(job.processDefinitionId) && job.processDefinitionKey) detail['processDefinitionKey'] = String(job.processDefinitionKey);
  return Object.keys(detail).length ? detail : null;
}
