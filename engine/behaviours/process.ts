import { EngineError } from '../errors.js';
import * as instances from '../store/instances.js';
import { deleteInstanceVariables } from '../store/variables.js';
import { closeSubscriptions } from '../runtime/event-subscriptions.js';
import type { FlowNode } from '../model/types.js';
import type { ElementRow, InstanceRow } from '../runtime/rows.js';
import { raiseIncident } from '../runtime/incidents.js';
import { Incident, type Definition, type Run, type Vars } from '../runtime/run.js';
import { localVariables, setLocal } from '../runtime/variables.js';
import { returnToCaller } from './call-activity.js';
import { planEventSubProcessSubscriptions } from './event-sub-process.js';
import { startFromBufferedMessage } from './start-events.js';

/**
 * The process instance: its root element instance (type 'process', key = the instance key) is the
 * outermost scope. Created by a command, a start timer, message or signal, or a call activity.
 */

/** `depth`: how many call activities above this instance (a called instance's; 0 for a root instance). */
export async function createInstance(
  run: Run,
  def: Definition,
  vars: Vars,
  startId: string | null,
  extra: Partial<InstanceRow> = {},
  triggerVars?: Vars,
  depth = 0,
): Promise<string> {
  const key = run.nextKey();
  const row: InstanceRow = {
    instance_key: key,
    def_key: def.defKey,
    process_id: def.processId,
    version: def.version,
    state: 'ACTIVE',
    parent_instance_key: extra.parent_instance_key ?? null,
    parent_element_key: extra.parent_element_key ?? null,
    start_correlation_key: extra.start_correlation_key ?? null,
    started_at: run.now,
    ended_at: null,
  };
  await instances.insertInstance(run.db, row);
  run.rememberInstance(row);
  const root: ElementRow = { key, instanceKey: key, elementId: def.processId, type: 'process', scopeKey: null, state: 'ACTIVE', data: depth ? { depth } : {} };
  await run.insertElement(root);
  for (const [name, value] of Object.entries(vars)) await setLocal(run, key, key, name, value, false);
  const start = startId ?? def.model.noneStart;
  if (!start) throw new EngineError('INVALID_STATE', `process ${def.processId} has no none start event`);
  const processNode = def.model.nodes[def.processId]!;
  if (processNode.listeners?.start.length) {
    // the process's start listeners run first (activation.ts); the start event waits for them
    root.state = 'ACTIVATING';
    root.data.processStart = triggerVars ? { startId: start, triggerVariables: triggerVars } : { startId: start };
    await run.saveElement(root);
    run.enqueue('activate', root.key);
    return key;
  }
  try {
    await startProcess(run, root, processNode, start, triggerVars);
  } catch (err) {
    // Zeebe creates the instance and raises the incident on the process element (an event sub-process's
    // correlation key or timer that cannot be evaluated); resolving it activates the process again
    if (!(err instanceof Incident)) throw err;
    root.data.processStart = triggerVars ? { startId: start, triggerVariables: triggerVars } : { startId: start };
    await raiseIncident(run, root, 'activate', err);
  }
  return key;
}

/** The process's start listeners completed: it starts at the start event it was created for. */
export async function continueProcessStart(run: Run, root: ElementRow, processNode: FlowNode): Promise<void> {
  const { startId, triggerVariables } = root.data.processStart!;
  // evaluated before anything changes: an incident here leaves the process activating, its listeners done
  const openSubscriptions = await planEventSubProcessSubscriptions(run, root, processNode);
  delete root.data.processStart;
  delete root.data.listener;
  delete root.data.pending;
  root.state = 'ACTIVE';
  await run.saveElement(root);
  await startProcess(run, root, processNode, startId, triggerVariables, openSubscriptions);
}

async function startProcess(
  run: Run,
  root: ElementRow,
  processNode: FlowNode,
  start: string,
  triggerVars: Vars | undefined,
  planned?: () => Promise<void>,
): Promise<void> {
  const openSubscriptions = planned ?? (await planEventSubProcessSubscriptions(run, root, processNode));
  const inst = await run.instance(root.instanceKey);
  await run.history(root, 'ELEMENT_ACTIVATED', { version: inst.version, parentInstanceKey: inst.parent_instance_key });
  await openSubscriptions();
  const startEl = await run.newElement(root, start, 'startEvent');
  if (triggerVars) startEl.data.triggerVariables = triggerVars;
  run.enqueue('activate', startEl.key);
}

/** Nothing is left in the process: it completes, and a caller (call activity) goes on. */
export async function completeProcess(run: Run, root: ElementRow): Promise<void> {
  const inst = await run.instance(root.instanceKey);
  const rootVars = inst.parent_element_key ? await localVariables(run, root.key) : {};
  await closeSubscriptions(run, root);
  await run.deleteElement(root);
  await deleteInstanceVariables(run.db, root.instanceKey);
  run.knownVariables.clear(); // which known scopes were this instance's is not kept: forget them all
  await instances.markInstanceEnded(run.db, root.instanceKey, 'COMPLETED', run.now);
  inst.state = 'COMPLETED';
  await run.history(root, 'ELEMENT_COMPLETED');
  await startFromBufferedMessage(run, inst);
  await returnToCaller(run, inst, rootVars);
}

/** The root was terminated (termination.ts has ended everything inside): the instance ends. */
export async function processTerminated(run: Run, root: ElementRow): Promise<void> {
  await deleteInstanceVariables(run.db, root.instanceKey);
  run.knownVariables.clear();
  await instances.markInstanceEnded(run.db, root.instanceKey, 'TERMINATED', run.now);
  const inst = await run.instance(root.instanceKey);
  inst.state = 'TERMINATED';
  await startFromBufferedMessage(run, inst);
}
