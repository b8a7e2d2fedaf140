import type { FlowNode, ProcessModel } from '../model/types.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { conditionHolds } from '../runtime/sequence-flows.js';

/**
 * Inclusive gateway. Fork: every outgoing flow whose condition is true, else the default flow.
 * Join (gateway-joins.ts counts the tokens): fires once no missing incoming flow can still get a token,
 * Zeebe's reachability rule — `reachers` (model/reachability.ts) lists the elements from which each
 * incoming flow can be reached.
 */
export async function chooseInclusiveFlows(node: FlowNode, model: ProcessModel, variables: () => Promise<Vars>): Promise<string[]> {
  if (node.outgoing.length <= 1) return node.outgoing;
  const context = await variables();
  const chosen = node.outgoing.filter((fid) => fid !== node.defaultFlow && conditionHolds(model, fid, context));
  if (!chosen.length && node.defaultFlow) chosen.push(node.defaultFlow);
  if (!chosen.length) throw new Incident('CONDITION_ERROR', `no outgoing flow of ${node.id} has a true condition and there is no default flow`);
  return chosen;
}

/** Ready when each incoming flow without a token has no active element that could still reach it. */
export async function inclusiveJoinReady(run: Run, scope: ElementRow, gateway: FlowNode, tokens: Record<string, number>): Promise<boolean> {
  const missing = gateway.incoming.filter((f) => !(tokens[f] ?? 0));
  if (!missing.length) return true;
  const active = new Set((await run.children(scope.key)).map((c) => c.elementId));
  return !missing.some((f) => (gateway.reachers?.[f] ?? []).some((id) => active.has(id)));
}
