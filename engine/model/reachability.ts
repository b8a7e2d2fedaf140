import type { ProcessModel } from './types.js';

/**
 * For every converging inclusive gateway: which nodes of its scope can still send a token down
 * each incoming flow. The join may fire once no active element is among the reachers of a flow
 * that has not been taken yet (Zeebe's inclusive-join rule).
 */
export function computeInclusiveReachers(model: ProcessModel): void {
  for (const gateway of Object.values(model.nodes)) {
    if (gateway.type !== 'inclusiveGateway' || gateway.incoming.length < 2) continue;
    const reachers: Record<string, string[]> = {};
    for (const flowId of gateway.incoming) {
      const seen = new Set<string>();
      const stack = [model.flows[flowId]?.sourceId ?? ''];
      while (stack.length) {
        const id = stack.pop()!;
        if (!id || seen.has(id) || id === gateway.id) continue;
        const node = model.nodes[id];
        if (!node || node.scopeId !== gateway.scopeId) continue;
        seen.add(id);
        for (const f of node.incoming) stack.push(model.flows[f]?.sourceId ?? '');
        if (node.type === 'boundaryEvent' && node.attachedTo) stack.push(node.attachedTo);
      }
      reachers[flowId] = [...seen];
    }
    gateway.reachers = reachers;
  }
}
