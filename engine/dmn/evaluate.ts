import { unaryTest } from 'feelin';
import { contextFor, evaluateFeel, evaluateFeelRaw, toJsonValue } from '../feel/feel.js';
import type { DecisionResult, DecisionTable, DeployedDrg, EvaluatedDecision, MatchedRule } from './types.js';

/**
 * Evaluates a decision of a deployed DRG as Camunda 8.8 (dmn-scala) does: required decisions first,
 * their results visible under their decision ids; decision tables by hit policy, FEEL unary tests for
 * input entries; a failure (several rules under UNIQUE, different outputs under ANY…) is an error
 * Zeebe turns into a DECISION_EVALUATION_ERROR incident.
 */
export class DecisionEvaluationError extends Error {
  constructor(
    readonly decisionId: string,
    message: string,
    readonly evaluatedDecisions: EvaluatedDecision[],
  ) {
    super(message);
  }
}

export function evaluateDecision(drg: DeployedDrg, decisionId: string, variables: Record<string, unknown>): DecisionResult {
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();
  const run = (id: string): unknown => {
    if (results.has(id)) return results.get(id);
    const decision = drg.decisions[id];
    if (!decision) throw new DecisionEvaluationError(decisionId, `no decision with id '${id}' in DRG '${drg.id}'`, evaluated);
    const context: Record<string, unknown> = { ...variables };
    for (const r of decision.requires) context[drg.decisions[r]!.variableName] = run(r);
    let record: EvaluatedDecision;
    if (decision.logic.kind === 'literalExpression') {
      const r = evaluateFeel(decision.logic.expression, context);
      if (!r.ok) throw new DecisionEvaluationError(decisionId, `decision '${id}': ${r.message}`, evaluated);
      record = { decisionId: id, decisionName: decision.name, decisionType: 'LITERAL_EXPRESSION', inputs: [], matchedRules: [], result: r.value };
    } else {
      record = evaluateTable(id, decision.name, decision.logic, context, evaluated, decisionId);
    }
    evaluated.push(record);
    results.set(id, record.result);
    return record.result;
  };
  const result = run(decisionId);
  // required decisions before the ones that need them, the called decision last (evaluation order)
  return { decisionId, result, evaluatedDecisions: evaluated };
}

function evaluateTable(
  id: string,
  name: string | null,
  table: DecisionTable,
  context: Record<string, unknown>,
  evaluated: EvaluatedDecision[],
  rootId: string,
): EvaluatedDecision {
  const fail = (message: string): never => {
    throw new DecisionEvaluationError(rootId, `decision '${id}': ${message}`, evaluated);
  };
  const inputs = table.inputs.map((input) => {
    const r = evaluateFeelRaw(input.expression, context);
    if (!r.ok) fail(`input '${input.label ?? input.id}': ${r.message}`);
    return { inputId: input.id, inputName: input.label, value: (r as { value: unknown }).value };
  });
  const matches = (entry: string, value: unknown): boolean => {
    if (entry === '' || entry === '-') return true;
    try {
      // `?` is the input value (DMN 1.3): `< 10`, `"a","b"`, `[1..5]`, `not("x")`, `? > 3`
      // only the added built-ins the entry names: all of them in every test's context would cost each rule
      return unaryTest(entry, { ...contextFor(entry, context), '?': value }).value === true;
    } catch (err) {
      return fail(`input entry '${entry}': ${(err as Error).message}`);
    }
  };
  const matched: MatchedRule[] = [];
  for (const rule of table.rules) {
    if (!rule.inputEntries.every((entry, i) => matches(entry, inputs[i]!.value))) continue;
    const outputs: Record<string, unknown> = {};
    table.outputs.forEach((o, i) => {
      const text = rule.outputEntries[i] ?? '';
      const r = text ? evaluateFeel(text, context) : { ok: true as const, value: null, warnings: [] };
      if (!r.ok) fail(`output of rule '${rule.id}': ${r.message}`);
      outputs[o.name ?? o.id] = (r as { value: unknown }).value;
    });
    matched.push({ ruleId: rule.id, ruleIndex: rule.index, outputs });
  }
  const single = table.outputs.length === 1;
  const valueOf = (m: MatchedRule): unknown => (single ? Object.values(m.outputs)[0] : m.outputs);
  let chosen = matched;
  let result: unknown;
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1) fail(`hit policy UNIQUE, but ${matched.length} rules match: ${matched.map((m) => m.ruleId).join(', ')}`);
      result = matched.length ? valueOf(matched[0]!) : null;
      break;
    case 'FIRST':
      chosen = matched.slice(0, 1);
      result = chosen.length ? valueOf(chosen[0]!) : null;
      break;
    case 'ANY': {
      const distinct = new Set(matched.map((m) => JSON.stringify(toJsonValue(m.outputs))));
      if (distinct.size > 1) fail(`hit policy ANY, but the matching rules ${matched.map((m) => m.ruleId).join(', ')} give different outputs`);
      chosen = matched.slice(0, 1);
      result = chosen.length ? valueOf(chosen[0]!) : null;
      break;
    }
    case 'PRIORITY':
      chosen = byPriority(table, matched).slice(0, 1);
      result = chosen.length ? valueOf(chosen[0]!) : null;
      break;
    case 'OUTPUT ORDER':
      chosen = byPriority(table, matched);
      result = chosen.map(valueOf);
      break;
    case 'RULE ORDER':
      result = matched.map(valueOf);
      break;
    case 'COLLECT': {
      const values = matched.map(valueOf);
      if (!table.aggregation) {
        result = values;
        break;
      }
      if (table.aggregation === 'COUNT') {
        result = values.length;
        break;
      }
      const numbers = values.filter((v) => v !== null);
      if (numbers.some((v) => typeof v !== 'number')) fail(`aggregation ${table.aggregation} needs numbers, got ${JSON.stringify(values)}`);
      const ns = numbers as number[];
      result = !ns.length
        ? null
        : table.aggregation === 'SUM'
          ? ns.reduce((a, b) => a + b, 0)
          : table.aggregation === 'MIN'
            ? Math.min(...ns)
            : Math.max(...ns);
      break;
    }
  }
  return { decisionId: id, decisionName: name, decisionType: 'DECISION_TABLE', inputs, matchedRules: chosen, result: toJsonValue(result) };
}

/** Sorts matched rules by the outputs' value lists (first output first), as PRIORITY and OUTPUT ORDER need. */
function byPriority(table: DecisionTable, matched: MatchedRule[]): MatchedRule[] {
  const rank = (m: MatchedRule): number[] =>
    table.outputs.map((o) => {
      if (!o.values) return 0;
      const tests = splitTests(o.values);
      const v = m.outputs[o.name ?? o.id];
      const i = tests.findIndex((t) => unaryTest(t, { '?': v }).value === true);
      return i < 0 ? tests.length : i;
    });
  return matched
    .map((m, order) => ({ m, r: rank(m), order }))
    .sort((a, b) => {
      for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i]! - b.r[i]!;
      return a.order - b.order;
    })
    .map((x) => x.m);
}

/** `"high","medium","low"` → its tests, split at commas outside string literals. */
function splitTests(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') inString = !inString;
    if (c === ',' && !inString) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
