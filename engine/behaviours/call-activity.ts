import type { FlowNode } from '../model/types.js';
import { activeCalledInstance } from '../store/instances.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluateString } from '../runtime/expressions.js';
import type { ElementRow, InstanceRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { applyResultVariables, localVariables, visible } from '../runtime/variables.js';
import { createInstance } from './process.js';

/**
 * Call activity: starts the latest version of the called process with the caller's variables (all
 * visible ones, or only its local ones when `propagateAllParentVariables` is off) and completes when
 * that instance completes, taking its variables back (all, or only through output mappings).
 */
export async function prepareCallActivity(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const processId = await evaluateString(run, el, node.call!.processId, `called process of ${node.id}`, context);
  const def = run.ctx.latest(processId);
  if (!def) throw new Incident('CALLED_ELEMENT_ERROR', `no process with id '${processId}' is deployed (called by ${node.id})`);
  if (!def.model.noneStart) throw new Incident('CALLED_ELEMENT_ERROR', `process '${processId}' has no none start event to call`);
  return async () => {
    const vars = node.call!.propagateAllParentVariables ? await visible(run, el.key) : await localVariables(run, el.key);
    const child = await createInstance(run, def, vars, null, { parent_instance_key: el.instanceKey, parent_element_key: el.key });
    await run.history(el, 'CALLED_INSTANCE_CREATED', { childInstanceKey: child, processId });
  };
}

/** A called instance completed (with these root variables): its caller goes on. */
export async function returnToCaller(run: Run, called: InstanceRow, rootVars: Vars): Promise<void> {
  if (!called.parent_element_key) return;
  const caller = await run.element(called.parent_element_key);
  if (!caller) return;
  const node = await run.nodeOf(caller);
  // with output mappings the child's variables are there for the mappings to read; only mapped ones go on
  const vars = node.call!.propagateAllChildVariables || node.outputs.length ? rootVars : {};
  await applyResultVariables(run, caller, node, vars);
  run.enqueue('complete', caller.key);
}

/** The call activity is terminated: so is the instance it called. */
export async function terminateCalledInstance(run: Run, caller: ElementRow): Promise<void> {
  const child = await activeCalledInstance(run.db, caller.key);
  if (!child) return;
  const root = await run.element(child);
  if (root) await terminate(run, root);
}
