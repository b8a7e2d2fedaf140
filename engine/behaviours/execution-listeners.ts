import type { FlowNode } from '../model/types.js';
import { deleteJob } from '../store/jobs.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow, JobRow } from '../runtime/rows.js';
import type { Run, Vars } from '../runtime/run.js';
import { propagate, setLocals } from '../runtime/variables.js';
import { prepareJobRow } from './service-task.js';

/**
 * Execution listeners (Camunda 8.8 docs, *Execution listeners*): jobs the element waits for, one after the other
 * in model order. Start listeners run after the input mappings and before boundary events and the element's own
 * behaviour (activation.ts); end listeners after the output mappings and before the element leaves (completion.ts).
 * Progress is `data.listener` on the element: the event, the next listener, the job of the running one.
 */

export type ListenerEvent = 'start' | 'end';

/** The write that creates the job of the element's next listener of `event`, or null when all of them completed. */
export async function nextExecutionListener(run: Run, el: ElementRow, node: FlowNode, event: ListenerEvent, context: Vars): Promise<Prepared | null> {
  const specs = node.listeners?.[event];
  if (!specs?.length) return null;
  const index = el.data.listener?.event === event ? el.data.listener.index : 0;
  if (index >= specs.length) return null;
  let create: () => Promise<string>;
  try {
    create = await prepareJobRow(run, el, specs[index]!, `${event} execution listener of ${node.id}`, context, {
      kind: 'EXECUTION_LISTENER',
      listenerEventType: event.toUpperCase(),
    });
  } catch (err) {
    // an expression failure runs every listener of the event again once resolved (docs, *Incident recovery*)
    delete el.data.listener;
    throw err;
  }
  return async () => {
    const jobKey = await create();
    el.data.listener = { event, index, jobKey };
  };
}

/**
 * The listener's job completed: its variables become local to the element (start) or go to the scope above
 * like output mappings (end), then the element's step runs on to the next listener or its own work.
 */
export async function executionListenerCompleted(run: Run, el: ElementRow, job: JobRow, vars: Vars): Promise<void> {
  const state = el.data.listener!;
  await deleteJob(run.db, job.job_key);
  await run.history(el, 'JOB_COMPLETED', {
    jobKey: job.job_key,
    worker: job.worker,
    variables: vars,
    kind: 'EXECUTION_LISTENER',
    listenerEventType: state.event.toUpperCase(),
  });
  if (Object.keys(vars).length) {
    if (state.event === 'start' || !el.scopeKey) await setLocals(run, el, vars);
    else await propagate(run, el.scopeKey, vars);
  }
  el.data.listener = { event: state.event, index: state.index + 1 };
  await run.saveElement(el);
  run.enqueue(state.event === 'start' ? 'activate' : 'complete', el.key);
}
