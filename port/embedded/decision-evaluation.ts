import type { DecisionEvaluation } from '../workflow-engine.js';

type Payload = Record<string, unknown> | null | undefined;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/**
 * The engine's DECISION_EVALUATED history payload (engine/behaviours/business-rule-task.ts) as the port's
 * DecisionEvaluation: the same facts under the names both adapters share, nothing of the engine's own keys
 * (DRG key, binding) that the Camunda adapter could not give.
 */
export function decisionEvaluationOf(payload: Payload): DecisionEvaluation | null {
  if (!payload || typeof payload['decisionId'] !== 'string') return null;
  const evaluated = Array.isArray(payload['evaluatedDecisions']) ? (payload['evaluatedDecisions'] as Array<Record<string, unknown>>) : [];
  const called = evaluated.findLast((d) => d['decisionId'] === payload['decisionId']);
  return {
    decisionId: payload['decisionId'],
    decisionName: text(called?.['decisionName']),
    decisionVersion: typeof payload['decisionVersion'] === 'number' ? payload['decisionVersion'] : null,
    decisionKey: text(payload['decisionKey']),
    resultVariable: text(payload['resultVariable']),
    result: payload['result'] ?? null,
    evaluatedDecisions: evaluated.map((d) => ({
      decisionId: String(d['decisionId']),
      decisionName: text(d['decisionName']),
      decisionType: text(d['decisionType']),
      inputs: (Array.isArray(d['inputs']) ? (d['inputs'] as Array<Record<string, unknown>>) : []).map((i) => ({
        inputId: String(i['inputId']),
        inputName: text(i['inputName']),
        value: i['value'] ?? null,
      })),
      matchedRules: (Array.isArray(d['matchedRules']) ? (d['matchedRules'] as Array<Record<string, unknown>>) : []).map((r) => ({
        ruleId: String(r['ruleId']),
        ruleIndex: Number(r['ruleIndex']),
        outputs: (r['outputs'] as Record<string, unknown> | undefined) ?? {},
      })),
      result: d['result'] ?? null,
    })),
  };
}
