import { evaluateFeel } from '../feel/feel.js';
import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';
import { prepareJob } from './service-task.js';

/**
 * Script task: a FEEL `zeebe:script` is evaluated at once and its result stored in the result variable;
 * with a `zeebe:taskDefinition` instead it is a job like a service task.
 */
export async function prepareScriptTask(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  if (node.job) return prepareJob(run, el, node, context);
  const r = evaluateFeel(node.script!.expression.text, context);
  if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `script of ${node.id}: ${r.message}`);
  return async () => {
    await applyResultVariables(run, el, node, { [node.script!.resultVariable]: r.value });
    run.enqueue('complete', el.key);
  };
}
