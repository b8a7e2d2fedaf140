import { adHocMayComplete, prepareAdHocPathEnd } from '../behaviours/ad-hoc-sub-process.js';
import { compensationHandlerCompleted, recordCompensable } from '../behaviours/compensation.js';
import { chooseExclusiveFlow } from '../behaviours/exclusive-gateway.js';
import { chooseInclusiveFlows } from '../behaviours/inclusive-gateway.js';
import { retryInclusiveJoins } from '../behaviours/gateway-joins.js';
import { innerInstanceCompleted, innerOutput, propagateOutputCollection } from '../behaviours/multi-instance.js';
import { nextExecutionListener } from '../behaviours/execution-listeners.js';
import { completeProcess } from '../behaviours/process.js';
import { isLinkThrow, jumpToLinkCatch } from '../behaviours/throw-events.js';
import type { FlowNode, ProcessModel } from '../model/types.js';
import { countChildren } from '../store/elements.js';
import { closeSubscriptions } from './event-subscriptions.js';
import { evaluateMappings } from './expressions.js';
import type { ElementRow } from './rows.js';
import { MI_BODY, type Run, type Vars } from './run.js';
import { takeFlow } from './sequence-flows.js';
import { propagate, visible } from './variables.js';

/**
 * Completes an element instance: output mappings, the choice of outgoing flows, then the element is gone
 * and its scope goes on. Everything that can fail is evaluated before anything is written.
 */
export async function complete(run: Run, el: ElementRow): Promise<void> {
  const def = await run.definitionOf(el);
  const node = def.model.nodes[el.elementId]!;
  const isMiInner = el.data.loopCounter !== undefined;
  const isMiBody = el.type === MI_BODY;
  // nothing is written before the last evaluation below, so one read of the variables serves them all
  let visibleVars: Vars | null = null;
  const context = async () => (visibleVars ??= await visible(run, el.key));
  // end listeners run after the output mappings: once they ran, the outputs are not applied again
  const listenersRan = el.data.listener?.event === 'end';
  const applyOutputs = !isMiInner && node.outputs.length > 0 && !listenersRan;
  const outputs = applyOutputs ? evaluateMappings(node.outputs, await context(), 'output') : null;
  if (node.listeners?.end.length && !isMiBody && (await awaitEndListener(run, el, node, outputs, context))) return;
  if (el.type === 'process') return completeProcess(run, el);
  const miOutput = isMiInner ? await innerOutput(run, el, node, context) : null;
  const flows = isMiInner ? [] : await chooseOutgoing(node, def.model, context);
  // the end of a path inside an ad-hoc sub-process: its output element and completion condition
  const adHocScope = !isMiInner && !flows.length ? def.model.nodes[node.scopeId] : undefined;
  const adHocEnd = adHocScope?.type === 'adHocSubProcess' ? await prepareAdHocPathEnd(run, el, adHocScope, context) : null;
  if (isMiBody) await propagateOutputCollection(run, el, node);
  if (outputs) await propagate(run, el.scopeKey!, outputs);
  await closeSubscriptions(run, el);
  await run.deleteElement(el);
  await run.history(el, 'ELEMENT_COMPLETED');
  if (adHocEnd) await adHocEnd();
  const scope = el.scopeKey ? await run.element(el.scopeKey) : null;
  if (!scope) return;
  if (node.compensation || el.data.compensable) await recordCompensable(run, scope, node, el);
  if (el.data.compensationFor) await compensationHandlerCompleted(run, el.data.compensationFor);
  if (isMiInner) return innerInstanceCompleted(run, scope, node, miOutput, el.data.loopCounter!);
  if (isLinkThrow(node)) return jumpToLinkCatch(run, scope, node, def.model);
  for (const flowId of flows) await takeFlow(run, scope, flowId, def.model);
  await afterChildLeft(run, scope);
}

/** Starts the element's next end listener (after writing the outputs): true while the element waits for it. */
async function awaitEndListener(run: Run, el: ElementRow, node: FlowNode, outputs: Vars | null, context: () => Promise<Vars>): Promise<boolean> {
  const listener = await nextExecutionListener(run, el, node, 'end', outputs ? { ...(await context()), ...outputs } : await context());
  if (!listener) return false;
  if (outputs) await propagate(run, el.scopeKey!, outputs);
  // the element is completing: nothing may trigger it any more
  if (el.state === 'ACTIVE') await closeSubscriptions(run, el);
  el.state = 'COMPLETING';
  delete el.data.pending;
  await listener();
  await run.saveElement(el);
  return true;
}

/** The outgoing flows to take: a gateway chooses (its behaviour), everything else takes them all. */
function chooseOutgoing(node: FlowNode, model: ProcessModel, variables: () => Promise<Vars>): Promise<string[]> {
  if (node.type === 'exclusiveGateway') return chooseExclusiveFlow(node, model, variables);
  if (node.type === 'inclusiveGateway') return chooseInclusiveFlows(node, model, variables);
  if (node.type === 'eventBasedGateway') return Promise.resolve([]); // the triggered event is activated by the trigger itself
  return Promise.resolve(node.outgoing);
}

/** A child left its scope: re-check inclusive joins, and complete the scope when nothing is left in it. */
export async function afterChildLeft(run: Run, scope: ElementRow): Promise<void> {
  if (scope.type === MI_BODY) return;
  await retryInclusiveJoins(run, scope);
  const pendingTokens = Object.values(scope.data.joins ?? {}).some((t) => Object.values(t).some((n) => n > 0));
  if (pendingTokens) return;
  if (scope.state !== 'ACTIVE') return;
  if (scope.type === 'adHocSubProcess' && !adHocMayComplete(scope, await run.nodeOf(scope))) return;
  // a child this command created or read, and has not deleted, is still there: nothing to count
  if (run.hasCachedChild(scope.key)) return;
  if ((await countChildren(run.db, scope.key)) === 0) run.enqueue('complete', scope.key);
}
