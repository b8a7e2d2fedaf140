/**
 * The WorkflowEngine port: the only way the API, the domain services and the job workers talk to
 * a workflow engine. Two adapters implement it with the same shapes: `embedded/` (our engine,
 * one process, SQL) and `camunda/` (a Camunda 8 cluster through the official client).
 * Keys are 64-bit integers carried as decimal strings.
 */

export type Variables = Record<string, unknown>;

export interface DeployResource {
  /** file name: `*.bpmn` for processes, `*.dmn` for DMN decisions, `*.form` for form-js forms */
  name: string;
  content: string;
}

export interface DeployedProcess {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
}

export interface DeployedForm {
  formKey: string;
  formId: string;
  version: number;
  resourceName: string;
}

export interface DeployResult {
  processes: DeployedProcess[];
  forms: DeployedForm[];
}

export interface Job {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  retries: number;
  variables: Variables;
}

/** What a job handler decided. Every handler must return one of these explicitly. */
export type JobOutcome =
  | { outcome: 'complete'; variables?: Variables }
  | { outcome: 'fail'; errorMessage: string; retries?: number; retryBackOffMs?: number }
  | { outcome: 'error'; errorCode: string; errorMessage?: string; variables?: Variables };

export const complete = (variables?: Variables): JobOutcome => ({ outcome: 'complete', ...(variables ? { variables } : {}) });
export const fail = (errorMessage: string, options: { retries?: number; retryBackOffMs?: number } = {}): JobOutcome => ({
  outcome: 'fail',
  errorMessage,
  ...options,
});
export const bpmnError = (errorCode: string, errorMessage?: string, variables?: Variables): JobOutcome => ({
  outcome: 'error',
  errorCode,
  ...(errorMessage ? { errorMessage } : {}),
  ...(variables ? { variables } : {}),
});

export type JobHandler = (job: Job) => Promise<JobOutcome>;

export interface JobHandlerSpec {
  type: string;
  handler: JobHandler;
  /** most jobs of this type in hand at once (default 32); a function is asked each time by the embedded engine */
  maxJobsActive?: number | (() => number);
  /** job lock in ms (default 60 s) */
  timeoutMs?: number;
  fetchVariables?: string[];
}

export interface RunningWorkers {
  types: string[];
  close(): Promise<void>;
}

export type UserTaskState = 'CREATED' | 'COMPLETED' | 'CANCELED';

export interface UserTask {
  userTaskKey: string;
  state: UserTaskState;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  priority: number;
}

/**
 * A DMN decision a business-rule task evaluated, as the auditor reads it: the decision called, its version,
 * the result, and every decision evaluated (required ones first) with its inputs and the rules that matched.
 * The detail of an element event with intent `DECISION_EVALUATED`. Values are as the engine gave them
 * (the Camunda adapter parses the cluster's JSON texts back into values).
 */
export interface DecisionEvaluation {
  decisionId: string;
  decisionName: string | null;
  decisionVersion: number | null;
  decisionKey: string | null;
  resultVariable: string | null;
  result: unknown;
  evaluatedDecisions: Array<{
    decisionId: string;
    decisionName: string | null;
    decisionType: string | null;
    inputs: Array<{ inputId: string; inputName: string | null; value: unknown }>;
    matchedRules: Array<{ ruleId: string; ruleIndex: number; outputs: Record<string, unknown> }>;
    result: unknown;
  }>;
}

export type ElementIntent = 'ACTIVATED' | 'COMPLETED' | 'TERMINATED' | 'INCIDENT_CREATED' | 'INCIDENT_RESOLVED' | 'FLOW_TAKEN' | 'DECISION_EVALUATED';

/**
 * Something that happened in an engine, delivered at least once and in order per instance.
 * `kind: 'element'` feeds the audit history; `kind: 'userTask'` feeds the task inbox. A
 * `DECISION_EVALUATED` element event carries a `DecisionEvaluation` as its detail.
 */
export type EngineEvent =
  | {
      kind: 'element';
      intent: ElementIntent;
      processInstanceKey: string;
      bpmnProcessId: string | null;
      elementId: string;
      elementInstanceKey: string | null;
      elementType: string | null;
      at: string;
      detail: Variables | null;
    }
  | {
      kind: 'userTask';
      intent: 'CREATED' | 'ASSIGNED' | 'UPDATED' | 'COMPLETED' | 'CANCELED';
      task: UserTask;
      at: string;
    };

export type EngineEventListener = (event: EngineEvent) => Promise<void>;
/** events in commit order, as many as the engine has at hand; the promise acknowledges them all */
export type EngineEventBatchListener = (events: EngineEvent[]) => Promise<void>;

/** Operations (issue 18): what an administrator sees of running instances and their incidents, Operate-style. */
export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessDefinitionSummary {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  /** ACTIVE instances of this version */
  runningInstances: number;
  /** ACTIVE incidents in instances of this version */
  openIncidents: number;
}

/** Per element of one definition: element instances active now and open incidents on it (Operate's diagram badges). */
export interface ElementStatistics {
  elementId: string;
  active: number;
  incidents: number;
}

export interface InstanceSearch {
  bpmnProcessId?: string;
  version?: number;
  state?: InstanceState;
  /** an element instance of this element is active in the instance */
  elementId?: string;
  /** the instance has an open incident (of this type when given) */
  withIncident?: boolean;
  incidentType?: string;
  /** only these instances (e.g. the instances of one case) */
  processInstanceKeys?: string[];
  /** start time, ISO date-times, from inclusive, to exclusive */
  startedFrom?: string;
  startedTo?: string;
  /** an adapter's own cursor from a previous answer's `next` */
  after?: string;
  limit: number;
}

export interface InstanceSummary {
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  state: InstanceState;
  parentProcessInstanceKey: string | null;
  startedAt: string;
  endedAt: string | null;
  /** open incidents in this instance */
  openIncidents: number;
}

export interface IncidentDetail {
  incidentKey: string;
  state: 'ACTIVE' | 'RESOLVED';
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  /** Zeebe's error types: JOB_NO_RETRIES, CONDITION_ERROR, EXTRACT_VALUE_ERROR, IO_MAPPING_ERROR, CALLED_ELEMENT_ERROR, UNHANDLED_ERROR_EVENT … */
  errorType: string;
  errorMessage: string;
  jobKey: string | null;
  /** the job's retries now (null without a job, or when the engine no longer has it) */
  jobRetries: number | null;
  createdAt: string;
}

/** Process instance migration (issue 18), Camunda 8's: element mappings from the instance's version to a target version. */
export interface MigrationPlan {
  targetProcessDefinitionKey: string;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
}

/** What a migration does or would do: element instances moving (with the job, user task, incidents and waits they take along), and every refusal. */
export interface MigrationPreview {
  processInstanceKey: string;
  source: { processDefinitionKey: string; bpmnProcessId: string; version: number };
  target: { processDefinitionKey: string; bpmnProcessId: string; version: number } | null;
  migratable: boolean;
  moves: Array<{
    elementInstanceKey: string;
    elementType: string;
    sourceElementId: string;
    targetElementId: string;
    jobKey?: string;
    userTaskKey?: string;
    incidentKeys?: string[];
    kept?: string[];
    closed?: string[];
    opened?: string[];
    notes?: string[];
  }>;
  refusals: Array<{ code: 'INVALID_ARGUMENT' | 'INVALID_STATE'; elementId: string | null; elementInstanceKey: string | null; reason: string }>;
}

export interface WorkflowEngine {
  readonly kind: 'embedded' | 'camunda';
  deploy(resources: DeployResource[]): Promise<DeployResult>;
  /**
   * `startReference`: the caller's own name for this start, unique per intended instance; with `reuseStarted`
   * an instance already started under the same reference is answered instead of starting a second (intake's
   * recovery after a crash between starting the instance and recording it). The embedded engine honours both;
   * Camunda 8.8 has no such lookup and always starts a new instance (docs/crash-consistency.md).
   */
  createInstance(request: {
    bpmnProcessId: string;
    variables?: Variables;
    startReference?: string;
    reuseStarted?: boolean;
  }): Promise<{ processInstanceKey: string; processDefinitionKey: string; version: number }>;
  cancelInstance(processInstanceKey: string): Promise<void>;
  publishMessage(message: {
    name: string;
    correlationKey: string;
    variables?: Variables;
    timeToLiveMs?: number;
    messageId?: string;
  }): Promise<{ messageKey: string }>;
  broadcastSignal(signal: { name: string; variables?: Variables }): Promise<void>;
  /** on a process instance or element instance; propagated by Zeebe's rule unless `local` */
  setVariables(elementInstanceKey: string, variables: Variables, options?: { local?: boolean }): Promise<void>;
  /** a job incident gets one retry first, so resolving means "try again" on both engines */
  resolveIncident(incidentKey: string): Promise<void>;
  assignUserTask(userTaskKey: string, assignee: string | null): Promise<void>;
  updateUserTask(
    userTaskKey: string,
    changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; priority?: number },
  ): Promise<void>;
  completeUserTask(userTaskKey: string, variables?: Variables): Promise<void>;
  /**
   * The variables a user task sees, as Zeebe resolves them for its form: the task element's own scope and
   * every enclosing scope up to the process instance, the innermost scope winning a name. NOT_FOUND for no such task.
   */
  userTaskVariables(userTaskKey: string): Promise<Variables>;
  /** runs the handlers as job workers: in this process (embedded) or against the cluster (camunda) */
  startWorkers(handlers: JobHandlerSpec[]): Promise<RunningWorkers>;
  /** engine events from the last acknowledged one on; the listener's promise acknowledges */
  subscribe(name: string, listener: EngineEventListener): Promise<{ close(): Promise<void> }>;
  /** the same stream handed over in batches, for a subscriber that writes a batch at once (the case history) */
  subscribeBatches(name: string, listener: EngineEventBatchListener): Promise<{ close(): Promise<void> }>;
  // ── operations (issue 18) ──
  /** every deployed version with its running instances and open incidents */
  listProcessDefinitions(): Promise<ProcessDefinitionSummary[]>;
  /** the definition's XML as deployed; NOT_FOUND for no such definition */
  processDefinitionXml(processDefinitionKey: string): Promise<string>;
  /** active element instances and open incidents per element of one definition */
  elementStatistics(processDefinitionKey: string): Promise<ElementStatistics[]>;
  /** instances newest first; `next` is this adapter's cursor (INVALID_ARGUMENT for one it did not write) */
  searchInstances(search: InstanceSearch): Promise<{ items: InstanceSummary[]; next: string | null }>;
  getInstance(processInstanceKey: string): Promise<InstanceSummary | null>;
  /** open incidents of the given instances (at most 1,000) */
  listIncidents(filter: { processInstanceKeys?: string[]; incidentType?: string }): Promise<IncidentDetail[]>;
  getIncident(incidentKey: string): Promise<IncidentDetail | null>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  /**
   * Moves a running instance to another version by element mappings, all or nothing; refused as INVALID_ARGUMENT /
   * INVALID_STATE with `details.refusals` naming each element that cannot move and why (embedded), or the cluster's rejection.
   */
  migrateInstance(processInstanceKey: string, plan: MigrationPlan): Promise<void>;
  /** dry run of `migrateInstance`: what moves, what cannot and why; UNAVAILABLE where the engine has no dry run (Camunda) */
  previewMigration(processInstanceKey: string, plan: MigrationPlan): Promise<MigrationPreview>;
  /** open incidents in the whole engine */
  countOpenIncidents(): Promise<number>;
  close(): Promise<void>;
}

export class PortError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_STATE' | 'INVALID_ARGUMENT' | 'ALREADY_EXISTS' | 'DEPLOY_REJECTED' | 'UNAVAILABLE',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PortError';
  }
}
