/**
 * The executable model: what the engine needs of a BPMN process, resolved once at deploy.
 * Plain data (no moddle objects), so a definition can be cached and shared by every instance.
 */
import type { DeployProblemKey, DeployProblemParams } from './problem-messages.js';

export type Expr = string; // a FEEL expression without its leading '=' or a static value (see ValueSpec)

/** A value that is either static text or a FEEL expression (written `=...` in the XML). */
export interface ValueSpec {
  feel: boolean;
  text: string;
}

export interface Mapping {
  source: ValueSpec;
  target: string;
}

export type EventDefinition =
  | { kind: 'none' }
  | { kind: 'timer'; timer: TimerSpec }
  | { kind: 'message'; messageName: ValueSpec; correlationKey: ValueSpec | null }
  | { kind: 'signal'; signalName: ValueSpec }
  | { kind: 'error'; errorCode: string | null; codeExpr: ValueSpec | null }
  | { kind: 'escalation'; escalationCode: string | null; codeExpr: ValueSpec | null }
  | { kind: 'terminate' }
  | { kind: 'link'; linkName: string }
  /** compensation throw (all completed activities of the scope, or `activityRef`) or boundary event */
  | { kind: 'compensation'; activityRef: string | null };

export interface TimerSpec {
  type: 'duration' | 'date' | 'cycle';
  value: ValueSpec;
}

/** The job type of a user task without `zeebe:userTask` (Zeebe's `Protocol.USER_TASK_JOB_TYPE`). */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

export interface JobSpec {
  type: ValueSpec;
  retries: ValueSpec;
  headers: Record<string, string>;
}

/**
 * A `zeebe:executionListener` (start / end) or `zeebe:taskListener` (creating, assigning, updating, completing):
 * a job of `type` the element waits for (Camunda 8.8 docs, *Execution listeners*, *User task listeners*).
 */
export interface ListenerSpec {
  eventType: string;
  type: ValueSpec;
  retries: ValueSpec;
  /** the element's task headers, overridden by the listener's own */
  headers: Record<string, string>;
}

export interface UserTaskSpec {
  assignee: ValueSpec | null;
  candidateGroups: ValueSpec | null;
  candidateUsers: ValueSpec | null;
  dueDate: ValueSpec | null;
  followUpDate: ValueSpec | null;
  priority: ValueSpec | null;
  formId: string | null;
  formKey: string | null;
}

export interface MultiInstanceSpec {
  sequential: boolean;
  inputCollection: ValueSpec;
  inputElement: string | null;
  outputCollection: string | null;
  outputElement: ValueSpec | null;
  completionCondition: ValueSpec | null;
}

export interface CallSpec {
  processId: ValueSpec;
  /** which version: the latest, the one deployed with this process version, or the latest with `versionTag` */
  bindingType: 'latest' | 'deployment' | 'versionTag';
  versionTag: string | null;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
}

/** A business-rule task's `zeebe:calledDecision`: the decision evaluated in the engine (no job). */
export interface CalledDecisionSpec {
  decisionId: ValueSpec;
  resultVariable: string;
  /** which version: the latest, the one deployed with this process version, or the one with `versionTag` */
  bindingType: 'latest' | 'deployment' | 'versionTag';
  versionTag: string | null;
}

/** One element an ad-hoc sub-process can activate, as `adHocSubProcessElements` describes it (Camunda 8.8). */
export interface AdHocElement {
  elementId: string;
  elementName: string | null;
  documentation: string | null;
  properties: Record<string, string>;
  /** the `fromAi(…)` calls of the element's input mappings: what an AI agent must provide */
  parameters: Array<{ name: string; description: string | null; type: string | null; schema?: unknown; options?: unknown }>;
}

/** `bpmn:adHocSubProcess` with `zeebe:adHoc` (Camunda 8.8 docs, *Ad-hoc sub-processes*). */
export interface AdHocSpec {
  activeElementsCollection: ValueSpec | null;
  completionCondition: ValueSpec | null;
  cancelRemainingInstances: boolean;
  outputCollection: string | null;
  outputElement: ValueSpec | null;
  /** inner elements without incoming flows: what may be activated */
  elements: AdHocElement[];
}

export type ElementType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'serviceTask'
  | 'sendTask'
  | 'businessRuleTask'
  | 'scriptTask'
  | 'userTask'
  | 'receiveTask'
  | 'manualTask'
  | 'task'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'eventSubProcess'
  | 'adHocSubProcess'
  | 'callActivity'
  | 'process';

export interface FlowNode {
  id: string;
  name: string | null;
  type: ElementType;
  /** id of the enclosing process / sub-process (the flow scope in the model) */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  defaultFlow: string | null;
  event: EventDefinition | null;
  /** event sub-process start events and boundary events */
  interrupting: boolean;
  attachedTo: string | null;
  boundaryEvents: string[];
  job: JobSpec | null;
  userTask: UserTaskSpec | null;
  script: { expression: ValueSpec; resultVariable: string } | null;
  call: CallSpec | null;
  decision: CalledDecisionSpec | null;
  /** an activity with a compensation boundary event: its compensation handler (an activity with `isForCompensation`) */
  compensation?: { handlerId: string };
  /** a compensation handler: never reached by a sequence flow, only by a compensation throw event */
  isForCompensation?: boolean;
  /** ad-hoc sub-process (a `job` too when a job worker drives it) */
  adHoc?: AdHocSpec;
  multiInstance: MultiInstanceSpec | null;
  /** execution listeners by event type (start, end); absent when the element has none */
  listeners?: { start: ListenerSpec[]; end: ListenerSpec[] };
  /** user task listeners, in model order; absent when the task has none */
  taskListeners?: ListenerSpec[];
  inputs: Mapping[];
  outputs: Mapping[];
  /** for scopes (process, sub-processes): their children */
  children: string[];
  startEvents: string[];
  eventSubProcesses: string[];
  /** converging inclusive gateway: for each incoming flow, the nodes (in this scope) that can still reach it */
  reachers?: Record<string, string[]>;
}

export interface SequenceFlow {
  id: string;
  sourceId: string;
  targetId: string;
  condition: ValueSpec | null;
}

export interface ProcessModel {
  processId: string;
  name: string | null;
  /** `zeebe:versionTag` of the process (call activities with bindingType="versionTag") */
  versionTag: string | null;
  nodes: Record<string, FlowNode>;
  flows: Record<string, SequenceFlow>;
  /** the none start event of the process, if any */
  noneStart: string | null;
  /** message / signal / timer start events of the process itself */
  messageStarts: string[];
  signalStarts: string[];
  timerStarts: string[];
  /** link catch events by scope and link name */
  linkCatches: Record<string, string>;
}

export interface DeployProblem {
  resource: string;
  elementId: string | null;
  message: string;
  /** what is wrong, for callers that word it themselves (problem-messages.ts); none for a DMN problem yet */
  key?: DeployProblemKey;
  params?: DeployProblemParams;
}
