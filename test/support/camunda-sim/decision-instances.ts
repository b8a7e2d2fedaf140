import type { Engine } from '../../../engine/index.js';
import { Problem } from './http.js';

type Evaluated = {
  decisionId: string;
  decisionName: string | null;
  decisionType: string;
  inputs: Array<{ inputId: string; inputName: string | null; value: unknown }>;
  matchedRules: Array<{ ruleId: string; ruleIndex: number; outputs: Record<string, unknown> }>;
  result: unknown;
};

const json = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Decision instances as the cluster's search and get answer them, made from the engine's DECISION_EVALUATED
 * history records: one per decision evaluated (required ones first), keyed `<evaluation>-<n>` like Zeebe's,
 * values as JSON texts. Found by process instance (the adapter names it); a get answers what a search showed.
 */
export class DecisionInstances {
  private readonly seen = new Map<string, Record<string, unknown>>();

  constructor(private readonly engine: Engine) {}

  async search(body: unknown): Promise<Array<Record<string, unknown>>> {
    const f = (body as { filter?: { processInstanceKey?: string; elementInstanceKey?: string } }).filter ?? {};
    if (!f.processInstanceKey) throw new Problem(400, 'INVALID_ARGUMENT', 'the simulation searches decision instances by processInstanceKey only');
    const instance = await this.engine.getInstance(f.processInstanceKey);
    const views: Array<Record<string, unknown>> = [];
    for (const h of await this.engine.history(f.processInstanceKey)) {
      if (h.intent !== 'DECISION_EVALUATED' || (f.elementInstanceKey && h.elementInstanceKey !== f.elementInstanceKey)) continue;
      const p = h.payload ?? {};
      const evaluated = (p['evaluatedDecisions'] as Evaluated[] | undefined) ?? [];
      evaluated.forEach((d, i) => {
        const view = {
          decisionEvaluationInstanceKey: `${h.position}-${i + 1}`,
          decisionEvaluationKey: String(h.position),
          state: 'EVALUATED',
          evaluationDate: new Date(h.at).toISOString(),
          decisionDefinitionId: d.decisionId,
          decisionDefinitionName: d.decisionName ?? d.decisionId,
          // the version of the called decision; a required decision shares its DRG's version here
          decisionDefinitionVersion: p['decisionVersion'],
          decisionDefinitionKey: d.decisionId === p['decisionId'] ? String(p['decisionKey']) : undefined,
          decisionDefinitionType: d.decisionType,
          result: json(d.result),
          processInstanceKey: f.processInstanceKey,
          processDefinitionKey: instance?.processDefinitionKey,
          elementInstanceKey: h.elementInstanceKey,
          tenantId: '<default>',
          evaluatedInputs: d.inputs.map((input) => ({ inputId: input.inputId, inputName: input.inputName ?? input.inputId, inputValue: json(input.value) })),
          matchedRules: d.matchedRules.map((r) => ({
            ruleId: r.ruleId,
            ruleIndex: r.ruleIndex,
            evaluatedOutputs: Object.entries(r.outputs).map(([name, v]) => ({ outputId: name, outputName: name, outputValue: json(v) })),
          })),
        };
        this.seen.set(view.decisionEvaluationInstanceKey, view);
        const { evaluatedInputs: _inputs, matchedRules: _rules, ...summary } = view;
        views.push(summary);
      });
    }
    return views;
  }

  get(key: string): Record<string, unknown> {
    const view = this.seen.get(key);
    if (!view) throw new Problem(404, 'NOT_FOUND', `Decision instance with key '${key}' not found`);
    return view;
  }
}
