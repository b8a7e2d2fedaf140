import type { DeployedDecision } from '../decisions.js';
import { DecisionEvaluationError, evaluateDecision } from '../dmn/evaluate.js';
import type { FlowNode } from '../model/types.js';
import type { Prepared } from '../runtime/activation.js';
import { evaluateString } from '../runtime/expressions.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { applyResultVariables } from '../runtime/variables.js';
import { prepareJob } from './service-task.js';

/**
 * Business-rule task. With a `zeebe:taskDefinition` it is a job like a service task. With a
 * `zeebe:calledDecision` the engine evaluates the bound DMN decision itself on activation (and again when
 * its incident is resolved), as Camunda 8 documents it: the result goes to `resultVariable` (then the output
 * mappings apply), the evaluation (decision, version, matched rules, result) goes to the history for the
 * audit, and the task completes at once. A decision that is not deployed is a CALLED_DECISION_ERROR
 * incident, a failed evaluation a DECISION_EVALUATION_ERROR incident, as in Zeebe.
 */
export async function prepareBusinessRuleTask(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  if (!node.decision) return prepareJob(run, el, node, context);
  const spec = node.decision;
  const decisionId = await evaluateString(run, el, spec.decisionId, `called decision id of ${node.id}`, context);
  const decision = await boundDecision(run, el, node, decisionId);
  let result;
  try {
    result = evaluateDecision(decision.drg, decision.decisionId, context);
  } catch (err) {
    if (!(err instanceof DecisionEvaluationError)) throw err;
    throw new Incident('DECISION_EVALUATION_ERROR', `Expected to evaluate decision '${decisionId}', but ${err.message}`);
  }
  return async () => {
    await run.history(el, 'DECISION_EVALUATED', {
      decisionKey: decision.decisionKey,
      decisionId: decision.decisionId,
      decisionVersion: decision.version,
      versionTag: decision.versionTag,
      drgKey: decision.drgKey,
      drgId: decision.drgId,
      bindingType: spec.bindingType,
      resultVariable: spec.resultVariable,
      result: result.result,
      evaluatedDecisions: result.evaluatedDecisions,
    });
    await applyResultVariables(run, el, node, { [spec.resultVariable]: result.result });
    run.enqueue('complete', el.key);
  };
}

/** The decision version the task's binding names (Camunda 8 docs, *Choose the resource binding type*); incident messages in Zeebe's wording. */
async function boundDecision(run: Run, el: ElementRow, node: FlowNode, decisionId: string): Promise<DeployedDecision> {
  const spec = node.decision!;
  const decisions = run.ctx.decisions;
  const expected = `Expected to evaluate decision '${decisionId}'`;
  if (spec.bindingType === 'versionTag') {
    const found = decisions.withVersionTag(decisionId, spec.versionTag ?? '');
    if (!found) {
      throw new Incident(
        'CALLED_DECISION_ERROR',
        `Expected to evaluate decision with id '${decisionId}' and version tag '${spec.versionTag}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`,
      );
    }
    return found;
  }
  if (spec.bindingType === 'deployment') {
    const key = (await run.definitionOf(el)).decisionKeys?.[decisionId];
    const found = key ? decisions.get(key) : undefined;
    if (!found) {
      throw new Incident(
        'CALLED_DECISION_ERROR',
        `${expected} with binding type 'deployment', but no such decision found in the deployment which contained the current process. To resolve this incident, deploy the process together with the intended decision and start a new instance.`,
      );
    }
    return found;
  }
  const found = decisions.latest(decisionId);
  if (!found) throw new Incident('CALLED_DECISION_ERROR', `${expected}, but no decision found for id '${decisionId}'`);
  return found;
}
