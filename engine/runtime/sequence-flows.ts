import { evaluateCondition } from '../feel/feel.js';
import type { ProcessModel } from '../model/types.js';
import { arriveAtJoin, isJoin } from '../behaviours/gateway-joins.js';
import { appendHistory } from '../store/history.js';
import type { ElementRow } from './rows.js';
import { Incident, MI_BODY, type Run, type Vars } from './run.js';

/** Takes a sequence flow: its target is activated, or a converging gateway counts the token. */
export async function takeFlow(run: Run, scope: ElementRow, flowId: string, model: ProcessModel): Promise<void> {
  const flow = model.flows[flowId]!;
  const target = model.nodes[flow.targetId]!;
  await appendHistory(run.db, {
    instanceKey: scope.instanceKey,
    processId: (await run.instance(scope.instanceKey)).process_id,
    elementKey: scope.key,
    elementId: flowId,
    elementType: 'sequenceFlow',
    intent: 'SEQUENCE_FLOW_TAKEN',
    at: run.now,
    payload: null,
  });
  if (isJoin(target)) return arriveAtJoin(run, scope, target, flowId);
  const el = await run.newElement(scope, target.id, target.multiInstance ? MI_BODY : target.type);
  run.enqueue('activate', el.key);
}

/**
 * The condition of an outgoing flow of an exclusive or inclusive gateway, as Zeebe evaluates it: the result
 * must be a boolean. Anything else — null from a comparison with a missing variable included — or a failed
 * evaluation is a CONDITION_ERROR incident whose message carries FEEL's warnings (`a != null and a > 10`
 * and `is defined(a)` are false, not null, so they take no incident).
 */
export function conditionHolds(model: ProcessModel, flowId: string, context: Vars): boolean {
  const flow = model.flows[flowId]!;
  const r = evaluateCondition(flow.condition!.text, context);
  if (!r.ok) throw new Incident('CONDITION_ERROR', `condition of ${flowId}: ${r.message}`);
  return r.value === true;
}
