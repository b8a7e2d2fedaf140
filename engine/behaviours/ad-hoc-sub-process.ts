import { EngineError } from '../errors.js';
import { evaluateCondition, expectedTypeFailure } from '../feel/feel.js';
import type { FlowNode } from '../model/types.js';
import { deleteJob, jobKeysOfElement } from '../store/jobs.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluate } from '../runtime/expressions.js';
import type { ElementRow, JobRow } from '../runtime/rows.js';
import { Incident, MI_BODY, type Run, type Vars } from '../runtime/run.js';
import { terminate } from '../runtime/termination.js';
import { localVariables, setLocal, setLocals, visible } from '../runtime/variables.js';
import { planEventSubProcessSubscriptions } from './event-sub-process.js';
import { prepareJobRow } from './service-task.js';

/**
 * Ad-hoc sub-processes (Camunda 8.8 docs, *Ad-hoc sub-processes*). On activation the scope gets `adHocSubProcessElements`
 * (what can be activated, with the `fromAi` parameters an AI agent fills) and an empty output collection; then either
 * the `activeElementsCollection` names the inner elements to activate, or (with a `zeebe:taskDefinition`) a job worker
 * decides, by completing the sub-process's job with elements to activate or with the completion condition fulfilled.
 * Each inner path that ends adds its `outputElement` to the collection and evaluates the completion condition; when it
 * holds, the remaining inner instances are terminated (`cancelRemainingInstances`, the default) or awaited. Without a
 * condition the sub-process completes when nothing is left inside. Elements may also be activated by a command later.
 */

export interface ActivateElement {
  elementId: string;
  variables?: Vars;
}

/** A job worker's decision for an ad-hoc sub-process job (Camunda's `adHocSubProcess` job result). */
export interface AdHocJobResult {
  activateElements?: ActivateElement[];
  isCompletionConditionFulfilled?: boolean;
  isCancelRemainingInstances?: boolean;
}

export async function prepareAdHocSubProcess(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const spec = node.adHoc!;
  const ids = !node.job && spec.activeElementsCollection ? await activeElements(run, el, node, context) : [];
  const createJob = node.job ? await prepareJobRow(run, el, node.job, node.id, { ...context, adHocSubProcessElements: spec.elements }) : null;
  const openSubscriptions = await planEventSubProcessSubscriptions(run, el, node, context);
  return async () => {
    await setLocal(run, el.key, el.instanceKey, 'adHocSubProcessElements', spec.elements);
    if (spec.outputCollection) await setLocal(run, el.key, el.instanceKey, spec.outputCollection, []);
    await openSubscriptions();
    await activateInner(
      run,
      el,
      ids.map((elementId) => ({ elementId })),
    );
    if (createJob) await createJob();
  };
}

/** `activeElementsCollection`: a list of ids of the sub-process's activatable elements, else an incident. */
async function activeElements(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<string[]> {
  const spec = node.adHoc!;
  const value = await evaluate(run, el, spec.activeElementsCollection!, `active elements collection of ${node.id}`, context);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Incident(
      'EXTRACT_VALUE_ERROR',
      `Failed to activate ad-hoc elements. ${expectedTypeFailure(spec.activeElementsCollection!.text, 'ARRAY', value, [])}`,
    );
  }
  const unknown = unknownElements(node, value as string[]);
  if (unknown.length)
    throw new Incident(
      'EXTRACT_VALUE_ERROR',
      `Failed to activate ad-hoc elements. No elements found in ad-hoc sub-process ${node.id} with ids: ${unknown.map((u) => `'${u}'`).join(', ')}`,
    );
  return value as string[];
}

function unknownElements(node: FlowNode, ids: string[]): string[] {
  const known = new Set(node.adHoc!.elements.map((e) => e.elementId));
  return ids.filter((id) => !known.has(id));
}

async function activateInner(run: Run, scope: ElementRow, elements: ActivateElement[]): Promise<void> {
  if (!elements.length) return;
  const model = (await run.definitionOf(scope)).model;
  for (const { elementId, variables } of elements) {
    const target = model.nodes[elementId]!;
    const child = await run.newElement(scope, elementId, target.multiInstance ? MI_BODY : target.type);
    for (const [name, value] of Object.entries(variables ?? {})) await setLocal(run, child.key, child.instanceKey, name, value, false);
    run.enqueue('activate', child.key);
  }
  await run.history(scope, 'AD_HOC_ELEMENTS_ACTIVATED', { elementIds: elements.map((e) => e.elementId) });
}

/**
 * An inner path ends (its last element completes, taking no flow): evaluated before anything is written, the
 * output element (in the ending element's scope) and the completion condition (in the sub-process's, with the
 * updated collection). Returns the writes, run once the element is gone.
 */
export async function prepareAdHocPathEnd(run: Run, el: ElementRow, adHocNode: FlowNode, context: () => Promise<Vars>): Promise<Prepared> {
  const spec = adHocNode.adHoc!;
  const scope = (await run.element(el.scopeKey!))!;
  let collection: unknown[] | null = null;
  if (spec.outputCollection && spec.outputElement) {
    const item = await evaluate(run, el, spec.outputElement, `output element of ${adHocNode.id}`, await context());
    const current = (await localVariables(run, scope.key))[spec.outputCollection];
    collection = [...(Array.isArray(current) ? current : []), item];
  }
  let fulfilled = false;
  if (spec.completionCondition && !adHocNode.job) {
    const vars = await visible(run, scope.key);
    if (collection) vars[spec.outputCollection!] = collection;
    const r = evaluateCondition(spec.completionCondition.text, vars);
    if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `Failed to evaluate completion condition. ${r.message}`);
    fulfilled = r.value === true;
  }
  // a job worker decides after every path: its open job is replaced by a new one (one job at a time, as Zeebe does)
  const nextJob =
    adHocNode.job && !scope.data.adHoc?.fulfilled ? await prepareJobRow(run, scope, adHocNode.job, adHocNode.id, await visible(run, scope.key)) : null;
  return async () => {
    if (collection) await setLocal(run, scope.key, scope.instanceKey, spec.outputCollection!, collection);
    if (adHocNode.job) {
      for (const key of await jobKeysOfElement(run.db, scope.key)) {
        await deleteJob(run.db, key);
        await run.history(scope, 'JOB_CANCELED', { jobKey: key });
      }
      if (nextJob) await nextJob();
    }
    if (fulfilled) await completionFulfilled(run, scope, spec.cancelRemainingInstances);
  };
}

/** The completion condition holds: remaining inner instances end (or are awaited); completion.ts completes the scope once empty. */
async function completionFulfilled(run: Run, scope: ElementRow, cancelRemaining: boolean): Promise<void> {
  scope.data.adHoc = { fulfilled: true };
  await run.saveElement(scope);
  if (cancelRemaining) for (const child of await run.children(scope.key)) await terminate(run, child);
}

/** Whether an ad-hoc sub-process with nothing left inside completes: always without a condition or job worker, else once fulfilled. */
export function adHocMayComplete(scope: ElementRow, node: FlowNode): boolean {
  return (!node.adHoc!.completionCondition && !node.job) || !!scope.data.adHoc?.fulfilled;
}

/** The job worker decided: activate elements, or the completion condition is fulfilled. */
export async function adHocJobCompleted(run: Run, el: ElementRow, node: FlowNode, job: JobRow, vars: Vars, result: AdHocJobResult | undefined): Promise<void> {
  const activate = result?.activateElements ?? [];
  checkActivation(node, activate);
  if (result?.isCompletionConditionFulfilled && activate.length) {
    throw new EngineError('INVALID_ARGUMENT', 'an ad-hoc sub-process job cannot fulfil the completion condition and activate elements at the same time');
  }
  await deleteJob(run.db, job.job_key);
  await run.history(el, 'JOB_COMPLETED', { jobKey: job.job_key, worker: job.worker, variables: vars, kind: 'AD_HOC_SUB_PROCESS', result: result ?? null });
  // the worker's variables belong to the sub-process (inner elements see them; output mappings pass them on)
  if (Object.keys(vars).length) await setLocals(run, el, vars);
  await activateInner(run, el, activate);
  if (result?.isCompletionConditionFulfilled) {
    await completionFulfilled(run, el, result.isCancelRemainingInstances ?? node.adHoc!.cancelRemainingInstances);
    if ((await run.children(el.key)).length === 0) run.enqueue('complete', el.key);
  }
}

/** The command: activate elements of an active ad-hoc sub-process instance. */
export async function activateAdHocElements(run: Run, el: ElementRow, node: FlowNode, elements: ActivateElement[]): Promise<void> {
  checkActivation(node, elements);
  await activateInner(run, el, elements);
}

function checkActivation(node: FlowNode, elements: ActivateElement[]): void {
  if (!Array.isArray(elements) || elements.some((e) => !e || typeof e.elementId !== 'string'))
    throw new EngineError('INVALID_ARGUMENT', 'elements must be a list of { elementId, variables? }');
  const unknown = unknownElements(
    node,
    elements.map((e) => e.elementId),
  );
  if (unknown.length)
    throw new EngineError('INVALID_ARGUMENT', `ad-hoc sub-process ${node.id} has no activatable elements ${unknown.map((u) => `'${u}'`).join(', ')}`);
}
