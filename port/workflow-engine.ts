/**
 * The WorkflowEngine port: the only way the API, the domain services and the job workers talk to
 * a workflow engine. Two adapters implement it with the same shapes: `embedded/` (our engine,
 * one process, SQL) and `camunda/` (a Camunda 8 cluster through the official client).
 * Keys are 64-bit integers carried as decimal strings.
 */

export type Variables = Record<string, unknown>;

export interface DeployResource {
  /** file name: `*.bpmn` for processes, `*.form` for form-js forms */
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
export const fail = (errorMessage: string, options: { retries?: number; retryBackOffMs?: number } = {}): JobOutcome => ({ outcome: 'fail', errorMessage, ...options });
export const bpmnError = (errorCode: string, errorMessage?: string, variables?: Variables): JobOutcome =>
  ({ outcome: 'error', errorCode, ...(errorMessage ? { errorMessage } : {}), ...(variables ? { variables } : {}) });

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
 * Something that happened in an engine, delivered at least once and in order per instance.
 * `kind: 'element'` feeds the audit history; `kind: 'userTask'` feeds the task inbox.
 */
export type EngineEvent =
  | {
      kind: 'element';
      intent: 'ACTIVATED' | 'COMPLETED' | 'TERMINATED' | 'INCIDENT_CREATED' | 'INCIDENT_RESOLVED' | 'FLOW_TAKEN';
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

export interface WorkflowEngine {
  readonly kind: 'embedded' | 'camunda';
  deploy(resources: DeployResource[]): Promise<DeployResult>;
  /**
   * `startReference`: the caller's own name for this start, unique per intended instance; with `reuseStarted`
   * an instance already started under the same reference is answered instead of starting a second (intake's
   * recovery after a crash between starting the instance and recording it). The embedded engine honours both;
   * Camunda 8.8 has no such lookup and always starts a new instance (docs/crash-consistency.md).
   */
  createInstance(request: { bpmnProcessId: string; variables?: Variables; startReference?: string; reuseStarted?: boolean }): Promise<{ processInstanceKey: string; processDefinitionKey: string; version: number }>;
  cancelInstance(processInstanceKey: string): Promise<void>;
  publishMessage(message: { name: string; correlationKey: string; variables?: Variables; timeToLiveMs?: number; messageId?: string }): Promise<{ messageKey: string }>;
  broadcastSignal(signal: { name: string; variables?: Variables }): Promise<void>;
  /** on a process instance or element instance; propagated by Zeebe's rule unless `local` */
  setVariables(elementInstanceKey: string, variables: Variables, options?: { local?: boolean }): Promise<void>;
  /** a job incident gets one retry first, so resolving means "try again" on both engines */
  resolveIncident(incidentKey: string): Promise<void>;
  assignUserTask(userTaskKey: string, assignee: string | null): Promise<void>;
  updateUserTask(userTaskKey: string, changes: { dueDate?: string | null; followUpDate?: string | null; candidateGroups?: string[]; priority?: number }): Promise<void>;
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
  close(): Promise<void>;
}

export class PortError extends Error {
  constructor(readonly code: 'NOT_FOUND' | 'INVALID_STATE' | 'INVALID_ARGUMENT' | 'ALREADY_EXISTS' | 'DEPLOY_REJECTED' | 'UNAVAILABLE', message: string, readonly details?: unknown) {
    super(message);
    this.name = 'PortError';
  }
}
