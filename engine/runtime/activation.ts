import { prepareAdHocSubProcess } from '../behaviours/ad-hoc-sub-process.js';
import { prepareBusinessRuleTask } from '../behaviours/business-rule-task.js';
import { prepareBoundaryEvent, planBoundaryEvents } from '../behaviours/boundary-events.js';
import { prepareCallActivity } from '../behaviours/call-activity.js';
import { prepareCatchEvent } from '../behaviours/catch-events.js';
import { prepareEventBasedGateway } from '../behaviours/event-based-gateway.js';
import { prepareEventSubProcess } from '../behaviours/event-sub-process.js';
import { nextExecutionListener } from '../behaviours/execution-listeners.js';
import { activateMultiInstanceBody } from '../behaviours/multi-instance.js';
import { continueProcessStart } from '../behaviours/process.js';
import { prepareScriptTask } from '../behaviours/script-task.js';
import { prepareJobWorkerUserTask } from '../behaviours/job-worker-user-task.js';
import { prepareJob } from '../behaviours/service-task.js';
import { prepareStartEvent } from '../behaviours/start-events.js';
import { prepareSubProcess } from '../behaviours/sub-process.js';
import { prepareThrowEvent } from '../behaviours/throw-events.js';
import { prepareUserTask } from '../behaviours/user-task.js';
import type { FlowNode } from '../model/types.js';
import { evaluateMappings } from './expressions.js';
import type { ElementRow } from './rows.js';
import { MI_BODY, type Run, type Vars } from './run.js';
import { setLocal, visible } from './variables.js';

/** The writes an element's behaviour does on activation, returned once everything that can fail was evaluated. */
export type Prepared = () => Promise<void>;

/**
 * Activates an element instance: input mappings, boundary events, then its behaviour. Everything that
 * can fail is evaluated before anything is written: an incident leaves no half-done work.
 */
export async function activate(run: Run, el: ElementRow): Promise<void> {
  const node = await run.nodeOf(el);
  if (el.type === MI_BODY) return activateMultiInstanceBody(run, el, node);
  const context = await visible(run, el.key);
  // start listeners run after the input mappings: once they ran, the inputs are not applied again
  const listenersRan = el.data.listener?.event === 'start';
  const inputs = node.inputs.length && !listenersRan ? evaluateMappings(node.inputs, context, 'input') : null;
  const innerOfMi = el.data.loopCounter !== undefined;
  const ctxWithInputs = inputs ? { ...context, ...inputs } : context;
  if (node.listeners?.start.length) {
    const listener = await nextExecutionListener(run, el, node, 'start', ctxWithInputs);
    if (listener) {
      if (inputs) for (const [name, value] of Object.entries(inputs)) await setLocal(run, el.key, el.instanceKey, name, value);
      delete el.data.pending;
      await listener();
      await run.saveElement(el);
      return;
    }
  }
  if (el.type === 'process') return continueProcessStart(run, el, node);
  // an inner instance of a multi-instance has its boundary events on the body
  const boundaries = innerOfMi ? [] : await planBoundaryEvents(run, el, node, ctxWithInputs);
  const prepared = await prepareBehaviour(run, el, node, ctxWithInputs);
  if (inputs) for (const [name, value] of Object.entries(inputs)) await setLocal(run, el.key, el.instanceKey, name, value);
  if (el.data.pending) delete el.data.pending;
  if (el.data.listener) delete el.data.listener;
  el.state = 'ACTIVE';
  await run.saveElement(el);
  for (const b of boundaries) await b();
  await prepared();
  // Zeebe writes the job / user task first, then the element's ACTIVATED record
  await run.history(el, 'ELEMENT_ACTIVATED');
}

/** Element type → behaviour (behaviours/*.ts): what the element does or waits for once active. */
function prepareBehaviour(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  switch (node.type) {
    case 'serviceTask':
    case 'sendTask':
      return prepareJob(run, el, node, context);
    case 'businessRuleTask':
      return prepareBusinessRuleTask(run, el, node, context);
    case 'scriptTask':
      return prepareScriptTask(run, el, node, context);
    case 'userTask':
      return node.job ? prepareJobWorkerUserTask(run, el, node, context) : prepareUserTask(run, el, node, context);
    case 'receiveTask':
    case 'intermediateCatchEvent':
      return prepareCatchEvent(run, el, node, context);
    case 'eventBasedGateway':
      return prepareEventBasedGateway(run, el, node, context);
    case 'startEvent':
      return prepareStartEvent(run, el, node);
    case 'boundaryEvent':
      return prepareBoundaryEvent(run, el, node);
    case 'intermediateThrowEvent':
    case 'endEvent':
      return prepareThrowEvent(run, el, node, context);
    case 'subProcess':
      return prepareSubProcess(run, el, node, context);
    case 'adHocSubProcess':
      return prepareAdHocSubProcess(run, el, node, context);
    case 'eventSubProcess':
      return prepareEventSubProcess(run, el, node, context);
    case 'callActivity':
      return prepareCallActivity(run, el, node, context);
    default:
      // manual task, undefined task, exclusive, inclusive and parallel gateways: nothing to wait for
      // (a gateway's choice is made on completion, completion.ts)
      return Promise.resolve(async () => run.enqueue('complete', el.key));
  }
}
