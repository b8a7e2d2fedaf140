import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseDrg } from '../../../engine/dmn/parse.js';
import { evaluateDecision, DecisionEvaluationError } from '../../../engine/dmn/evaluate.js';
import type { DeployedDrg } from '../../../engine/dmn/types.js';
import { dmnFile, literalDecision, tableDecision, type TableSpec } from './dmn-xml.js';

async function deployed(xml: string): Promise<DeployedDrg> {
  const { drg, problems } = await parseDrg(xml);
  expect(problems).to.deep.equal([]);
  return drg!;
}
const table = (spec: TableSpec) => deployed(dmnFile(`drg_${spec.id}`, [tableDecision(spec)]));

describe('DMN 1.3 decisions (engine/dmn)', () => {
  describe("the rocket-launch decision (an equivalent of Camunda's get-started example)", () => {
    const xml = readFileSync(new URL('./rocket-launch.dmn', import.meta.url), 'utf8');
    for (const [vars, launch, reason, rule] of [
      [{ weather: 'clear', fuelLevel: 95 }, true, 'go', 'rule_clear_full'],
      [{ weather: 'cloudy', fuelLevel: 40 }, false, 'refuel first', 'rule_low_fuel'],
      [{ weather: 'storm', fuelLevel: 100 }, false, 'wait for storm to pass', 'rule_storm'],
    ] as const) {
      it(`given ${JSON.stringify(vars)}, when the launch decision is evaluated, then launch=${launch} by ${rule}`, async () => {
        const r = evaluateDecision(await deployed(xml), 'launch_decision', vars);
        expect(r.result).to.deep.equal({ launch, reason });
        expect(r.evaluatedDecisions).to.have.length(1);
        const audit = r.evaluatedDecisions[0]!;
        expect(audit.matchedRules.map((m) => m.ruleId)).to.deep.equal([rule]);
        expect(audit.inputs.map((i) => i.value)).to.deep.equal([vars.weather, vars.fuelLevel]);
      });
    }
    it('given no variables, then the weather is null, only not("clear","cloudy") matches it, and the reason text over null is null (no failure)', async () => {
      const r = evaluateDecision(await deployed(xml), 'launch_decision', {});
      expect(r.result).to.deep.equal({ launch: false, reason: null });
      expect(r.evaluatedDecisions[0]!.matchedRules.map((m) => m.ruleId)).to.deep.equal(['rule_storm']);
    });
  });

  // one table, five amounts, every hit policy and aggregation
  const rules: TableSpec['rules'] = [
    [['> 100'], ['"high"']],
    [['> 50'], ['"medium"']],
    [['-'], ['"low"']],
    [['> 100'], ['"review"']],
  ];
  const numeric: TableSpec['rules'] = [
    [['> 100'], ['3']],
    [['> 50'], ['2']],
    [['-'], ['1']],
  ];
  const cases: Array<[string, Partial<TableSpec>, number, unknown, string[]]> = [
    ['FIRST', { hitPolicy: 'FIRST', rules }, 200, 'high', ['r1']],
    ['FIRST (lower amount)', { hitPolicy: 'FIRST', rules }, 70, 'medium', ['r2']],
    ['RULE ORDER', { hitPolicy: 'RULE ORDER', rules }, 200, ['high', 'medium', 'low', 'review'], ['r1', 'r2', 'r3', 'r4']],
    ['COLLECT', { hitPolicy: 'COLLECT', rules }, 70, ['medium', 'low'], ['r2', 'r3']],
    ['PRIORITY', { hitPolicy: 'PRIORITY', outputs: [{ name: 'level', values: '"review","high","medium","low"' }], rules }, 200, 'review', ['r4']],
    [
      'OUTPUT ORDER',
      { hitPolicy: 'OUTPUT ORDER', outputs: [{ name: 'level', values: '"low","medium","high","review"' }], rules },
      200,
      ['low', 'medium', 'high', 'review'],
      ['r3', 'r2', 'r1', 'r4'],
    ],
    ['COLLECT SUM', { hitPolicy: 'COLLECT', aggregation: 'SUM', rules: numeric }, 200, 6, ['r1', 'r2', 'r3']],
    ['COLLECT MIN', { hitPolicy: 'COLLECT', aggregation: 'MIN', rules: numeric }, 70, 1, ['r2', 'r3']],
    ['COLLECT MAX', { hitPolicy: 'COLLECT', aggregation: 'MAX', rules: numeric }, 70, 2, ['r2', 'r3']],
    ['COLLECT COUNT', { hitPolicy: 'COLLECT', aggregation: 'COUNT', rules: numeric }, 200, 3, ['r1', 'r2', 'r3']],
    [
      'ANY (same outputs)',
      {
        hitPolicy: 'ANY',
        rules: [
          [['> 10'], ['"yes"']],
          [['> 20'], ['"yes"']],
          [['<= 10'], ['"no"']],
        ],
      },
      30,
      'yes',
      ['r1'],
    ],
    [
      'UNIQUE',
      {
        rules: [
          [['[0..10]'], ['"small"']],
          [['(10..100]'], ['"mid"']],
          [['> 100'], ['"big"']],
        ],
      },
      50,
      'mid',
      ['r2'],
    ],
    [
      'UNIQUE with a ? test and a function',
      {
        rules: [
          [['? > 10 and even(?)'], ['"even big"']],
          [['-'], ['"other"']],
        ],
        hitPolicy: 'FIRST',
      },
      12,
      'even big',
      ['r1'],
    ],
  ];
  for (const [name, spec, amount, expected, matched] of cases) {
    it(`hit policy ${name}: given amount ${amount}, then ${JSON.stringify(expected)} from ${matched.join(', ')}`, async () => {
      const id = name.replace(/\W+/g, '_');
      const drg = await table({ id, inputs: ['amount'], outputs: [{ name: 'level' }], rules, ...spec });
      const r = evaluateDecision(drg, id, { amount });
      expect(r.result).to.deep.equal(expected);
      expect(r.evaluatedDecisions[0]!.matchedRules.map((m) => m.ruleId)).to.deep.equal(matched.map((m) => `${id}_${m}`));
    });
  }

  it('given UNIQUE and two matching rules, then the evaluation fails naming both rules', async () => {
    const drg = await table({
      id: 'u',
      inputs: ['amount'],
      outputs: [{ name: 'level' }],
      rules: [
        [['> 1'], ['"a"']],
        [['> 2'], ['"b"']],
      ],
    });
    expect(() => evaluateDecision(drg, 'u', { amount: 5 })).to.throw(DecisionEvaluationError, /UNIQUE.*u_r1, u_r2/);
  });

  it('given ANY and matching rules with different outputs, then the evaluation fails', async () => {
    const drg = await table({
      id: 'a',
      hitPolicy: 'ANY',
      inputs: ['amount'],
      outputs: [{ name: 'level' }],
      rules: [
        [['> 1'], ['"a"']],
        [['> 2'], ['"b"']],
      ],
    });
    expect(() => evaluateDecision(drg, 'a', { amount: 5 })).to.throw(DecisionEvaluationError, /ANY/);
  });

  it('given a DRG (a literal expression requiring two tables), then required decisions are evaluated first and their results are visible by decision id', async () => {
    const drg = await deployed(
      dmnFile('dish-drg', [
        tableDecision({
          id: 'season',
          inputs: ['month'],
          outputs: [{ name: 'season' }],
          rules: [
            [['[3..5]'], ['"spring"']],
            [['[6..8]'], ['"summer"']],
            [['-'], ['"other"']],
          ],
          hitPolicy: 'FIRST',
        }),
        tableDecision({
          id: 'dish',
          inputs: ['season', 'guests'],
          outputs: [{ name: 'dish' }],
          requires: ['season'],
          rules: [
            [['"summer"', '<= 4'], ['"salad"']],
            [['"summer"', '> 4'], ['"barbecue"']],
            [['-', '-'], ['"stew"']],
          ],
          hitPolicy: 'FIRST',
        }),
        literalDecision('menu', 'dish + " for " + string(guests)', ['dish'], 'menuText'),
      ]),
    );
    const r = evaluateDecision(drg, 'menu', { month: 7, guests: 6 });
    expect(r.result).to.equal('barbecue for 6');
    expect(r.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType, d.result])).to.deep.equal([
      ['season', 'DECISION_TABLE', 'summer'],
      ['dish', 'DECISION_TABLE', 'barbecue'],
      ['menu', 'LITERAL_EXPRESSION', 'barbecue for 6'],
    ]);
    expect(r.evaluatedDecisions[1]!.matchedRules.map((m) => m.ruleId)).to.deep.equal(['dish_r2']);
  });

  describe('deploy-side validation', () => {
    const problemsOf = async (xml: string) => (await parseDrg(xml)).problems.map((p) => `${p.elementId}: ${p.message}`);
    it('given a FEEL syntax error in an output entry and an input entry, then both are reported with their element ids', async () => {
      const problems = await problemsOf(dmnFile('bad', [tableDecision({ id: 'b', inputs: ['x'], outputs: [{ name: 'y' }], rules: [[['[1..'], ['1 +']]] })]));
      expect(problems.join('\n'))
        .to.match(/b_r1: input entry: FEEL unary-tests syntax error/)
        .and.to.match(/b_r1: output entry: FEEL syntax error/);
    });
    it('given a required decision that is not in the file, then it is refused', async () => {
      const problems = await problemsOf(dmnFile('bad', [literalDecision('a', '1', ['nowhere'])]));
      expect(problems).to.deep.equal(["a: required decision 'nowhere' is not in this file"]);
    });
    it('given decisions requiring each other, then the cycle is refused', async () => {
      const problems = await problemsOf(dmnFile('bad', [literalDecision('a', 'b', ['b']), literalDecision('b', 'a', ['a'])]));
      expect(problems.join('\n')).to.contain('cycle');
    });
    it('given an aggregation without COLLECT, then it is refused', async () => {
      const problems = await problemsOf(
        dmnFile('bad', [tableDecision({ id: 'c', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['x'], outputs: [{ name: 'y' }], rules: [[['-'], ['1']]] })]),
      );
      expect(problems.join('\n')).to.contain('COLLECT');
    });
    it('given text that is not DMN, then it is refused', async () => {
      expect((await problemsOf('<nope/>')).length).to.equal(1);
    });
  });
});
