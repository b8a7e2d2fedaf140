import { createModdle, extensionOf, flowElements, processesOf, type Moddle, type ModdleElement } from './bpmn-xml.js';

/** The file cannot be rewritten without loss: what bpmn-moddle warned about. */
export class ListenerRewriteError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ListenerRewriteError';
  }
}

/** Job type of the execution listeners the deploy step adds: element start/end → audit history. */
export const HISTORY_JOB_TYPE = 'ywtg-history';
/** Job type of the user task listeners the deploy step adds: task lifecycle → task inbox. */
export const USER_TASK_JOB_TYPE = 'ywtg-user-task';

export const TASK_LISTENER_EVENTS = ['creating', 'assigning', 'updating', 'completing', 'canceling'] as const;

export interface ListenerTypes {
  history: string;
  userTask: string;
}

const GATEWAYS = new Set(['bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:ComplexGateway']);

/**
 * Which execution listener events Zeebe 8.8 accepts on an element (docs, "Execution listeners" →
 * Limitations): no start listener on start and boundary events, no end listener on gateways and error
 * end events, none on compensation boundary events. Everything else (process, activities,
 * sub-processes, intermediate and end events) takes both.
 */
export function executionListenerEvents(el: ModdleElement): Array<'start' | 'end'> {
  const defs = (el['eventDefinitions'] as ModdleElement[] | undefined) ?? [];
  const has = (type: string) => defs.some((d) => d.$type === type);
  if (el.$type === 'bpmn:BoundaryEvent') return has('bpmn:CompensateEventDefinition') ? [] : ['end'];
  if (el.$type === 'bpmn:StartEvent') return ['end'];
  if (GATEWAYS.has(el.$type)) return ['start'];
  if (el.$type === 'bpmn:EndEvent' && has('bpmn:ErrorEventDefinition')) return ['start'];
  return ['start', 'end'];
}

function isFlowNode(el: ModdleElement): boolean {
  return typeof el['$instanceOf'] === 'function' && (el['$instanceOf'] as (t: string) => boolean)('bpmn:FlowNode');
}

function extensionElements(moddle: Moddle, el: ModdleElement): ModdleElement[] {
  if (!el['extensionElements']) el['extensionElements'] = moddle.create('bpmn:ExtensionElements', { values: [] });
  const ext = el['extensionElements'] as ModdleElement;
  if (!ext['values']) ext['values'] = [];
  return ext['values'] as ModdleElement[];
}

function addExecutionListeners(moddle: Moddle, el: ModdleElement, events: Array<'start' | 'end'>, type: string): number {
  if (!events.length) return 0;
  let holder = extensionOf(el, 'zeebe:ExecutionListeners');
  if (!holder) {
    holder = moddle.create('zeebe:ExecutionListeners', { listeners: [] });
    extensionElements(moddle, el).push(holder);
  }
  const listeners = ((holder['listeners'] as ModdleElement[] | undefined) ??= []);
  let added = 0;
  for (const eventType of events) {
    // Zeebe rejects two listeners with the same event type and job type
    if (listeners.some((l) => l['eventType'] === eventType && l['type'] === type)) continue;
    const listener = moddle.create('zeebe:ExecutionListener', { eventType, type, retries: '3' });
    // ours runs first on start (the element is recorded even if a modelled listener fails) and last on end
    if (eventType === 'start') listeners.unshift(listener);
    else listeners.push(listener);
    added++;
  }
  return added;
}

function addTaskListeners(moddle: Moddle, el: ModdleElement, type: string): number {
  let holder = extensionOf(el, 'zeebe:TaskListeners');
  if (!holder) {
    holder = moddle.create('zeebe:TaskListeners', { listeners: [] });
    extensionElements(moddle, el).push(holder);
  }
  const listeners = ((holder['listeners'] as ModdleElement[] | undefined) ??= []);
  let added = 0;
  for (const eventType of TASK_LISTENER_EVENTS) {
    if (listeners.some((l) => l['eventType'] === eventType && l['type'] === type)) continue;
    // last, so it sees the task as corrected by any modelled listener before it
    listeners.push(moddle.create('zeebe:TaskListener', { eventType, type, retries: '3' }));
    added++;
  }
  return added;
}

/**
 * The deploy step's rewrite: the same BPMN with an execution listener (`ywtg-history`, start and end
 * where Zeebe allows them) on every process and flow node, and user task listeners (`ywtg-user-task`,
 * every lifecycle event) on every Camunda user task (`zeebe:userTask`). Parses with bpmn-moddle +
 * zeebe-bpmn-moddle and serialises with `toXML`; the file on disk is never touched. Deterministic and
 * idempotent: the same input always gives the same output, so an unchanged file deploys no new version.
 * A file bpmn-moddle reads only with warnings is refused (ListenerRewriteError) rather than rewritten.
 */
export async function addListeners(
  xml: string,
  types: ListenerTypes = { history: HISTORY_JOB_TYPE, userTask: USER_TASK_JOB_TYPE },
): Promise<{ xml: string; added: number }> {
  const moddle = createModdle();
  const { rootElement, warnings } = await moddle.fromXML(xml);
  // bpmn-moddle reads past broken markup, unknown elements and dangling references with a warning;
  // writing the tree back would silently "repair" the file, so such a file is refused instead
  if (warnings.length) throw new ListenerRewriteError(warnings.map((w) => w.message.split('\n')[0]!));
  let added = 0;
  for (const process of processesOf(rootElement)) {
    added += addExecutionListeners(moddle, process, ['start', 'end'], types.history);
    for (const el of flowElements(process)) {
      if (!isFlowNode(el)) continue;
      added += addExecutionListeners(moddle, el, executionListenerEvents(el), types.history);
      if (el.$type === 'bpmn:UserTask' && extensionOf(el, 'zeebe:UserTask')) added += addTaskListeners(moddle, el, types.userTask);
    }
  }
  if (!added) return { xml, added };
  return { xml: (await moddle.toXML(rootElement, { format: true })).xml, added };
}
