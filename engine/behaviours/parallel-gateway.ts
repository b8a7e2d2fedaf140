import type { FlowNode } from '../model/types.js';

/**
 * Parallel gateway. Fork: every outgoing flow, no conditions (completion.ts takes them all).
 * Join (gateway-joins.ts counts the tokens): fires once every incoming flow has a token.
 */
export function parallelJoinReady(gateway: FlowNode, tokens: Record<string, number>): boolean {
  return gateway.incoming.every((f) => (tokens[f] ?? 0) > 0);
}
