/** Row shapes of the engine tables, as the runtime reads and writes them. */

/** What a step of a command does to an element instance (runtime/run.ts). */
export type StepKind = 'activate' | 'complete' | 'taskListener';

export interface ElementData {
  /** converging gateways: tokens waiting per gateway and incoming flow */
  joins?: Record<string, Record<string, number>>;
  /** multi-instance body */
  mi?: { items: unknown[]; next: number; completed: number; terminated: number; active: number };
  /** multi-instance inner instance */
  loopCounter?: number;
  /** a step that raised an incident and is re-run on resolve */
  pending?: StepKind;
  /** event sub-process / boundary / event: variables of the trigger, applied on activation */
  triggerVariables?: Record<string, unknown>;
  /** the interrupting event sub-process that took over this scope */
  interrupted?: boolean;
  /** a called instance's root: how many call activities above it (absent: 0, a root instance) */
  depth?: number;
  /**
   * Listeners in progress (behaviours/execution-listeners.ts, user-task-listeners.ts): the event, the next
   * listener to run (`index`) and the job of the one running; for a task listener also the task and the transition.
   */
  listener?: ListenerState;
  /** a scope: the completed activities whose compensation handlers a compensation throw event may invoke */
  compensable?: Array<{ activityId: string; handlerId: string; nested?: boolean }>;
  /** a compensation handler: the throw event waiting for it */
  compensationFor?: string;
  /** a compensation throw event: how many of its handlers are still running */
  compensating?: number;
  /** ad-hoc sub-process: its completion condition held (or its job worker said so) */
  adHoc?: { fulfilled: boolean };
  /** a process with start listeners: how it started, applied once they completed */
  processStart?: { startId: string; triggerVariables?: Record<string, unknown> };
}

export interface ListenerState {
  event: string;
  index: number;
  jobKey?: string;
  /** task listeners: the user task, what the transition carries (variables, assignee, changes) and the corrections so far */
  taskKey?: string;
  transition?: Record<string, unknown>;
  corrections?: Record<string, unknown>;
}

export interface ElementRow {
  key: string;
  instanceKey: string;
  elementId: string;
  type: string; // a model ElementType, or 'multiInstanceBody'
  scopeKey: string | null;
  state: 'ACTIVATING' | 'ACTIVE' | 'COMPLETING';
  data: ElementData;
}

export interface InstanceRow {
  instance_key: string;
  def_key: string;
  process_id: string;
  version: number;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  parent_instance_key: string | null;
  parent_element_key: string | null;
  start_correlation_key: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface JobRow {
  job_key: string;
  type: string;
  state: 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'ERROR_THROWN';
  instance_key: string;
  element_key: string;
  element_id: string;
  process_id: string;
  def_key: string;
  retries: number;
  retry_at: number;
  deadline: number | null;
  worker: string | null;
  headers: string;
  error_message: string | null;
  created_at: number;
}

export interface UserTaskRow {
  task_key: string;
  /** CREATING, ASSIGNING, UPDATING, COMPLETING: a transition waits for its task listeners (Camunda 8.8) */
  state: 'CREATING' | 'CREATED' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'COMPLETED' | 'CANCELED';
  instance_key: string;
  element_key: string;
  element_id: string;
  process_id: string;
  def_key: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string;
  candidate_users: string;
  due_date: string | null;
  follow_up_date: string | null;
  form_id: string | null;
  form_key: string | null;
  priority: number;
  created_at: number;
  ended_at: number | null;
}

export interface TimerRow {
  timer_key: string;
  due_at: number;
  instance_key: string | null;
  element_key: string | null;
  element_id: string;
  def_key: string;
  repetitions: number;
  spec: string | null;
}

export interface SubscriptionRow {
  sub_key: string;
  kind: 'message' | 'signal';
  name: string;
  correlation_key: string | null;
  instance_key: string;
  element_key: string;
  element_id: string;
  process_id: string;
  created_at: number;
}

export interface MessageRow {
  message_key: string;
  name: string;
  correlation_key: string;
  message_id: string | null;
  variables: string;
  expires_at: number;
  published_at: number;
}

export interface IncidentRow {
  incident_key: string;
  state: 'ACTIVE' | 'RESOLVED';
  instance_key: string;
  element_key: string;
  element_id: string;
  process_id: string;
  job_key: string | null;
  error_type: string;
  error_message: string;
  created_at: number;
  resolved_at: number | null;
}

export interface HistoryRow {
  position: number;
  instance_key: string | null;
  process_id: string | null;
  element_key: string | null;
  element_id: string | null;
  element_type: string | null;
  intent: string;
  at: number;
  payload: string | null;
}
