import { evaluateCondition, evaluateFeel } from '../feel/feel.js';
import type { FlowNode } from '../model/types.js';
import { planBoundaryEvents } from './boundary-events.js';
import { evaluate, evaluateMappings } from '../runtime/expressions.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, json, type Run, type Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { localVariables, propagate, setLocal, visible } from '../runtime/variables.js';

/**
 * Multi-instance activities (parallel and sequential): a body element instance (type
 * 'multiInstanceBody', holding the boundary events and `data.mi`) with one inner instance of the
 * activity per item of the input collection; outputs are collected per loop counter into the output
 * collection; the completion condition may end it early.
 */

export async function activateMultiInstanceBody(run: Run, body: ElementRow, node: FlowNode): Promise<void> {
  const mi = node.multiInstance!;
  const context = await visible(run, body.key);
  const items = await evaluate(run, body, mi.inputCollection, `input collection of ${node.id}`, context);
  if (!Array.isArray(items)) throw new Incident('EXTRACT_VALUE_ERROR', `input collection of ${node.id}: expected a list but got ${json(items)}`);
  const boundaries = await planBoundaryEvents(run, body, node, context);
  delete body.data.pending;
  body.state = 'ACTIVE';
  body.data.mi = { items, next: 0, completed: 0, terminated: 0, active: 0 };
  await run.saveElement(body);
  await run.history(body, 'ELEMENT_ACTIVATED', { items: items.length });
  if (mi.outputCollection)
    await setLocal(
      run,
      body.key,
      body.instanceKey,
      mi.outputCollection,
      items.map(() => null),
    );
  for (const b of boundaries) await b();
  if (!items.length) {
    run.enqueue('complete', body.key);
    return;
  }
  const count = mi.sequential ? 1 : items.length;
  for (let i = 0; i < count; i++) await startInner(run, body, node);
  await run.saveElement(body);
}

async function startInner(run: Run, body: ElementRow, node: FlowNode): Promise<void> {
  const state = body.data.mi!;
  const index = state.next++;
  state.active++;
  const inner = await run.newElement(body, node.id, node.type, { loopCounter: index + 1 });
  await setLocal(run, inner.key, inner.instanceKey, 'loopCounter', index + 1, false);
  if (node.multiInstance!.inputElement) await setLocal(run, inner.key, inner.instanceKey, node.multiInstance!.inputElement, state.items[index] ?? null, false);
  // Zeebe creates the output element's variable locally in each inner instance, so results never mix
  const out = node.multiInstance!.outputElement?.text.trim();
  if (out && /^[A-Za-z_][A-Za-z0-9_]*$/.test(out) && out !== node.multiInstance!.inputElement)
    await setLocal(run, inner.key, inner.instanceKey, out, null, false);
  run.enqueue('activate', inner.key);
}

/**
 * An inner instance completes: its output element is evaluated (returned, for the collection) and the
 * activity's own output mappings go into the body, not past it.
 */
export async function innerOutput(run: Run, inner: ElementRow, node: FlowNode, context: () => Promise<Vars>): Promise<{ value: unknown } | null> {
  let miOutput: { value: unknown } | null = null;
  if (node.multiInstance!.outputElement) {
    const r = evaluateFeel(node.multiInstance!.outputElement.text, await context());
    if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `output element of ${node.id}: ${r.message}`);
    miOutput = { value: r.value };
  }
  if (node.outputs.length) {
    const innerOut = evaluateMappings(node.outputs, await context(), 'output');
    await propagate(run, inner.scopeKey!, innerOut);
  }
  return miOutput;
}

/** The body completes: without output mappings of its own, the output collection propagates outwards. */
export async function propagateOutputCollection(run: Run, body: ElementRow, node: FlowNode): Promise<void> {
  const name = node.multiInstance!.outputCollection;
  if (!name) return;
  const local = await localVariables(run, body.key);
  const collection = { [name]: local[name] ?? [] };
  if (!node.outputs.length) await propagate(run, body.scopeKey!, collection);
}

/** An inner instance finished: collect its output, check the completion condition, go on or finish. */
export async function innerInstanceCompleted(
  run: Run,
  body: ElementRow,
  node: FlowNode,
  outputValue: { value: unknown } | null,
  loopCounter: number,
): Promise<void> {
  const mi = node.multiInstance!;
  const state = body.data.mi!;
  state.active--;
  state.completed++;
  if (mi.outputCollection && outputValue) {
    const list = ((await localVariables(run, body.key))[mi.outputCollection] as unknown[] | undefined) ?? [];
    list[loopCounter - 1] = outputValue.value;
    await setLocal(run, body.key, body.instanceKey, mi.outputCollection, list);
  }
  let done = state.completed + state.terminated >= state.items.length;
  if (!done && mi.completionCondition) {
    const context = {
      ...(await visible(run, body.key)),
      numberOfInstances: state.items.length,
      numberOfActiveInstances: state.active,
      numberOfCompletedInstances: state.completed,
      numberOfTerminatedInstances: state.terminated,
    };
    const r = evaluateCondition(mi.completionCondition.text, context);
    if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `completion condition of ${node.id}: ${r.message}`);
    if (r.value) {
      for (const child of await run.children(body.key)) {
        await terminate(run, child);
        state.terminated++;
        state.active--;
      }
      done = true;
    }
  }
  await run.saveElement(body);
  if (done) run.enqueue('complete', body.key);
  else if (mi.sequential && state.next < state.items.length) {
    await startInner(run, body, node);
    await run.saveElement(body);
  }
}
