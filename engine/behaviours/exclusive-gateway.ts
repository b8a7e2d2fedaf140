import type { FlowNode, ProcessModel } from '../model/types.js';
import { Incident, type Vars } from '../runtime/run.js';
import { conditionHolds } from '../runtime/sequence-flows.js';

/**
 * Exclusive gateway: on completion it takes the first outgoing flow (in document order) whose condition
 * is true, else the default flow; neither is a CONDITION_ERROR incident. With one outgoing flow no
 * condition is evaluated. As a join it passes every token through (no waiting).
 */
export async function chooseExclusiveFlow(node: FlowNode, model: ProcessModel, variables: () => Promise<Vars>): Promise<string[]> {
  if (node.outgoing.length <= 1) return node.outgoing;
  const context = await variables();
  for (const fid of node.outgoing) {
    if (fid === node.defaultFlow) continue;
    if (conditionHolds(model, fid, context)) return [fid];
  }
  if (node.defaultFlow) return [node.defaultFlow];
  throw new Incident('CONDITION_ERROR', `no outgoing flow of ${node.id} has a true condition and there is no default flow`);
}
