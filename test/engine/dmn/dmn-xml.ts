/** Builds a DMN 1.3 file from a compact table description, so each test reads as a table of rules. */
export type TableSpec = {
  id: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: string[];
  outputs: Array<{ name: string; values?: string }>;
  rules: Array<[string[], string[]]>;
  requires?: string[];
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function tableDecision(t: TableSpec): string {
  const req = (t.requires ?? []).map((r) => `<informationRequirement id="ir_${t.id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  return `<decision id="${t.id}" name="${t.id}">${req}
    <decisionTable id="dt_${t.id}"${t.hitPolicy ? ` hitPolicy="${t.hitPolicy}"` : ''}${t.aggregation ? ` aggregation="${t.aggregation}"` : ''}>
      ${t.inputs.map((e, i) => `<input id="in_${t.id}_${i}" label="${esc(e)}"><inputExpression id="ie_${t.id}_${i}"><text>${esc(e)}</text></inputExpression></input>`).join('\n      ')}
      ${t.outputs.map((o, i) => `<output id="out_${t.id}_${i}" name="${o.name}">${o.values ? `<outputValues id="ov_${t.id}_${i}"><text>${esc(o.values)}</text></outputValues>` : ''}</output>`).join('\n      ')}
      ${t.rules.map(([ins, outs], r) => `<rule id="${t.id}_r${r + 1}">${ins.map((e, i) => `<inputEntry id="${t.id}_r${r + 1}_i${i}"><text>${esc(e)}</text></inputEntry>`).join('')}${outs.map((e, i) => `<outputEntry id="${t.id}_r${r + 1}_o${i}"><text>${esc(e)}</text></outputEntry>`).join('')}</rule>`).join('\n      ')}
    </decisionTable>
  </decision>`;
}

export function literalDecision(id: string, expression: string, requires: string[] = [], variable?: string): string {
  const req = requires.map((r) => `<informationRequirement id="ir_${id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  return `<decision id="${id}" name="${id}">${req}${variable ? `<variable id="v_${id}" name="${variable}" />` : ''}<literalExpression id="le_${id}"><text>${esc(expression)}</text></literalExpression></decision>`;
}

export function dmnFile(id: string, decisions: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${id}" name="${id}" namespace="http://camunda.org/schema/1.0/dmn">
  ${decisions.join('\n  ')}
</definitions>`;
}
