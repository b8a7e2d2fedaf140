import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { planEventSubProcessSubscriptions } from './event-sub-process.js';

/**
 * Embedded sub-process: a scope of its own (its variables, its event sub-processes); it starts at its
 * none start event and completes when nothing is left inside (completion.ts, afterChildLeft).
 */
export async function prepareSubProcess(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const openSubscriptions = await planEventSubProcessSubscriptions(run, el, node, context);
  return async () => {
    await openSubscriptions();
    const start = await run.newElement(el, node.startEvents[0]!, 'startEvent');
    run.enqueue('activate', start.key);
  };
}
