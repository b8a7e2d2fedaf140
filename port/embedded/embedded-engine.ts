import {
  countOpenIncidents,
  definitionSummaries,
  elementStatistics,
  Engine,
  EngineError,
  incidentsWithJobs,
  searchInstances,
  type HistoryEvent,
  type IncidentWithJob,
  type ProcessInstance,
  type UserTask as EngineUserTask,
} from '../../engine/index.js';
import { decisionEvaluationOf } from './decision-evaluation.js';
import {
  PortError,
  type DeployResource,
  type DeployResult,
  type EngineEvent,
  type IncidentDetail,
  type InstanceSearch,
  type MigrationPlan,
  type MigrationPreview,
  type InstanceSummary,
  type EngineEventBatchListener,
  type EngineEventListener,
  type ElementIntent,
  type JobHandlerSpec,
  type RunningWorkers,
  type UserTask,
  type Variables,
  type WorkflowEngine,
} from '../workflow-engine.js';

const ELEMENT_INTENTS: Record<string, ElementIntent> = {
  ELEMENT_ACTIVATED: 'ACTIVATED',
  ELEMENT_COMPLETED: 'COMPLETED',
  ELEMENT_TERMINATED: 'TERMINATED',
  INCIDENT_CREATED: 'INCIDENT_CREATED',
  INCIDENT_RESOLVED: 'INCIDENT_RESOLVED',
  SEQUENCE_FLOW_TAKEN: 'FLOW_TAKEN',
  DECISION_EVALUATED: 'DECISION_EVALUATED',
};
/** element types whose completion follows a JOB_COMPLETED or USER_TASK_COMPLETED record carrying the variables */
const TASK_ELEMENT_TYPES = new Set(['serviceTask', 'userTask', 'sendTask', 'businessRuleTask', 'scriptTask']);
const TASK_INTENTS: Record<string, 'CREATED' | 'ASSIGNED' | 'UPDATED' | 'COMPLETED' | 'CANCELED'> = {
  USER_TASK_CREATED: 'CREATED',
  USER_TASK_ASSIGNED: 'ASSIGNED',
  USER_TASK_UPDATED: 'UPDATED',
  USER_TASK_COMPLETED: 'COMPLETED',
  USER_TASK_CANCELED: 'CANCELED',
  // a migrated task (new element, new definition): readers refresh it as after an update
  USER_TASK_MIGRATED: 'UPDATED',
};

/** What a decision-calling business-rule task completed with: its result variable. */
function decisionVariables(h: HistoryEvent): Record<string, unknown> {
  const name = h.payload?.['resultVariable'];
  return typeof name === 'string' ? { [name]: h.payload?.['result'] ?? null } : {};
}

export function toPortTask(t: EngineUserTask): UserTask {
  return {
    // a transition waiting for task listeners (CREATING, ASSIGNING, …) leaves the task open
    userTaskKey: t.userTaskKey,
    state: t.state === 'COMPLETED' || t.state === 'CANCELED' ? t.state : 'CREATED',
    processInstanceKey: t.processInstanceKey,
    bpmnProcessId: t.bpmnProcessId,
    elementId: t.elementId,
    elementInstanceKey: t.elementInstanceKey,
    name: t.name,
    assignee: t.assignee,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    dueDate: t.dueDate,
    followUpDate: t.followUpDate,
    formId: t.formId,
    priority: t.priority,
  };
}

const KEY = /^[1-9]\d{0,18}$/;

function instanceSummary(i: ProcessInstance & { openIncidents: number }): InstanceSummary {
  return {
    processInstanceKey: i.processInstanceKey,
    processDefinitionKey: i.processDefinitionKey,
    bpmnProcessId: i.bpmnProcessId,
    version: i.version,
    state: i.state,
    parentProcessInstanceKey: i.parentProcessInstanceKey,
    startedAt: new Date(i.startedAt).toISOString(),
    endedAt: i.endedAt === null ? null : new Date(i.endedAt).toISOString(),
    openIncidents: i.openIncidents,
  };
}

function incidentDetail(i: IncidentWithJob): IncidentDetail {
  return {
    incidentKey: i.incidentKey,
    state: i.state,
    processInstanceKey: i.processInstanceKey,
    bpmnProcessId: i.bpmnProcessId,
    elementId: i.elementId,
    elementInstanceKey: i.elementInstanceKey,
    errorType: i.errorType,
    errorMessage: i.errorMessage,
    jobKey: i.jobKey,
    jobRetries: i.jobRetries,
    createdAt: new Date(i.createdAt).toISOString(),
  };
}

/** Engine errors become port errors with the same codes. */
async function port<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof EngineError) throw new PortError(err.code === 'CLOSED' ? 'UNAVAILABLE' : err.code, err.message, err.details);
    throw err;
  }
}

/** The port over the embedded engine: everything in this process, workers woken at commit. */
export class EmbeddedWorkflowEngine implements WorkflowEngine {
  readonly kind = 'embedded' as const;

  constructor(readonly engine: Engine) {}

  static async open(databaseUrl: string): Promise<EmbeddedWorkflowEngine> {
    return new EmbeddedWorkflowEngine(await Engine.open({ databaseUrl }));
  }

  deploy(resources: DeployResource[]): Promise<DeployResult> {
    return port(async () => {
      const deployed = await this.engine.deploy(resources.map((r) => ({ name: r.name, xml: r.content })));
      const formIds = new Set(resources.filter((r) => r.name.endsWith('.form')).map((r) => (JSON.parse(r.content) as { id: string }).id));
      const forms = (await this.engine.listForms()).filter((f) => formIds.has(f.formId));
      const latest = new Map<string, (typeof forms)[number]>();
      for (const f of forms) if ((latest.get(f.formId)?.version ?? 0) < f.version) latest.set(f.formId, f);
      return {
        processes: deployed.map((d) => ({
          processDefinitionKey: d.processDefinitionKey,
          bpmnProcessId: d.bpmnProcessId,
          version: d.version,
          resourceName: d.resourceName,
        })),
        forms: [...latest.values()].map((f) => ({ formKey: f.formKey, formId: f.formId, version: f.version, resourceName: f.resourceName })),
      };
    });
  }

  createInstance(request: { bpmnProcessId: string; variables?: Variables; startReference?: string; reuseStarted?: boolean }) {
    return port(async () => {
      const r = await this.engine.createInstance(request);
      return { processInstanceKey: r.processInstanceKey, processDefinitionKey: r.processDefinitionKey, version: r.version };
    });
  }

  cancelInstance(key: string) {
    return port(() => this.engine.cancelInstance(key));
  }

  publishMessage(m: { name: string; correlationKey: string; variables?: Variables; timeToLiveMs?: number; messageId?: string }) {
    return port(() => this.engine.publishMessage(m));
  }

  broadcastSignal(s: { name: string; variables?: Variables }) {
    return port(() => this.engine.broadcastSignal(s));
  }

  setVariables(key: string, variables: Variables, options: { local?: boolean } = {}) {
    return port(() => this.engine.setVariables(key, variables, options));
  }

  resolveIncident(incidentKey: string) {
    return port(async () => {
      const incident = (await this.engine.listIncidents({ state: 'ACTIVE' })).find((i) => i.incidentKey === incidentKey);
      if (incident?.jobKey) {
        const job = (await this.engine.listJobs({ processInstanceKey: incident.processInstanceKey })).find((j) => j.jobKey === incident.jobKey);
        if (job && job.retries < 1) await this.engine.updateJobRetries(job.jobKey, 1);
      }
      await this.engine.resolveIncident(incidentKey);
    });
  }

  assignUserTask(key: string, assignee: string | null) {
    return port(() => this.engine.assignUserTask(key, assignee));
  }

  updateUserTask(key: string, changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; priority?: number }) {
    return port(() => this.engine.updateUserTask(key, changes));
  }

  completeUserTask(key: string, variables: Variables = {}) {
    return port(() => this.engine.completeUserTask(key, variables));
  }

  /**
   * Read-only: the task's element instance, then its flow scopes up to the process instance (the engine's
   * own scope chain), each scope's variables laid over the outer ones. A finished task's scopes may be
   * gone: what is left of the chain (at least the instance, while it runs) is what it sees.
   */
  userTaskVariables(userTaskKey: string): Promise<Variables> {
    return port(async () => {
      const task = await this.engine.getUserTask(userTaskKey);
      if (!task) throw new PortError('NOT_FOUND', `no user task with key ${userTaskKey}`);
      const scopeOf = new Map((await this.engine.listElementInstances(task.processInstanceKey)).map((e) => [e.elementInstanceKey, e.flowScopeKey]));
      const chain: string[] = [];
      for (let key: string | null | undefined = task.elementInstanceKey; key && !chain.includes(key); key = scopeOf.get(key)) {
        if (scopeOf.has(key) || key === task.processInstanceKey) chain.push(key);
      }
      if (!chain.includes(task.processInstanceKey)) chain.push(task.processInstanceKey);
      const variables = new Map<string, unknown>();
      for (const scope of chain.reverse()) for (const [name, value] of Object.entries(await this.engine.getVariables(scope))) variables.set(name, value);
      return Object.fromEntries(variables);
    });
  }

  async startWorkers(handlers: JobHandlerSpec[]): Promise<RunningWorkers> {
    const workers = handlers.map((spec) =>
      this.engine.createWorker({
        type: spec.type,
        ...(spec.maxJobsActive ? { maxJobsActive: spec.maxJobsActive } : {}),
        timeoutMs: spec.timeoutMs ?? 60_000,
        ...(spec.fetchVariables ? { fetchVariables: spec.fetchVariables } : {}),
        name: `embedded:${spec.type}`,
        handler: (job) =>
          spec.handler({
            key: job.key,
            type: job.type,
            processInstanceKey: job.processInstanceKey,
            bpmnProcessId: job.bpmnProcessId,
            processDefinitionKey: job.processDefinitionKey,
            elementId: job.elementId,
            elementInstanceKey: job.elementInstanceKey,
            customHeaders: job.customHeaders,
            retries: job.retries,
            variables: job.variables,
          }),
      }),
    );
    return { types: handlers.map((h) => h.type), close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
  }

  /**
   * Reads the engine's history stream from the subscriber's saved position, hands each event to the
   * listener and saves the position after each read of up to 200: delivery is at least once, in commit
   * order (a crash mid-read hands that read's events over again).
   */
  subscribe(name: string, listener: EngineEventListener): Promise<{ close(): Promise<void> }> {
    return this.subscribeBatches(name, async (events) => {
      for (const e of events) await listener(e);
    });
  }

  /** As subscribe, with each read of up to 200 records handed over at once and acknowledged after it. */
  async subscribeBatches(name: string, listener: EngineEventBatchListener): Promise<{ close(): Promise<void> }> {
    let position = await this.engine.exporterPosition(name);
    let running: Promise<void> | null = null;
    let again = false;
    let closed = false;
    // variables a job or user task completed with, until its element's COMPLETED event carries them
    const completedWith = new Map<string, unknown>();
    const pump = async () => {
      do {
        again = false;
        for (;;) {
          const batch = await this.engine.readHistory(position, 200);
          if (!batch.length || closed) break;
          const events: EngineEvent[] = [];
          for (const h of batch) {
            if ((h.intent === 'JOB_COMPLETED' || h.intent === 'USER_TASK_COMPLETED') && h.elementInstanceKey) {
              completedWith.set(h.elementInstanceKey, h.payload?.['variables'] ?? {});
              // an element interrupted after its job completed never claims its entry: keep the map bounded
              if (completedWith.size > 10_000) completedWith.delete(completedWith.keys().next().value!);
            } else if (h.intent === 'DECISION_EVALUATED' && h.elementInstanceKey) {
              // a business-rule task calling a decision completes with its result variable, without a job
              completedWith.set(h.elementInstanceKey, decisionVariables(h));
            }
            const event = await this.toEvent(h, completedWith);
            if (event) events.push(event);
          }
          if (events.length) await listener(events);
          position = batch[batch.length - 1]!.position;
          await this.engine.saveExporterPosition(name, position);
        }
      } while (again && !closed);
    };
    const kick = () => {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = pump()
        .catch((err) => void this.engine.emit('error', err))
        .finally(() => (running = null));
    };
    this.engine.on('committed', kick);
    const poll = setInterval(kick, 1000);
    poll.unref?.();
    kick();
    return {
      close: async () => {
        closed = true;
        clearInterval(poll);
        this.engine.off('committed', kick);
        if (running) await running;
      },
    };
  }

  /**
   * The variables a task element completed with (its JOB_COMPLETED / USER_TASK_COMPLETED record), for
   * the case history: from the records just read, else (a restart between the two) from the instance's history.
   */
  private async completionVariables(h: HistoryEvent, completedWith: Map<string, unknown>): Promise<unknown> {
    if (!h.elementInstanceKey || !TASK_ELEMENT_TYPES.has(h.elementType ?? '')) return undefined;
    if (completedWith.has(h.elementInstanceKey)) {
      const vars = completedWith.get(h.elementInstanceKey);
      completedWith.delete(h.elementInstanceKey);
      return vars;
    }
    const earlier = (await this.engine.history(h.processInstanceKey!)).findLast(
      (e) =>
        e.elementInstanceKey === h.elementInstanceKey &&
        e.position < h.position &&
        (e.intent === 'JOB_COMPLETED' || e.intent === 'USER_TASK_COMPLETED' || e.intent === 'DECISION_EVALUATED'),
    );
    if (!earlier) return undefined;
    return earlier.intent === 'DECISION_EVALUATED' ? decisionVariables(earlier) : (earlier.payload?.['variables'] ?? {});
  }

  private async toEvent(h: HistoryEvent, completedWith: Map<string, unknown>): Promise<EngineEvent | null> {
    const at = new Date(h.at).toISOString();
    const taskIntent = TASK_INTENTS[h.intent];
    if (taskIntent) {
      const task = await this.engine.getUserTask(String(h.payload?.['userTaskKey']));
      return task ? { kind: 'userTask', intent: taskIntent, task: toPortTask(task), at } : null;
    }
    const intent = ELEMENT_INTENTS[h.intent];
    if (!intent || !h.processInstanceKey || !h.elementId) return null;
    let detail = h.payload;
    if (intent === 'COMPLETED') {
      const variables = await this.completionVariables(h, completedWith);
      if (variables !== undefined) detail = { ...(detail ?? {}), variables };
    } else if (intent === 'DECISION_EVALUATED') {
      detail = decisionEvaluationOf(h.payload) as unknown as Variables | null;
      if (!detail) return null;
    } else if (intent === 'ACTIVATED' && h.elementType === 'process') {
      // the definition the instance runs: what the case history's diagram shows
      const instance = await this.engine.getInstance(h.processInstanceKey);
      if (instance) detail = { ...(detail ?? {}), processDefinitionKey: instance.processDefinitionKey };
    }
    return {
      kind: 'element',
      intent,
      processInstanceKey: h.processInstanceKey,
      bpmnProcessId: h.bpmnProcessId,
      elementId: h.elementId,
      elementInstanceKey: intent === 'FLOW_TAKEN' ? null : h.elementInstanceKey,
      elementType: h.elementType,
      at,
      detail,
    };
  }

  // ── operations (issue 18): read from the engine's tables through engine/queries.ts ──

  listProcessDefinitions() {
    return port(() => definitionSummaries(this.engine.driver));
  }

  processDefinitionXml(processDefinitionKey: string) {
    return port(async () => {
      const xml = KEY.test(processDefinitionKey) ? await this.engine.getDefinitionXml(processDefinitionKey) : null;
      if (xml === null) throw new PortError('NOT_FOUND', `no process definition with key ${processDefinitionKey}`);
      return xml;
    });
  }

  elementStatistics(processDefinitionKey: string) {
    return port(() => elementStatistics(this.engine.driver, processDefinitionKey));
  }

  /** the cursor is the last instance key of the page: the next page holds the smaller keys */
  searchInstances(s: InstanceSearch) {
    return port(async () => {
      if (s.after !== undefined && !KEY.test(s.after)) throw new PortError('INVALID_ARGUMENT', 'not a cursor of this engine');
      const rows = await searchInstances(this.engine.driver, {
        ...(s.bpmnProcessId !== undefined ? { bpmnProcessId: s.bpmnProcessId } : {}),
        ...(s.version !== undefined ? { version: s.version } : {}),
        ...(s.state !== undefined ? { state: s.state } : {}),
        ...(s.elementId !== undefined ? { elementId: s.elementId } : {}),
        ...(s.withIncident ? { withIncident: true } : {}),
        ...(s.incidentType !== undefined ? { incidentType: s.incidentType } : {}),
        ...(s.processInstanceKeys !== undefined ? { instanceKeys: s.processInstanceKeys } : {}),
        ...(s.startedFrom !== undefined ? { startedFrom: Date.parse(s.startedFrom) } : {}),
        ...(s.startedTo !== undefined ? { startedTo: Date.parse(s.startedTo) } : {}),
        ...(s.after !== undefined ? { beforeKey: s.after } : {}),
        limit: s.limit + 1,
      });
      const items = rows.slice(0, s.limit).map(instanceSummary);
      return { items, next: rows.length > s.limit ? items[items.length - 1]!.processInstanceKey : null };
    });
  }

  getInstance(processInstanceKey: string) {
    return port(async () => {
      if (!KEY.test(processInstanceKey)) return null;
      const [row] = await searchInstances(this.engine.driver, { instanceKeys: [processInstanceKey], limit: 1 });
      return row ? instanceSummary(row) : null;
    });
  }

  listIncidents(filter: { processInstanceKeys?: string[]; incidentType?: string }) {
    return port(async () =>
      (
        await incidentsWithJobs(this.engine.driver, {
          ...(filter.processInstanceKeys ? { instanceKeys: filter.processInstanceKeys } : {}),
          ...(filter.incidentType ? { incidentType: filter.incidentType } : {}),
        })
      ).map(incidentDetail),
    );
  }

  getIncident(incidentKey: string) {
    return port(async () => {
      if (!KEY.test(incidentKey)) return null;
      const [row] = await incidentsWithJobs(this.engine.driver, { incidentKey });
      return row ? incidentDetail(row) : null;
    });
  }

  migrateInstance(processInstanceKey: string, plan: MigrationPlan) {
    return port(async () => void (await this.engine.migrateInstance(processInstanceKey, plan)));
  }

  previewMigration(processInstanceKey: string, plan: MigrationPlan): Promise<MigrationPreview> {
    return port(() => this.engine.previewMigration(processInstanceKey, plan));
  }

  updateJobRetries(jobKey: string, retries: number) {
    return port(() => this.engine.updateJobRetries(jobKey, retries));
  }

  countOpenIncidents() {
    return port(() => countOpenIncidents(this.engine.driver));
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
