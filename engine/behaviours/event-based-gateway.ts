import type { FlowNode, ProcessModel } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import { closeSubscriptions, planEventSubscription } from '../runtime/event-subscriptions.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { takeFlow } from '../runtime/sequence-flows.js';

/**
 * Event-based gateway: waits on the events its flows lead to (their subscriptions are the gateway's);
 * the first that happens wins, the gateway completes through that flow and the event element starts
 * already triggered (catch-events.ts applies its variables).
 */
export async function prepareEventBasedGateway(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const model = (await run.definitionOf(el)).model;
  const opens: Prepared[] = [];
  for (const fid of node.outgoing) {
    const target = model.nodes[model.flows[fid]!.targetId]!;
    const open = await planEventSubscription(run, el, target, context, target.id);
    if (open) opens.push(open);
  }
  return async () => {
    for (const open of opens) await open();
  };
}

export async function triggerEventBasedGateway(run: Run, owner: ElementRow, model: ProcessModel, eventId: string, vars: Vars): Promise<boolean> {
  const scope = (await run.element(owner.scopeKey!))!;
  const gatewayNode = model.nodes[owner.elementId]!;
  const flowId = gatewayNode.outgoing.find((f) => model.flows[f]!.targetId === eventId)!;
  await closeSubscriptions(run, owner);
  await run.deleteElement(owner);
  await run.history(owner, 'ELEMENT_COMPLETED');
  await takeFlow(run, scope, flowId, model);
  const target = (await run.children(scope.key)).find((c) => c.elementId === eventId && c.state === 'ACTIVATING');
  if (target) {
    target.data.triggerVariables = vars;
    await run.saveElement(target);
  }
  return true;
}
