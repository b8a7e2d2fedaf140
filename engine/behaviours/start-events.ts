import type { FlowNode } from '../model/types.js';
import * as messages from '../store/messages.js';
import { messageStartsOfProcess } from '../store/subscriptions.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow, InstanceRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';
import { createInstance } from './process.js';

/**
 * Start events (none, timer, message, signal) of a process, sub-process or event sub-process: the
 * variables of the trigger that started it are applied, and it completes at once. Which start event a
 * message or signal starts is decided by commands/messages.ts and the start subscriptions written at deploy.
 */
export async function prepareStartEvent(run: Run, el: ElementRow, node: FlowNode): Promise<Prepared> {
  return async () => {
    const vars = el.data.triggerVariables;
    delete el.data.triggerVariables;
    await applyResultVariables(run, el, node, vars);
    run.enqueue('complete', el.key);
  };
}

/**
 * Zeebe: a message refused by a message start event because an instance with its correlation key was
 * active stays buffered, and starts a new instance once that instance has ended.
 */
export async function startFromBufferedMessage(run: Run, ended: InstanceRow): Promise<void> {
  const key = ended.start_correlation_key;
  if (!key) return;
  for (const s of await messageStartsOfProcess(run.db, ended.process_id)) {
    const m = await messages.firstBuffered(run.db, s.name, key, run.now, ended.process_id);
    if (!m) continue;
    await messages.recordCorrelation(run.db, m.message_key, ended.process_id);
    const started = await createInstance(run, run.ctx.definition(s.def_key), {}, s.element_id, { start_correlation_key: key }, JSON.parse(m.variables) as Vars);
    await run.history(null, 'MESSAGE_CORRELATED', { name: s.name, correlationKey: key, messageKey: m.message_key, startEvent: s.element_id }, started);
    return;
  }
}
