/**
 * The WorkflowEngine port on a Camunda 8.8 cluster (Zeebe), through the official maintained client
 * `@camunda8/orchestration-cluster-api` 8.8.x (Apache-2.0, REST `/v2`, runs on Node 20). Not the
 * `zeebe-node` package: it is deprecated and its repository archived since 2024-04-08 (last release
 * 8.3.2), it speaks only gRPC and cannot reach Camunda user tasks, which exist only in the REST API.
 * Why this client and not `@camunda8/sdk` or `zeebe-node`: docs/domain.md, "The Camunda 8 client".
 */
import {
  createCamundaClient,
  type CamundaClient,
  type ElementInstanceKey,
  type IncidentKey,
  type JobKey,
  type ProcessDefinitionId,
  type ProcessDefinitionKey,
  type ProcessInstanceKey,
  type UserTaskKey,
  type VariableKey,
} from '@camunda8/orchestration-cluster-api';
import {
  PortError,
  type DeployResource,
  type DeployResult,
  type EngineEventBatchListener,
  type EngineEventListener,
  type InstanceSearch,
  type JobHandlerSpec,
  type MigrationPlan,
  type MigrationPreview,
  type RunningWorkers,
  type Variables,
  type WorkflowEngine,
} from '../workflow-engine.js';
import { MetadataCache, readMetadata, type ElementInfo } from './bpmn-metadata.js';
import { clientConfig, type CamundaSettings } from './config.js';
import { addListeners, HISTORY_JOB_TYPE, ListenerRewriteError, USER_TASK_JOB_TYPE } from './deploy-listeners.js';
import { mapped, toPortError } from './errors.js';
import { EventHub } from './events.js';
import { startJobWorkers } from './job-workers.js';
import { CamundaOperations } from './operations.js';

const isForm = (name: string) => name.endsWith('.form');
const isDmn = (name: string) => name.endsWith('.dmn');
/** The client brands its 64-bit key strings per kind; ours are plain decimal strings. */
const asKey = <K>(value: string): K => value as unknown as K;

export class CamundaWorkflowEngine implements WorkflowEngine {
  readonly kind = 'camunda' as const;
  readonly client: CamundaClient;
  private readonly metadata: MetadataCache;
  private readonly hub: EventHub;
  private readonly running = new Set<RunningWorkers>();
  private readonly onError: (err: unknown) => void;
  private readonly eventualWaitMs: number;
  private readonly longPollMs: number;
  private readonly operations: CamundaOperations;

  constructor(
    readonly settings: CamundaSettings,
    client?: CamundaClient,
  ) {
    this.client = client ?? createCamundaClient({ config: clientConfig(settings) as never });
    this.onError = settings.onError ?? ((err: unknown) => console.error('[camunda]', err));
    this.eventualWaitMs = settings.eventualWaitMs ?? 10_000;
    this.longPollMs = settings.longPollMs ?? 10_000;
    this.operations = new CamundaOperations(this.client);
    this.metadata = new MetadataCache(
      async (key) =>
        String(
          await this.client.getProcessDefinitionXml(
            { processDefinitionKey: asKey<ProcessDefinitionKey>(key) },
            { consistency: { waitUpToMs: this.eventualWaitMs } },
          ),
        ),
      this.onError,
    );
    this.hub = new EventHub({
      client: this.client,
      metadata: this.metadata,
      listeners: settings.historyListeners,
      historyJobType: HISTORY_JOB_TYPE,
      userTaskJobType: USER_TASK_JOB_TYPE,
      longPollMs: this.longPollMs,
      taskPollIntervalMs: settings.taskPollIntervalMs ?? 2_000,
      decisionWaitMs: this.eventualWaitMs,
      onError: this.onError,
    });
  }

  /** Connects and asks the cluster for its topology, so a wrong address or credentials stop the start. */
  static async open(settings: CamundaSettings): Promise<CamundaWorkflowEngine> {
    const engine = new CamundaWorkflowEngine(settings);
    await mapped('connect', () => engine.client.getTopology());
    return engine;
  }

  /**
   * Deploys BPMN, DMN and form-js resources in one deployment. On the way, each BPMN gets the history and
   * task listeners (deploy-listeners.ts) unless CAMUNDA_HISTORY_LISTENERS=false; the files are not touched.
   */
  async deploy(resources: DeployResource[]): Promise<DeployResult> {
    if (!resources.length) return { processes: [], forms: [] };
    const metadata = new Map<string, Map<string, ElementInfo>>();
    const files: File[] = [];
    for (const r of resources) {
      if (isForm(r.name)) {
        files.push(new File([r.content], r.name, { type: 'application/json' }));
        continue;
      }
      if (isDmn(r.name)) {
        // decisions go as they are: listeners belong to BPMN elements
        files.push(new File([r.content], r.name, { type: 'application/xml' }));
        continue;
      }
      try {
        for (const [id, elements] of await readMetadata(r.content)) metadata.set(id, elements);
        const xml = this.settings.historyListeners ? (await addListeners(r.content)).xml : r.content;
        files.push(new File([xml], r.name, { type: 'application/xml' }));
      } catch (err) {
        const problems = err instanceof ListenerRewriteError ? err.problems : [(err as Error).message];
        throw new PortError(
          'DEPLOY_REJECTED',
          `deployment rejected:\n  ${problems.map((p) => `${r.name}: ${p}`).join('\n  ')}`,
          problems.map((message) => ({ resource: r.name, elementId: null, message })),
        );
      }
    }
    const result = await mapped('deploy', () => this.client.createDeployment({ resources: files }));
    const out: DeployResult = { processes: [], forms: [] };
    for (const d of result.deployments) {
      if (d.processDefinition) {
        const p = d.processDefinition;
        out.processes.push({
          processDefinitionKey: String(p.processDefinitionKey),
          bpmnProcessId: String(p.processDefinitionId),
          version: p.processDefinitionVersion,
          resourceName: p.resourceName,
        });
        const elements = metadata.get(String(p.processDefinitionId));
        if (elements) this.metadata.remember(String(p.processDefinitionKey), elements);
      }
      if (d.form) {
        const f = d.form;
        out.forms.push({ formKey: String(f.formKey), formId: String(f.formId), version: Number(f.version), resourceName: String(f.resourceName) });
      }
    }
    return out;
  }

  async createInstance(request: { bpmnProcessId: string; variables?: Variables; startReference?: string; reuseStarted?: boolean }) {
    // no start reference on Camunda 8.8 (see the port): a recovered filing may start a second instance there
    const r = await mapped('create instance', () =>
      this.client.createProcessInstance({ processDefinitionId: asKey<ProcessDefinitionId>(request.bpmnProcessId), variables: request.variables ?? {} }),
    );
    return { processInstanceKey: String(r.processInstanceKey), processDefinitionKey: String(r.processDefinitionKey), version: r.processDefinitionVersion };
  }

  async cancelInstance(processInstanceKey: string): Promise<void> {
    try {
      await this.client.cancelProcessInstance({ processInstanceKey: asKey<ProcessInstanceKey>(processInstanceKey) });
    } catch (err) {
      throw await this.refineNotFound(toPortError(err, `cancel process instance ${processInstanceKey}`), async () => {
        const pi = await this.client.getProcessInstance(
          { processInstanceKey: asKey<ProcessInstanceKey>(processInstanceKey) },
          { consistency: { waitUpToMs: 0 } },
        );
        return pi.state === 'ACTIVE' ? null : `process instance ${processInstanceKey} is ${String(pi.state).toLowerCase()}`;
      });
    }
  }

  async publishMessage(m: { name: string; correlationKey: string; variables?: Variables; timeToLiveMs?: number; messageId?: string }) {
    const r = await mapped('publish message', () =>
      this.client.publishMessage({
        name: m.name,
        correlationKey: m.correlationKey,
        timeToLive: m.timeToLiveMs ?? 0,
        variables: m.variables ?? {},
        ...(m.messageId ? { messageId: m.messageId } : {}),
      }),
    );
    return { messageKey: String(r.messageKey) };
  }

  async broadcastSignal(s: { name: string; variables?: Variables }): Promise<void> {
    await mapped('broadcast signal', () => this.client.broadcastSignal({ signalName: s.name, variables: s.variables ?? {} }));
  }

  async setVariables(elementInstanceKey: string, variables: Variables, options: { local?: boolean } = {}): Promise<void> {
    await mapped('set variables', () =>
      this.client.createElementInstanceVariables({
        elementInstanceKey: asKey<ElementInstanceKey>(elementInstanceKey),
        variables,
        local: options.local ?? false,
      }),
    );
  }

  /**
   * Reads the incident (secondary storage, waits up to eventualWaitMs for it to appear); a job incident
   * whose job ran out of retries gets one retry first, then the incident is resolved: "try again", as on
   * the embedded engine.
   */
  async resolveIncident(incidentKey: string): Promise<void> {
    const incident = await mapped(`read incident ${incidentKey}`, () =>
      this.client.getIncident({ incidentKey: asKey<IncidentKey>(incidentKey) }, { consistency: { waitUpToMs: this.eventualWaitMs } }),
    );
    if (incident.state === 'RESOLVED') throw new PortError('INVALID_STATE', `incident ${incidentKey} is already resolved`);
    const noRetries = ['JOB_NO_RETRIES', 'EXECUTION_LISTENER_NO_RETRIES', 'TASK_LISTENER_NO_RETRIES'];
    if (incident.jobKey && noRetries.includes(String(incident.errorType))) {
      await mapped(`update retries of job ${incident.jobKey}`, () =>
        this.client.updateJob({ jobKey: asKey<JobKey>(String(incident.jobKey)), changeset: { retries: 1 } }),
      );
    }
    await mapped(`resolve incident ${incidentKey}`, () => this.client.resolveIncident({ incidentKey: asKey<IncidentKey>(incidentKey) }));
  }

  async assignUserTask(userTaskKey: string, assignee: string | null): Promise<void> {
    await this.userTaskCommand(userTaskKey, 'assign', () =>
      assignee === null
        ? this.client.unassignUserTask({ userTaskKey: asKey<UserTaskKey>(userTaskKey) })
        : this.client.assignUserTask({ userTaskKey: asKey<UserTaskKey>(userTaskKey), assignee, allowOverride: true }),
    );
  }

  async updateUserTask(
    userTaskKey: string,
    changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; priority?: number },
  ): Promise<void> {
    // the REST API clears a date with an empty string; null or absent leaves it as it is
    const changeset: Record<string, unknown> = {};
    if (changes.dueDate !== undefined) changeset['dueDate'] = changes.dueDate ?? '';
    if (changes.followUpDate !== undefined) changeset['followUpDate'] = changes.followUpDate ?? '';
    if (changes.candidateGroups) changeset['candidateGroups'] = changes.candidateGroups;
    if (changes.priority !== undefined) changeset['priority'] = changes.priority;
    if (!Object.keys(changeset).length) return;
    await this.userTaskCommand(userTaskKey, 'update', () => this.client.updateUserTask({ userTaskKey: asKey<UserTaskKey>(userTaskKey), changeset }));
  }

  async completeUserTask(userTaskKey: string, variables: Variables = {}): Promise<void> {
    await this.userTaskCommand(userTaskKey, 'complete', () => this.client.completeUserTask({ userTaskKey: asKey<UserTaskKey>(userTaskKey), variables }));
  }

  /**
   * The user-task variable search (`POST /v2/user-tasks/{key}/variables/search`) answers the variables of
   * the task's element instance and of its enclosing scopes, from secondary storage, values as JSON text.
   * Full values are asked for; one still marked truncated is read on its own. A name held in several scopes
   * keeps the innermost one: keys grow along a partition's log, and an instance's scopes share a partition
   * and are created outside in, so the larger scope key is the inner scope.
   */
  async userTaskVariables(userTaskKey: string): Promise<Variables> {
    const limit = 1000;
    const items: Array<{ name: string; value: string; isTruncated: boolean; scopeKey: string; variableKey: string }> = [];
    for (let from = 0; ; from += limit) {
      const page = await mapped(`read variables of user task ${userTaskKey}`, () =>
        this.client.searchUserTaskVariables(
          { userTaskKey: asKey<UserTaskKey>(userTaskKey), truncateValues: false, page: { from, limit } },
          // a task without variables is an answer too: wait only for the task itself (404 until it is exported)
          { consistency: { waitUpToMs: this.eventualWaitMs, predicate: () => true } },
        ),
      );
      for (const v of page.items ?? []) {
        items.push({ name: v.name, value: v.value, isTruncated: !!v.isTruncated, scopeKey: String(v.scopeKey), variableKey: String(v.variableKey) });
      }
      if (!page.items?.length || items.length >= Number(page.page?.totalItems ?? 0)) break;
    }
    items.sort((a, b) => (BigInt(a.scopeKey) < BigInt(b.scopeKey) ? -1 : BigInt(a.scopeKey) > BigInt(b.scopeKey) ? 1 : 0));
    const variables = new Map<string, unknown>();
    for (const v of items) {
      const text = v.isTruncated
        ? (
            await mapped(`read variable ${v.variableKey}`, () =>
              this.client.getVariable({ variableKey: asKey<VariableKey>(v.variableKey) }, { consistency: { waitUpToMs: this.eventualWaitMs } }),
            )
          ).value
        : v.value;
      variables.set(v.name, JSON.parse(text) as unknown);
    }
    return Object.fromEntries(variables);
  }

  async startWorkers(handlers: JobHandlerSpec[]): Promise<RunningWorkers> {
    const running = startJobWorkers(this.client, handlers, { longPollMs: this.longPollMs, onError: this.onError, records: this.hub });
    this.running.add(running);
    return {
      types: running.types,
      close: async () => {
        this.running.delete(running);
        await running.close();
      },
    };
  }

  /**
   * Events from the listener jobs (or, with the listeners off, from worker records and task polling);
   * see events.ts. The cluster keeps every unacknowledged listener job, which is this adapter's
   * "last acknowledged position"; `name` only labels the subscription.
   */
  subscribe(name: string, listener: EngineEventListener): Promise<{ close(): Promise<void> }> {
    return this.hub.subscribe(name, listener);
  }

  /** each listener job is acknowledged on its own, so a batch here is one event */
  subscribeBatches(name: string, listener: EngineEventBatchListener): Promise<{ close(): Promise<void> }> {
    return this.hub.subscribe(name, (event) => listener([event]));
  }

  // ── operations (issue 18): the cluster's searches and statistics, see operations.ts ──
  listProcessDefinitions() {
    return this.operations.listProcessDefinitions();
  }
  processDefinitionXml(processDefinitionKey: string) {
    return this.operations.processDefinitionXml(processDefinitionKey);
  }
  elementStatistics(processDefinitionKey: string) {
    return this.operations.elementStatistics(processDefinitionKey);
  }
  searchInstances(search: InstanceSearch) {
    return this.operations.searchInstances(search);
  }
  getInstance(processInstanceKey: string) {
    return this.operations.getInstance(processInstanceKey);
  }
  listIncidents(filter: { processInstanceKeys?: string[]; incidentType?: string }) {
    return this.operations.listIncidents(filter);
  }
  getIncident(incidentKey: string) {
    return this.operations.getIncident(incidentKey);
  }
  migrateInstance(processInstanceKey: string, plan: MigrationPlan) {
    return this.operations.migrateInstance(processInstanceKey, plan);
  }
  async previewMigration(_processInstanceKey: string, _plan: MigrationPlan): Promise<MigrationPreview> {
    return this.operations.previewMigration();
  }
  updateJobRetries(jobKey: string, retries: number) {
    return this.operations.updateJobRetries(jobKey, retries);
  }
  countOpenIncidents() {
    return this.operations.countOpenIncidents();
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((r) => r.close()));
    this.running.clear();
    await this.hub.close();
    this.client.stopAllWorkers();
  }

  /**
   * Zeebe forgets finished tasks and instances, so a command on one answers 404 where the embedded
   * engine says INVALID_STATE. On that error path only, ask secondary storage whether the thing exists
   * and has finished, and report INVALID_STATE like the embedded adapter does.
   */
  private async refineNotFound(err: unknown, finished: () => Promise<string | null>): Promise<unknown> {
    if (!(err instanceof PortError) || err.code !== 'NOT_FOUND') return err;
    try {
      const why = await finished();
      return why ? new PortError('INVALID_STATE', why, err.details) : err;
    } catch {
      return err;
    }
  }

  private async userTaskCommand(userTaskKey: string, action: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      throw await this.refineNotFound(toPortError(err, `${action} user task ${userTaskKey}`), async () => {
        const t = await this.client.getUserTask({ userTaskKey: asKey<UserTaskKey>(userTaskKey) }, { consistency: { waitUpToMs: 0 } });
        return t.state === 'COMPLETED' || t.state === 'CANCELED' ? `user task ${userTaskKey} is ${String(t.state).toLowerCase()}` : null;
      });
    }
  }
}
