import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow } from '../runtime/rows.js';
import { MI_BODY, type Run } from '../runtime/run.js';

/**
 * Compensation (Camunda 8.8 docs, *Compensation events*, *Compensation handler*). An activity with a compensation
 * boundary event that completes (a multi-instance activity: once, when its body completes) is recorded on its scope
 * (`data.compensable`); a completed sub-process hands its records to the scope around it. A compensation
 * intermediate throw or end event invokes the handlers of every record of its scope (those of completed sub-processes
 * in it included), or only of its `activityRef`, all at once, and waits until they completed. Inside an event
 * sub-process it compensates the scope around the event sub-process. Active or terminated activities are not compensated;
 * each record is invoked once.
 */

/** After an element completed: its compensation handler, and the records of a completed sub-process, go to its scope. */
export async function recordCompensable(run: Run, scope: ElementRow, node: FlowNode, el: ElementRow): Promise<void> {
  const isInner = el.data.loopCounter !== undefined;
  const own = node.compensation && !isInner ? [{ activityId: node.id, handlerId: node.compensation.handlerId }] : [];
  // the records of a multi-instance body's inner instances stay "own": they are the same activity's scope content
  const inner = (el.data.compensable ?? []).map((r) => (el.type === MI_BODY || isInner ? r : { ...r, nested: true }));
  if (!own.length && !inner.length) return;
  scope.data.compensable = [...(scope.data.compensable ?? []), ...own, ...inner];
  await run.saveElement(scope);
}

/** A compensation throw or end event: invokes the handlers and waits for them, or completes at once when there are none. */
export async function prepareCompensationThrow(run: Run, el: ElementRow, node: FlowNode): Promise<Prepared> {
  return async () => {
    let scope = (await run.element(el.scopeKey!))!;
    if (scope.type === 'eventSubProcess') scope = (await run.element(scope.scopeKey!))!;
    const ref = node.event?.kind === 'compensation' ? node.event.activityRef : null;
    const records = scope.data.compensable ?? [];
    const invoked = ref ? records.filter((r) => r.activityId === ref && !r.nested) : records;
    if (!invoked.length) return run.enqueue('complete', el.key);
    scope.data.compensable = records.filter((r) => !invoked.includes(r));
    await run.saveElement(scope);
    const model = (await run.definitionOf(el)).model;
    for (const r of invoked) {
      const handler = model.nodes[r.handlerId]!;
      const h = await run.newElement(scope, handler.id, handler.multiInstance ? MI_BODY : handler.type, { compensationFor: el.key });
      run.enqueue('activate', h.key);
    }
    el.data.compensating = invoked.length;
    await run.saveElement(el);
    await run.history(el, 'COMPENSATION_TRIGGERED', { activities: invoked.map((r) => r.activityId), handlers: invoked.map((r) => r.handlerId) });
  };
}

/** A compensation handler completed: the throw event that invoked it goes on once all of its handlers did. */
export async function compensationHandlerCompleted(run: Run, throwKey: string): Promise<void> {
  const thrower = await run.element(throwKey);
  if (!thrower) return;
  thrower.data.compensating = Math.max(0, (thrower.data.compensating ?? 1) - 1);
  await run.saveElement(thrower);
  if (thrower.data.compensating === 0) run.enqueue('complete', thrower.key);
}
