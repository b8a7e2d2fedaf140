import type { CamundaClient, DecisionEvaluationInstanceKey, ElementInstanceKey, ProcessInstanceKey } from '@camunda8/orchestration-cluster-api';
import type { DecisionEvaluation } from '../workflow-engine.js';

const asKey = <K>(value: string): K => value as unknown as K;

/** The cluster hands values as JSON texts; a text that is not JSON is kept as it came. */
function value(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * What a business-rule task's decision evaluation was, read from the cluster's decision instances
 * (Camunda 8.8 REST: search by element instance, then each instance for its inputs and matched rules).
 * One evaluation makes one decision instance per decision evaluated, required ones first; the last is the
 * called decision. Secondary storage lags the task's end: waits up to `waitMs` for the instances to appear,
 * null when none did (the caller records the task without them rather than holding the history up).
 */
export async function readDecisionEvaluation(
  client: CamundaClient,
  processInstanceKey: string,
  elementInstanceKey: string,
  resultVariable: string | null,
  waitMs: number,
): Promise<DecisionEvaluation | null> {
  const page = await client.searchDecisionInstances(
    {
      filter: { processInstanceKey: asKey<ProcessInstanceKey>(processInstanceKey), elementInstanceKey: asKey<ElementInstanceKey>(elementInstanceKey) },
      sort: [{ field: 'decisionEvaluationInstanceKey', order: 'ASC' }],
      page: { limit: 100 },
    },
    { consistency: { waitUpToMs: waitMs, predicate: (r) => (r.items?.length ?? 0) > 0 } },
  );
  const found = page.items ?? [];
  if (!found.length) return null;
  const details = await Promise.all(
    found.map((d) =>
      client.getDecisionInstance(
        { decisionEvaluationInstanceKey: asKey<DecisionEvaluationInstanceKey>(String(d.decisionEvaluationInstanceKey)) },
        { consistency: { waitUpToMs: waitMs } },
      ),
    ),
  );
  const called = details[details.length - 1]!;
  return {
    decisionId: String(called.decisionDefinitionId),
    decisionName: called.decisionDefinitionName ?? null,
    decisionVersion: called.decisionDefinitionVersion ?? null,
    decisionKey: called.decisionDefinitionKey ? String(called.decisionDefinitionKey) : null,
    resultVariable,
    result: value(called.result),
    evaluatedDecisions: details.map((d) => ({
      decisionId: String(d.decisionDefinitionId),
      decisionName: d.decisionDefinitionName ?? null,
      decisionType: d.decisionDefinitionType ?? null,
      inputs: (d.evaluatedInputs ?? []).map((i) => ({ inputId: String(i.inputId), inputName: i.inputName ?? null, value: value(i.inputValue) })),
      matchedRules: (d.matchedRules ?? []).map((r) => ({
        ruleId: String(r.ruleId),
        ruleIndex: Number(r.ruleIndex),
        outputs: Object.fromEntries((r.evaluatedOutputs ?? []).map((o) => [o.outputName || String(o.outputId), value(o.outputValue)])),
      })),
      result: value(d.result),
    })),
  };
}
