import { DmnModdle } from 'dmn-moddle';
import { parseDrg } from '../../port/bpmn-model.js';
import type { LintProblem } from './lint-bpmn.js';

/**
 * The decision lint (issue 15), used by the decision administration API (lint and deploy) and the modeler's
 * DMN page through it, in the shape of the BPMN lint:
 *
 * - errors: what the engine refuses at deploy, from the engine's own DMN parser over the XML (FEEL syntax of
 *   input expressions, unary tests and output entries, entry counts, hit policy and aggregation, required
 *   decisions present and acyclic, a definitions id) — source `engine`, as in the BPMN lint;
 * - warnings (never block a deploy): a decision, an input or an output column without a name or label, which
 *   the history page shows the auditor — rule `label-required`, source `recommended`.
 */
export async function lintDmn(xml: string): Promise<LintProblem[]> {
  const { problems } = await parseDrg(xml);
  const out: LintProblem[] = problems.map((p) => ({ elementId: p.elementId, message: p.message, severity: 'error', rule: 'engine-dmn', source: 'engine' }));
  if (out.length) return out;
  // the engine read it: the same document once more for the style advice
  const { rootElement } = await DmnModdle().fromXML(xml, 'dmn:Definitions');
  const warn = (elementId: string, message: string) => out.push({ elementId, message, severity: 'warning', rule: 'label-required', source: 'recommended' });
  for (const el of (rootElement as { drgElement?: Array<Record<string, unknown>> }).drgElement ?? []) {
    if (el['$type'] !== 'dmn:Decision') continue;
    const id = String(el['id']);
    if (!el['name']) warn(id, 'Decision is missing a name');
    const table = el['decisionLogic'] as { $type?: string; input?: Array<Record<string, unknown>>; output?: Array<Record<string, unknown>> } | undefined;
    if (table?.$type !== 'dmn:DecisionTable') continue;
    for (const input of table.input ?? []) if (!input['label']) warn(String(input['id'] ?? id), 'Input column is missing a label');
    for (const output of table.output ?? []) if (!output['label'] && !output['name']) warn(String(output['id'] ?? id), 'Output column is missing a name');
  }
  return out;
}
