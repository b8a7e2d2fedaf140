import type { FlowNode } from '../model/types.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run } from '../runtime/run.js';
import { inclusiveJoinReady } from './inclusive-gateway.js';
import { parallelJoinReady } from './parallel-gateway.js';

/**
 * Converging parallel and inclusive gateways: the tokens that arrived, per gateway and incoming flow, are
 * kept on the scope (`data.joins`); when the gateway's rule says it is ready, one token of each flow that
 * has one is consumed and the gateway is activated once.
 */

export function isJoin(target: FlowNode): boolean {
  return (target.type === 'parallelGateway' || target.type === 'inclusiveGateway') && target.incoming.length > 1;
}

export async function arriveAtJoin(run: Run, scope: ElementRow, gateway: FlowNode, flowId: string): Promise<void> {
  const joins = (scope.data.joins ??= {});
  const tokens = (joins[gateway.id] ??= {});
  tokens[flowId] = (tokens[flowId] ?? 0) + 1;
  await run.saveElement(scope);
  await tryJoin(run, scope, gateway);
}

/** A child left the scope: an inclusive join waiting on it may be ready now. */
export async function retryInclusiveJoins(run: Run, scope: ElementRow): Promise<void> {
  const model = (await run.definitionOf(scope)).model;
  for (const gatewayId of Object.keys(scope.data.joins ?? {})) {
    const gw = model.nodes[gatewayId]!;
    if (gw.type === 'inclusiveGateway') await tryJoin(run, scope, gw);
  }
}

async function tryJoin(run: Run, scope: ElementRow, gateway: FlowNode): Promise<boolean> {
  const tokens = scope.data.joins?.[gateway.id];
  if (!tokens) return false;
  const taken = gateway.incoming.filter((f) => (tokens[f] ?? 0) > 0);
  if (!taken.length) return false;
  const ready = gateway.type === 'parallelGateway' ? parallelJoinReady(gateway, tokens) : await inclusiveJoinReady(run, scope, gateway, tokens);
  if (!ready) return false;
  for (const f of taken) {
    tokens[f]! -= 1;
    if (!tokens[f]) delete tokens[f];
  }
  if (!Object.keys(tokens).length) delete scope.data.joins![gateway.id];
  await run.saveElement(scope);
  const el = await run.newElement(scope, gateway.id, gateway.type);
  run.enqueue('activate', el.key);
  return true;
}
