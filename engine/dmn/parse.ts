import { DmnModdle } from 'dmn-moddle';
import { parseUnaryTests } from 'feelin';
import { feelSyntaxError } from '../feel/feel.js';
import { CAMUNDA_BUILTINS } from '../feel/camunda-builtins.js';
import type { Aggregation, Decision, DecisionTable, DeployedDrg, DeployProblem, HitPolicy } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- dmn-moddle's elements are untyped */

const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

/** A syntax problem in FEEL unary tests (an input entry), or null; `-` and an empty entry match anything. */
export function unaryTestsSyntaxError(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '-') return null;
  let message: string | null = null;
  const tree = parseUnaryTests(t, CAMUNDA_BUILTINS as Record<string, unknown>, undefined);
  tree.iterate({
    enter(node) {
      if (message) return false;
      if (node.type.isError) message = `FEEL unary-tests syntax error at position ${node.from + 1} in '${t}'`;
      return undefined;
    },
  });
  return message;
}

const textOf = (e: any): string => (typeof e?.text === 'string' ? e.text : '');

/**
 * Parses and validates a DMN 1.3 file: every decision's FEEL, the shape of each table, the required
 * decisions (present, no cycle). Problems are listed, never thrown, so a deploy can report them all.
 */
export async function parseDrg(xml: string): Promise<{ drg: DeployedDrg | null; problems: DeployProblem[] }> {
  const problems: DeployProblem[] = [];
  let definitions: any;
  try {
    definitions = (await DmnModdle().fromXML(xml, 'dmn:Definitions')).rootElement;
  } catch (err) {
    return { drg: null, problems: [{ elementId: '', message: `not a DMN file: ${(err as Error).message}` }] };
  }
  const decisions: Record<string, Decision> = {};
  const feel = (elementId: string, what: string, text: string) => {
    const error = feelSyntaxError(text);
    if (error) problems.push({ elementId, message: `${what}: ${error}` });
  };
  for (const el of (definitions.drgElement ?? []) as any[]) {
    if (el.$type !== 'dmn:Decision') continue;
    const id: string = el.id;
    const requires = ((el.informationRequirement ?? []) as any[])
      .map((r) => r.requiredDecision?.href as string | undefined)
      .filter((h): h is string => !!h)
      .map((h) => h.replace(/^#/, ''));
    const logic = el.decisionLogic;
    let parsed: Decision['logic'] | null = null;
    if (logic?.$type === 'dmn:LiteralExpression') {
      const expression = textOf(logic).trim();
      feel(id, 'literal expression', expression);
      parsed = { kind: 'literalExpression', expression };
    } else if (logic?.$type === 'dmn:DecisionTable') {
      parsed = parseTable(id, logic, problems, feel);
    } else {
      problems.push({ elementId: id, message: `decision logic ${logic?.$type ?? '(none)'} is not supported: a decision table or a literal expression is` });
    }
    if (parsed) {
      const versionTag = ((el.extensionElements?.values ?? []) as any[]).find((v) => v.$type === 'zeebe:versionTag')?.value;
      decisions[id] = {
        id,
        name: el.name ?? null,
        variableName: el.variable?.name ?? id,
        requires,
        versionTag: typeof versionTag === 'string' && versionTag ? versionTag : null,
        logic: parsed,
      };
    }
  }
  if (!Object.keys(decisions).length && !problems.length) problems.push({ elementId: definitions.id ?? '', message: 'the file has no decision' });
  for (const d of Object.values(decisions)) {
    for (const r of d.requires) if (!decisions[r]) problems.push({ elementId: d.id, message: `required decision '${r}' is not in this file` });
  }
  // a cycle in the requirements would never finish evaluating
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done' || !decisions[id]) return;
    if (state.get(id) === 'visiting') {
      problems.push({ elementId: id, message: `decision requirements form a cycle: ${[...path, id].join(' → ')}` });
      return;
    }
    state.set(id, 'visiting');
    for (const r of decisions[id]!.requires) visit(r, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of Object.keys(decisions)) visit(id, []);
  return { drg: problems.length ? null : { id: definitions.id, name: definitions.name ?? null, decisions }, problems };
}

function parseTable(id: string, t: any, problems: DeployProblem[], feel: (elementId: string, what: string, text: string) => void): DecisionTable | null {
  const hitPolicy = (t.hitPolicy ?? 'UNIQUE').replace('_', ' ') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) {
    problems.push({ elementId: id, message: `hit policy '${t.hitPolicy}' is not a DMN 1.3 hit policy` });
    return null;
  }
  const aggregation = (t.aggregation ?? null) as Aggregation | null;
  if (aggregation && (!AGGREGATIONS.includes(aggregation) || hitPolicy !== 'COLLECT')) {
    problems.push({ elementId: id, message: `aggregation '${aggregation}' needs the COLLECT hit policy and one of ${AGGREGATIONS.join(', ')}` });
  }
  const inputs = ((t.input ?? []) as any[]).map((i) => ({
    id: i.id as string,
    label: (i.label ?? null) as string | null,
    expression: textOf(i.inputExpression).trim(),
  }));
  for (const i of inputs) feel(i.id, 'input expression', i.expression);
  const outputs = ((t.output ?? []) as any[]).map((o) => ({
    id: o.id as string,
    name: (o.name ?? null) as string | null,
    label: (o.label ?? null) as string | null,
    values: o.outputValues ? textOf(o.outputValues).trim() || null : null,
  }));
  if (!outputs.length) problems.push({ elementId: id, message: 'a decision table needs at least one output' });
  if (outputs.length > 1 && outputs.some((o) => !o.name)) problems.push({ elementId: id, message: 'with several outputs, every output needs a name' });
  if (aggregation && outputs.length > 1) problems.push({ elementId: id, message: `aggregation ${aggregation} needs exactly one output` });
  const rules = ((t.rule ?? []) as any[]).map((r, index) => {
    const inputEntries = ((r.inputEntry ?? []) as any[]).map((e) => textOf(e).trim());
    const outputEntries = ((r.outputEntry ?? []) as any[]).map((e) => textOf(e).trim());
    if (inputEntries.length !== inputs.length)
      problems.push({ elementId: r.id, message: `the rule has ${inputEntries.length} input entries for ${inputs.length} inputs` });
    if (outputEntries.length !== outputs.length)
      problems.push({ elementId: r.id, message: `the rule has ${outputEntries.length} output entries for ${outputs.length} outputs` });
    for (const e of inputEntries) {
      const error = unaryTestsSyntaxError(e);
      if (error) problems.push({ elementId: r.id, message: `input entry: ${error}` });
    }
    for (const e of outputEntries) if (e) feel(r.id, 'output entry', e);
    return { id: r.id as string, index: index + 1, inputEntries, outputEntries };
  });
  return { kind: 'decisionTable', hitPolicy, aggregation, inputs, outputs, rules };
}
