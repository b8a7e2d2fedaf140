/* eslint-disable @typescript-eslint/no-explicit-any -- moddle trees are untyped at this boundary */
import { feelSyntaxError, valueSpec } from '../feel/feel.js';
import { checkTimerSyntax } from '../runtime/timer-spec.js';
import { deployProblem, type DeployProblemKey, type DeployProblemParams } from './problem-messages.js';
import type {
  AdHocElement,
  AdHocSpec,
  CallSpec,
  CalledDecisionSpec,
  DeployProblem,
  ElementType,
  EventDefinition,
  FlowNode,
  JobSpec,
  ListenerSpec,
  Mapping,
  MultiInstanceSpec,
  ProcessModel,
  SequenceFlow,
  UserTaskSpec,
  ValueSpec,
} from './types.js';
import { createModdle } from './moddle.js';
import { computeInclusiveReachers } from './reachability.js';
import { USER_TASK_JOB_TYPE } from './types.js';

type M = any;

const TYPES: Record<string, ElementType> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:UserTask': 'userTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:Task': 'task',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:AdHocSubProcess': 'adHocSubProcess',
  'bpmn:CallActivity': 'callActivity',
};

/** Elements that carry no behaviour and may appear anywhere. */
const IGNORED = new Set([
  'bpmn:SequenceFlow',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:DataObject',
]);

export interface ParseResult {
  processes: ProcessModel[];
  problems: DeployProblem[];
}

class Collector {
  problems: DeployProblem[] = [];
  constructor(readonly resource: string) {}
  add(elementId: string | null, key: DeployProblemKey, params?: DeployProblemParams): void {
    this.problems.push(deployProblem(this.resource, elementId, key, params));
  }
  /** Parses `=expr` or static text, checking FEEL syntax. */
  value(elementId: string, what: string, text: string | undefined | null, target?: string): ValueSpec | null {
    const spec = valueSpec(text);
    if (spec?.feel) {
      const error = feelSyntaxError(spec.text);
      if (error)
        this.add(elementId, target === undefined ? 'feel_syntax' : 'mapping_feel_syntax', {
          what,
          error,
          expression: spec.text,
          ...(target === undefined ? {} : { target }),
        });
    }
    return spec;
  }
  expression(elementId: string, what: string, text: string | undefined | null): ValueSpec | null {
    if (text === undefined || text === null || text === '') return null;
    const spec: ValueSpec = { feel: true, text: text.trim().replace(/^=/, '').trim() };
    const error = feelSyntaxError(spec.text);
    if (error) this.add(elementId, 'feel_syntax', { what, error, expression: spec.text });
    return spec;
  }
}

function ext(element: M, type: string): M | undefined {
  return element.extensionElements?.values?.find((v: M) => v.$type === type);
}

function mappings(c: Collector, id: string, params: M[] | undefined, what: string): Mapping[] {
  return (params ?? []).map((p: M) => {
    if (!p.target) c.add(id, 'mapping_without_target', { what });
    const source = c.value(id, what, p.source, String(p.target)) ?? { feel: true, text: 'null' };
    return { source, target: String(p.target ?? '') };
  });
}

function eventDefinition(c: Collector, el: M, messages: Map<string, M>): EventDefinition {
  const defs: M[] = el.eventDefinitions ?? [];
  if (defs.length === 0) return { kind: 'none' };
  if (defs.length > 1) c.add(el.id, 'multiple_event_definitions');
  const d = defs[0];
  switch (d.$type) {
    case 'bpmn:TimerEventDefinition': {
      const [type, expr] = d.timeDuration
        ? ['duration', d.timeDuration]
        : d.timeDate
          ? ['date', d.timeDate]
          : d.timeCycle
            ? ['cycle', d.timeCycle]
            : [null, null];
      if (!type) {
        c.add(el.id, 'timer_without_time');
        return { kind: 'none' };
      }
      const value = c.value(el.id, `timer ${type}`, expr.body) ?? { feel: false, text: '' };
      if (!value.feel) {
        const error = checkTimerSyntax(type as 'duration' | 'date' | 'cycle', value.text);
        if (error) c.add(el.id, `timer_${type as 'duration' | 'date' | 'cycle'}`, { text: value.text, detail: error });
      }
      return { kind: 'timer', timer: { type: type as 'duration' | 'date' | 'cycle', value } };
    }
    case 'bpmn:MessageEventDefinition': {
      const message = d.messageRef ? (messages.get(d.messageRef.id) ?? d.messageRef) : null;
      if (!message?.name) {
        if (!ext(el, 'zeebe:TaskDefinition')) c.add(el.id, 'message_without_name');
        return { kind: 'message', messageName: { feel: false, text: '' }, correlationKey: null };
      }
      const sub = ext(message, 'zeebe:Subscription');
      const messageName = c.value(el.id, 'message name', message.name)!;
      const correlationKey = c.value(el.id, 'correlation key', sub?.correlationKey);
      return { kind: 'message', messageName, correlationKey };
    }
    case 'bpmn:SignalEventDefinition': {
      if (!d.signalRef?.name) c.add(el.id, 'signal_without_name');
      return { kind: 'signal', signalName: c.value(el.id, 'signal name', d.signalRef?.name) ?? { feel: false, text: '' } };
    }
    case 'bpmn:ErrorEventDefinition': {
      // a throwing event may compute its code with FEEL (`=code`); catching events match static codes
      const code: string | null = d.errorRef?.errorCode ?? null;
      const codeExpr = code?.trim().startsWith('=') ? c.value(el.id, 'error code', code) : null;
      return { kind: 'error', errorCode: code, codeExpr };
    }
    case 'bpmn:EscalationEventDefinition': {
      const code: string | null = d.escalationRef?.escalationCode ?? null;
      const codeExpr = code?.trim().startsWith('=') ? c.value(el.id, 'escalation code', code) : null;
      return { kind: 'escalation', escalationCode: code, codeExpr };
    }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:CompensateEventDefinition':
      return { kind: 'compensation', activityRef: d.activityRef?.id ?? null };
    case 'bpmn:LinkEventDefinition':
      if (!d.name) c.add(el.id, 'link_without_name');
      return { kind: 'link', linkName: d.name ?? '' };
    default:
      c.add(el.id, 'event_definition_unsupported', { type: d.$type.replace('bpmn:', '') });
      return { kind: 'none' };
  }
}

/** Headers Zeebe sets itself on a job-worker user task's job: a model may not use them (ZeebeTaskHeadersValidator). */
const RESTRICTED_HEADERS = ['io.camunda.zeebe:assignee', 'io.camunda.zeebe:candidateGroups', 'io.camunda.zeebe:formKey'];

function taskHeaders(c: Collector, el: M): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of ext(el, 'zeebe:TaskHeaders')?.values ?? []) {
    if (RESTRICTED_HEADERS.includes(h.key)) c.add(el.id, 'restricted_header', { header: h.key });
    headers[h.key] = h.value ?? '';
  }
  return headers;
}

function jobSpec(c: Collector, el: M): JobSpec | null {
  const td = ext(el, 'zeebe:TaskDefinition');
  if (!td) return null;
  if (!td.type) c.add(el.id, 'job_without_type');
  return {
    type: c.value(el.id, 'job type', td.type) ?? { feel: false, text: '' },
    retries: c.value(el.id, 'job retries', td.retries) ?? { feel: false, text: '3' },
    headers: taskHeaders(c, el),
  };
}

/**
 * A user task without `zeebe:userTask` (deprecated since 8.6, still executed by 8.8): a job of Zeebe's type
 * `io.camunda.zeebe:userTask` with one retry, the model's headers and a static form key; assignment, dates and a
 * linked form go into headers when the job is created (behaviours/job-worker-user-task.ts).
 */
function userTaskJobSpec(c: Collector, el: M): JobSpec {
  const headers = taskHeaders(c, el);
  const formKey = ext(el, 'zeebe:FormDefinition')?.formKey;
  if (formKey) headers['io.camunda.zeebe:formKey'] = formKey;
  return { type: { feel: false, text: USER_TASK_JOB_TYPE }, retries: { feel: false, text: '1' }, headers };
}

function userTaskSpec(c: Collector, el: M): UserTaskSpec {
  const a = ext(el, 'zeebe:AssignmentDefinition');
  const s = ext(el, 'zeebe:TaskSchedule');
  const f = ext(el, 'zeebe:FormDefinition');
  const p = ext(el, 'zeebe:PriorityDefinition');
  return {
    assignee: c.value(el.id, 'assignee', a?.assignee),
    candidateGroups: c.value(el.id, 'candidate groups', a?.candidateGroups),
    candidateUsers: c.value(el.id, 'candidate users', a?.candidateUsers),
    dueDate: c.value(el.id, 'due date', s?.dueDate),
    followUpDate: c.value(el.id, 'follow-up date', s?.followUpDate),
    priority: c.value(el.id, 'priority', p?.priority),
    formId: f?.formId ?? null,
    formKey: f?.formKey ?? null,
  };
}

function multiInstance(c: Collector, el: M): MultiInstanceSpec | null {
  const lc = el.loopCharacteristics;
  if (!lc) return null;
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    c.add(el.id, 'standard_loop');
    return null;
  }
  const z = ext(lc, 'zeebe:LoopCharacteristics');
  if (!z?.inputCollection) c.add(el.id, 'multi_instance_without_collection');
  return {
    sequential: Boolean(lc.isSequential),
    inputCollection: c.expression(el.id, 'input collection', z?.inputCollection) ?? { feel: true, text: '[]' },
    inputElement: z?.inputElement ?? null,
    outputCollection: z?.outputCollection ?? null,
    outputElement: c.expression(el.id, 'output element', z?.outputElement),
    completionCondition: c.expression(el.id, 'completion condition', lc.completionCondition?.body),
  };
}

function callSpec(c: Collector, el: M): CallSpec {
  const ce = ext(el, 'zeebe:CalledElement');
  if (!ce?.processId) c.add(el.id, 'call_without_process');
  const bindingType = ce?.bindingType ?? 'latest';
  if (!['latest', 'deployment', 'versionTag'].includes(bindingType)) c.add(el.id, 'called_element_binding', { binding: String(bindingType) });
  if (bindingType === 'versionTag' && !ce?.versionTag) c.add(el.id, 'called_element_version_tag');
  return {
    processId: c.value(el.id, 'called process id', ce?.processId) ?? { feel: false, text: '' },
    bindingType: bindingType as CallSpec['bindingType'],
    versionTag: ce?.versionTag ?? null,
    propagateAllChildVariables: ce?.propagateAllChildVariables !== false,
    propagateAllParentVariables: ce?.propagateAllParentVariables !== false,
  };
}

/** `zeebe:calledDecision` (Camunda 8 docs, *Business rule tasks*): decision id (static or FEEL), result variable, binding. */
function calledDecisionSpec(c: Collector, el: M): CalledDecisionSpec {
  const cd = ext(el, 'zeebe:CalledDecision');
  if (!cd.decisionId) c.add(el.id, 'decision_without_id');
  if (!cd.resultVariable) c.add(el.id, 'decision_without_result');
  const bindingType = cd.bindingType ?? 'latest';
  if (!['latest', 'deployment', 'versionTag'].includes(bindingType)) c.add(el.id, 'called_decision_binding', { binding: String(bindingType) });
  if (bindingType === 'versionTag' && !cd.versionTag) c.add(el.id, 'called_decision_version_tag');
  return {
    decisionId: c.value(el.id, 'called decision id', cd.decisionId) ?? { feel: false, text: '' },
    resultVariable: cd.resultVariable ?? '',
    bindingType: bindingType as CalledDecisionSpec['bindingType'],
    versionTag: cd.versionTag ?? null,
  };
}

const TASK_LISTENER_EVENTS: Record<string, string> = {
  creating: 'creating',
  assigning: 'assigning',
  updating: 'updating',
  completing: 'completing',
  canceling: 'canceling',
  // the names of Camunda 8.7 (still read by 8.8)
  create: 'creating',
  assignment: 'assigning',
  update: 'updating',
  complete: 'completing',
  cancel: 'canceling',
};

function listenerSpecs(c: Collector, el: M, listeners: M[], what: string): ListenerSpec[] {
  const elementHeaders: Record<string, string> = {};
  for (const h of ext(el, 'zeebe:TaskHeaders')?.values ?? []) elementHeaders[h.key] = h.value ?? '';
  const seen = new Set<string>();
  return listeners.map((l: M) => {
    const eventType = String(l.eventType ?? '');
    if (!l.type) c.add(el.id, 'listener_without_type', { what });
    const key = `${eventType}/${String(l.type ?? '')}`;
    if (seen.has(key)) c.add(el.id, 'listener_twice', { what, eventType, type: String(l.type) });
    seen.add(key);
    const headers = { ...elementHeaders };
    for (const h of l.headers?.values ?? []) headers[h.key] = h.value ?? '';
    return {
      eventType,
      headers,
      type: c.value(el.id, `${what} job type`, l.type) ?? { feel: false, text: '' },
      retries: c.value(el.id, `${what} retries`, l.retries) ?? { feel: false, text: '3' },
    };
  });
}

/**
 * Execution listeners (any element, the process) and user task listeners, with the deploy-time rules of Camunda 8.8
 * (docs, *Execution listeners*, Limitations): no start listeners on start and boundary events, no end listeners on
 * gateways and error end events.
 */
function addListeners(c: Collector, el: M, node: FlowNode): void {
  const exec: M[] = ext(el, 'zeebe:ExecutionListeners')?.listeners ?? [];
  if (exec.length) {
    const specs = listenerSpecs(c, el, exec, 'execution listener');
    for (const s of specs) if (s.eventType !== 'start' && s.eventType !== 'end') c.add(el.id, 'execution_listener_event', { eventType: String(s.eventType) });
    const start = specs.filter((s) => s.eventType === 'start');
    const end = specs.filter((s) => s.eventType === 'end');
    const label = node.type.replace(/([A-Z])/g, ' $1').toLowerCase();
    if (start.length && (node.type === 'startEvent' || node.type === 'boundaryEvent')) c.add(el.id, 'start_listener_unsupported', { label });
    if (end.length && node.type.endsWith('Gateway')) c.add(el.id, 'end_listener_unsupported', { label });
    if (end.length && node.type === 'endEvent' && (el.eventDefinitions ?? [])[0]?.$type === 'bpmn:ErrorEventDefinition') c.add(el.id, 'end_listener_error_end');
    node.listeners = { start, end };
  }
  const task: M[] = ext(el, 'zeebe:TaskListeners')?.listeners ?? [];
  if (task.length) {
    if (node.type !== 'userTask' || !ext(el, 'zeebe:UserTask')) c.add(el.id, 'task_listener_place');
    const specs = listenerSpecs(c, el, task, 'task listener');
    for (const s of specs) {
      const event = TASK_LISTENER_EVENTS[s.eventType];
      if (!event) c.add(el.id, 'task_listener_event', { eventType: String(s.eventType) });
      // Camunda holds the termination until canceling listeners completed; this engine ends an element in one step
      else if (event === 'canceling') c.add(el.id, 'task_listener_canceling');
      else s.eventType = event;
    }
    node.taskListeners = specs;
  }
}

function adHocSpec(c: Collector, el: M): AdHocSpec {
  const z = ext(el, 'zeebe:AdHoc');
  return {
    activeElementsCollection: c.expression(el.id, 'active elements collection', z?.activeElementsCollection),
    completionCondition: c.expression(el.id, 'completion condition', el.completionCondition?.body),
    cancelRemainingInstances: el.cancelRemainingInstances !== false,
    outputCollection: z?.outputCollection || null,
    outputElement: c.expression(el.id, 'output element', z?.outputElement),
  } as AdHocSpec;
}

/**
 * The ad-hoc sub-process's activatable elements (no incoming flow, not a boundary event or an event sub-process)
 * with what Camunda 8.8 puts in `adHocSubProcessElements`; and its constraints: no start or end events, one activity at least.
 */
function describeAdHocElements(c: Collector, el: M, node: FlowNode, model: ProcessModel): void {
  const inner: M[] = (el.flowElements ?? []).filter((f: M) => TYPES[f.$type]);
  if (inner.some((f) => f.$type === 'bpmn:StartEvent' || f.$type === 'bpmn:EndEvent')) c.add(el.id, 'ad_hoc_start_end');
  const activities = inner.filter((f) => /Task$|SubProcess$|CallActivity$/.test(f.$type) && !f.triggeredByEvent);
  if (!activities.length) c.add(el.id, 'ad_hoc_empty');
  if (node.adHoc!.outputCollection && !node.adHoc!.outputElement) c.add(el.id, 'ad_hoc_output');
  node.adHoc!.elements = inner
    .filter((f) => !(f.incoming ?? []).length && f.$type !== 'bpmn:BoundaryEvent' && !f.triggeredByEvent && !f.isForCompensation && model.nodes[f.id])
    .map((f) => {
      const properties: Record<string, string> = {};
      for (const p of ext(f, 'zeebe:Properties')?.properties ?? []) properties[p.name] = p.value ?? '';
      const io = ext(f, 'zeebe:IoMapping');
      const sources = [...(io?.inputParameters ?? []), ...(io?.outputParameters ?? [])].map((p: M) => String(p.source ?? ''));
      return {
        elementId: f.id,
        elementName: f.name ?? null,
        documentation: (f.documentation ?? []).map((d: M) => d.text).join('\n') || null,
        properties,
        parameters: sources.flatMap(fromAiParameters),
      };
    });
}

/** The `fromAi(value, description, type, schema, options)` calls of an expression (positional or named arguments). */
function fromAiParameters(expression: string): AdHocElement['parameters'] {
  const found: AdHocElement['parameters'] = [];
  const re = /fromAi\s*\(/g;
  for (let m = re.exec(expression); m; m = re.exec(expression)) {
    let depth = 1;
    let i = re.lastIndex;
    let inString = false;
    const args: string[] = [''];
    for (; i < expression.length && depth > 0; i++) {
      const ch = expression[i]!;
      if (inString) {
        if (ch === '\\') {
          args[args.length - 1] += ch + (expression[++i] ?? '');
          continue;
        }
        if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) break;
      } else if (ch === ',' && depth === 1) {
        args.push('');
        continue;
      }
      args[args.length - 1] += ch;
    }
    const named = new Map<string, string>();
    const positional: string[] = [];
    for (const a of args.map((x) => x.trim())) {
      const n = /^(value|description|type|schema|options)\s*:\s*([\s\S]*)$/.exec(a);
      if (n) named.set(n[1]!, n[2]!.trim());
      else positional.push(a);
    }
    const arg = (name: string, index: number) => named.get(name) ?? positional[index];
    const text = (v: string | undefined) => (v && /^".*"$/s.test(v) ? (JSON.parse(v) as string) : null);
    const json = (v: string | undefined) => {
      try {
        return v ? (JSON.parse(v.replace(/(\w+)\s*:/g, '"$1":')) as unknown) : undefined;
      } catch {
        return undefined;
      }
    };
    const value = arg('value', 0) ?? '';
    const parameter: AdHocElement['parameters'][number] = {
      name: value.split('.').pop()!.trim(),
      description: text(arg('description', 1)),
      type: text(arg('type', 2)),
    };
    const schema = json(arg('schema', 3));
    const options = json(arg('options', 4));
    if (schema !== undefined) parameter.schema = schema;
    if (options !== undefined) parameter.options = options;
    found.push(parameter);
  }
  return found;
}

function buildNode(c: Collector, el: M, scopeId: string, messages: Map<string, M>): FlowNode {
  let type = TYPES[el.$type]!;
  if (type === 'subProcess' && el.triggeredByEvent) type = 'eventSubProcess';
  const io = ext(el, 'zeebe:IoMapping');
  const node: FlowNode = {
    id: el.id,
    name: el.name ?? null,
    type,
    scopeId,
    incoming: (el.incoming ?? []).map((f: M) => f.id),
    outgoing: (el.outgoing ?? []).map((f: M) => f.id),
    defaultFlow: el.default?.id ?? null,
    event: null,
    interrupting: type === 'boundaryEvent' ? el.cancelActivity !== false : el.isInterrupting !== false,
    attachedTo: el.attachedToRef?.id ?? null,
    boundaryEvents: [],
    job: null,
    userTask: null,
    script: null,
    call: null,
    decision: null,
    multiInstance: multiInstance(c, el),
    inputs: mappings(c, el.id, io?.inputParameters, 'input'),
    outputs: mappings(c, el.id, io?.outputParameters, 'output'),
    children: [],
    startEvents: [],
    eventSubProcesses: [],
  };
  if (type.endsWith('Event')) node.event = eventDefinition(c, el, messages);
  if (el.isForCompensation) node.isForCompensation = true;
  addListeners(c, el, node);
  switch (type) {
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
      node.job = jobSpec(c, el);
      if (type === 'businessRuleTask' && !node.job && ext(el, 'zeebe:CalledDecision')) node.decision = calledDecisionSpec(c, el);
      else if (!node.job) c.add(el.id, 'task_without_job', { type });
      break;
    case 'scriptTask': {
      const script = ext(el, 'zeebe:Script');
      node.job = jobSpec(c, el);
      if (script) {
        if (!script.resultVariable) c.add(el.id, 'script_without_result');
        node.script = {
          expression: c.expression(el.id, 'script', script.expression) ?? { feel: true, text: 'null' },
          resultVariable: script.resultVariable ?? '',
        };
      } else if (!node.job) c.add(el.id, 'script_without_implementation');
      break;
    }
    case 'userTask':
      node.userTask = userTaskSpec(c, el);
      if (!ext(el, 'zeebe:UserTask')) node.job = userTaskJobSpec(c, el);
      break;
    case 'receiveTask': {
      const message = el.messageRef ? (messages.get(el.messageRef.id) ?? el.messageRef) : null;
      if (!message?.name) c.add(el.id, 'receive_without_message');
      node.event = {
        kind: 'message',
        messageName: c.value(el.id, 'message name', message?.name) ?? { feel: false, text: '' },
        correlationKey: c.value(el.id, 'correlation key', ext(message ?? {}, 'zeebe:Subscription')?.correlationKey),
      };
      break;
    }
    case 'intermediateThrowEvent':
    case 'endEvent':
      if (node.event?.kind === 'message') {
        node.job = jobSpec(c, el);
        if (!node.job) c.add(el.id, 'message_throw_without_job');
      }
      break;
    case 'callActivity':
      node.call = callSpec(c, el);
      break;
    case 'adHocSubProcess':
      node.adHoc = adHocSpec(c, el);
      node.job = jobSpec(c, el);
      break;
    default:
      break;
  }
  return node;
}

/** Walks a process or sub-process, adding its nodes and flows to the model. */
function walkScope(c: Collector, container: M, scopeId: string, model: ProcessModel, messages: Map<string, M>): void {
  const scope = model.nodes[scopeId]!;
  for (const el of container.flowElements ?? []) {
    if (el.$type === 'bpmn:SequenceFlow') {
      const flow: SequenceFlow = {
        id: el.id,
        sourceId: el.sourceRef?.id ?? '',
        targetId: el.targetRef?.id ?? '',
        condition: c.expression(el.id, 'condition', el.conditionExpression?.body),
      };
      if (!flow.sourceId || !flow.targetId) c.add(el.id, 'flow_without_ends');
      model.flows[el.id] = flow;
      continue;
    }
    if (IGNORED.has(el.$type)) continue;
    if (!TYPES[el.$type]) {
      c.add(el.id, 'element_unsupported', { type: String(el.$type).replace('bpmn:', '') });
      continue;
    }
    if (model.nodes[el.id]) {
      c.add(el.id, 'duplicate_id');
      continue;
    }
    const node = buildNode(c, el, scopeId, messages);
    model.nodes[el.id] = node;
    scope.children.push(node.id);
    if (node.type === 'startEvent') scope.startEvents.push(node.id);
    if (node.type === 'eventSubProcess') scope.eventSubProcesses.push(node.id);
    if (node.type === 'subProcess' || node.type === 'eventSubProcess' || node.type === 'adHocSubProcess') walkScope(c, el, node.id, model, messages);
    if (node.type === 'adHocSubProcess') describeAdHocElements(c, el, node, model);
  }
}

function checkScopes(c: Collector, model: ProcessModel): void {
  for (const node of Object.values(model.nodes)) {
    if (node.type === 'boundaryEvent') {
      const host = node.attachedTo ? model.nodes[node.attachedTo] : undefined;
      if (!host) c.add(node.id, 'boundary_without_host');
      else host.boundaryEvents.push(node.id);
      const kind = node.event?.kind;
      if (kind && !['timer', 'message', 'signal', 'error', 'escalation', 'compensation'].includes(kind))
        c.add(node.id, 'boundary_unsupported', { kind: String(kind) });
    }
    if (node.type === 'subProcess') {
      const starts = node.startEvents.map((s) => model.nodes[s]!);
      if (starts.length !== 1 || starts[0]!.event?.kind !== 'none') c.add(node.id, 'sub_process_start');
    }
    if (node.type === 'eventSubProcess') {
      const starts = node.startEvents.map((s) => model.nodes[s]!);
      if (starts.length !== 1) c.add(node.id, 'event_sub_process_start_count');
      const kind = starts[0]?.event?.kind;
      if (kind && !['timer', 'message', 'error', 'escalation', 'signal'].includes(kind)) c.add(node.id, 'event_sub_process_start_kind', { kind: String(kind) });
      if (kind === 'error' && starts[0] && !starts[0].interrupting) c.add(starts[0].id, 'error_start_interrupting');
    }
    if (
      (node.type === 'intermediateCatchEvent' || node.type === 'boundaryEvent' || node.type === 'receiveTask') &&
      node.event?.kind === 'message' &&
      !node.event.correlationKey
    ) {
      c.add(node.id, 'message_catch_without_key');
    }
    if (node.type === 'intermediateCatchEvent' && !['timer', 'message', 'signal', 'link'].includes(node.event?.kind ?? '')) {
      c.add(node.id, 'catch_event_kind', { kind: String(node.event?.kind) });
    }
    if (node.type === 'intermediateThrowEvent' && !['none', 'escalation', 'signal', 'link', 'message', 'compensation'].includes(node.event?.kind ?? '')) {
      c.add(node.id, 'throw_event_kind', { kind: String(node.event?.kind) });
    }
    if (node.type === 'endEvent' && node.event?.kind === 'error' && !node.event.errorCode) c.add(node.id, 'error_end_without_code');
    if (node.type === 'endEvent' && node.event?.kind === 'escalation' && !node.event.escalationCode) c.add(node.id, 'escalation_end_without_code');
    if (node.type === 'intermediateThrowEvent' && node.event?.kind === 'escalation' && !node.event.escalationCode)
      c.add(node.id, 'escalation_throw_without_code');
    if (node.type === 'startEvent') {
      const scope = model.nodes[node.scopeId]!;
      if (scope.type === 'process' && !['none', 'timer', 'message', 'signal'].includes(node.event?.kind ?? ''))
        c.add(node.id, 'process_start_kind', { kind: String(node.event?.kind) });
    }
    if (node.type === 'eventBasedGateway') {
      for (const fid of node.outgoing) {
        const target = model.nodes[model.flows[fid]?.targetId ?? ''];
        if (
          !target ||
          !((target.type === 'intermediateCatchEvent' && ['timer', 'message', 'signal'].includes(target.event?.kind ?? '')) || target.type === 'receiveTask')
        ) {
          c.add(node.id, 'event_gateway_targets');
        }
      }
      if (node.outgoing.length < 2) c.add(node.id, 'event_gateway_outgoing');
    }
    if ((node.type === 'exclusiveGateway' || node.type === 'inclusiveGateway') && node.outgoing.length > 1) {
      for (const fid of node.outgoing) {
        const flow = model.flows[fid];
        if (flow && fid !== node.defaultFlow && !flow.condition) c.add(fid, 'flow_without_condition', { gateway: node.id });
      }
    }
  }
  checkUniqueCatches(c, model);
  for (const flow of Object.values(model.flows)) {
    const source = model.nodes[flow.sourceId];
    const target = model.nodes[flow.targetId];
    if (!source || !target) c.add(flow.id, 'flow_unknown_end', { id: String(!source ? flow.sourceId : flow.targetId) });
    else if (source.scopeId !== target.scopeId) c.add(flow.id, 'flow_crosses_scope');
    else if (target.type === 'startEvent' || target.type === 'boundaryEvent') c.add(flow.id, 'flow_enters_start', { type: target.type });
  }
  // link catch events: one per name per scope
  for (const node of Object.values(model.nodes)) {
    if (node.type === 'intermediateCatchEvent' && node.event?.kind === 'link') {
      const key = `${node.scopeId}/${node.event.linkName}`;
      if (model.linkCatches[key]) c.add(node.id, 'link_catch_twice', { name: String(node.event.linkName) });
      model.linkCatches[key] = node.id;
    }
  }
  for (const node of Object.values(model.nodes)) {
    if (node.type === 'intermediateThrowEvent' && node.event?.kind === 'link' && !model.linkCatches[`${node.scopeId}/${node.event.linkName}`]) {
      c.add(node.id, 'link_catch_missing', { name: String(node.event.linkName) });
    }
  }
}

/** Zeebe rejects two error (or escalation) catch events with the same code, or two catch-alls, on one activity or in one scope. */
function checkUniqueCatches(c: Collector, model: ProcessModel): void {
  const check = (ownerId: string, events: FlowNode[]) => {
    for (const kind of ['error', 'escalation'] as const) {
      const seen = new Map<string, string>();
      for (const e of events) {
        if (e.event?.kind !== kind) continue;
        const code =
          (kind === 'error' ? (e.event as { errorCode: string | null }).errorCode : (e.event as { escalationCode: string | null }).escalationCode) ??
          '(catch-all)';
        if (e.event && (e.event as { codeExpr: unknown }).codeExpr) c.add(e.id, 'catch_code_expression', { kind });
        const first = seen.get(code);
        if (first) c.add(e.id, 'code_caught_twice', { kind, code: String(code), owner: String(ownerId), first: String(first) });
        else seen.set(code, e.id);
      }
    }
  };
  for (const node of Object.values(model.nodes)) {
    if (node.boundaryEvents.length)
      check(
        node.id,
        node.boundaryEvents.map((id) => model.nodes[id]!),
      );
    if (node.eventSubProcesses.length)
      check(
        node.id,
        node.eventSubProcesses.map((id) => model.nodes[model.nodes[id]!.startEvents[0] ?? '']).filter((n): n is FlowNode => !!n),
      );
  }
}

/** Associations (source id → target ids) of the process and its sub-processes: how a compensation boundary names its handler. */
function associations(container: M, found = new Map<string, string[]>()): Map<string, string[]> {
  for (const a of container.artifacts ?? []) {
    if (a.$type === 'bpmn:Association' && a.sourceRef?.id && a.targetRef?.id) found.set(a.sourceRef.id, [...(found.get(a.sourceRef.id) ?? []), a.targetRef.id]);
  }
  for (const f of container.flowElements ?? []) if (f.flowElements || f.artifacts) associations(f, found);
  return found;
}

/**
 * Compensation as Camunda 8.8 executes it (docs, *Compensation events*, *Compensation handler*): a compensation boundary
 * event names its handler by an association; the handler (`isForCompensation`) has no sequence flows; a throw event's
 * `activityRef` names an activity of its own scope (or, inside an event sub-process, of the scope around it) that has a
 * compensation boundary event.
 */
function linkCompensation(c: Collector, model: ProcessModel, assoc: Map<string, string[]>): void {
  for (const node of Object.values(model.nodes)) {
    if (node.isForCompensation && (node.incoming.length || node.outgoing.length)) c.add(node.id, 'compensation_handler_flows');
    if (node.type === 'boundaryEvent' && node.event?.kind === 'compensation') {
      const handler = (assoc.get(node.id) ?? []).map((id) => model.nodes[id]).find((n) => n?.isForCompensation);
      if (!handler) c.add(node.id, 'compensation_without_handler');
      if (node.outgoing.length) c.add(node.id, 'compensation_boundary_outgoing');
      const host = node.attachedTo ? model.nodes[node.attachedTo] : undefined;
      if (host && handler) {
        if (host.compensation) c.add(node.id, 'compensation_boundary_twice', { activity: host.id });
        host.compensation = { handlerId: handler.id };
      }
    }
    if (node.event?.kind === 'compensation' && node.type === 'startEvent') c.add(node.id, 'compensation_start');
  }
  for (const node of Object.values(model.nodes)) {
    if ((node.type !== 'intermediateThrowEvent' && node.type !== 'endEvent') || node.event?.kind !== 'compensation' || !node.event.activityRef) continue;
    const target = model.nodes[node.event.activityRef];
    const scope = model.nodes[node.scopeId];
    const scopeId = scope?.type === 'eventSubProcess' ? scope.scopeId : node.scopeId;
    if (!target || !target.compensation || (target.scopeId !== scopeId && target.scopeId !== node.scopeId)) {
      c.add(node.id, 'compensation_activity_ref', { ref: String(node.event.activityRef) });
    }
  }
}

function buildProcess(c: Collector, proc: M, messages: Map<string, M>): ProcessModel {
  const root: FlowNode = {
    id: proc.id,
    name: proc.name ?? null,
    type: 'process',
    scopeId: '',
    incoming: [],
    outgoing: [],
    defaultFlow: null,
    event: null,
    interrupting: true,
    attachedTo: null,
    boundaryEvents: [],
    job: null,
    userTask: null,
    script: null,
    call: null,
    decision: null,
    multiInstance: null,
    inputs: [],
    outputs: [],
    children: [],
    startEvents: [],
    eventSubProcesses: [],
  };
  addListeners(c, proc, root);
  const model: ProcessModel = {
    processId: proc.id,
    name: proc.name ?? null,
    versionTag: ext(proc, 'zeebe:VersionTag')?.value ?? null,
    nodes: { [proc.id]: root },
    flows: {},
    noneStart: null,
    messageStarts: [],
    signalStarts: [],
    timerStarts: [],
    linkCatches: {},
  };
  walkScope(c, proc, proc.id, model, messages);
  checkScopes(c, model);
  for (const id of root.startEvents) {
    const kind = model.nodes[id]!.event?.kind;
    if (kind === 'none') {
      if (model.noneStart) c.add(id, 'none_start_twice');
      model.noneStart = id;
    } else if (kind === 'message') model.messageStarts.push(id);
    else if (kind === 'signal') model.signalStarts.push(id);
    else if (kind === 'timer') model.timerStarts.push(id);
  }
  if (!root.startEvents.length) c.add(proc.id, 'process_without_start');
  linkCompensation(c, model, associations(proc));
  computeInclusiveReachers(model);
  return model;
}

/** Parses one BPMN XML resource into executable process models, collecting every problem. */
export async function parseBpmn(resource: string, xml: string): Promise<ParseResult> {
  const c = new Collector(resource);
  let root: M;
  try {
    const moddle = createModdle();
    const result = await moddle.fromXML(xml);
    root = result.rootElement;
    for (const w of result.warnings) {
      // unknown elements / attributes outside BPMN + zeebe: reject rather than guess
      if (/unparsable content|unknown type/.test(w.message)) c.add(null, 'xml_unknown_content', { detail: w.message });
    }
  } catch (err) {
    c.add(null, 'not_bpmn', { detail: (err as Error).message });
    return { processes: [], problems: c.problems };
  }
  const messages = new Map<string, M>();
  for (const el of root.rootElements ?? []) if (el.$type === 'bpmn:Message') messages.set(el.id, el);
  const all: M[] = [];
  for (const el of root.rootElements ?? []) {
    if (el.$type === 'bpmn:Process') all.push(el);
    if (el.$type === 'bpmn:Collaboration') {
      for (const p of el.participants ?? []) if (p.processRef && !(root.rootElements ?? []).includes(p.processRef)) all.push(p.processRef);
    }
  }
  // a pool whose process is not executable (another party, documentation) is ignored, as by Zeebe since 8.2;
  // a resource with none executable is refused, as by Zeebe
  const processes = all.filter((p) => p.isExecutable !== false).map((p) => buildProcess(c, p, messages));
  if (!all.length) c.add(null, 'no_process');
  else if (!processes.length) c.add(all[0].id, 'no_executable_process');
  return { processes, problems: c.problems };
}
