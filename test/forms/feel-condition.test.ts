import { expect } from 'chai';
import { Ajv } from 'ajv';
import { unaryTest } from 'feelin';
import {
  inputComponents,
  loadFormDirectory,
  translateHideCondition,
  UntranslatableConditionError,
  type ConditionField,
} from '../../domain/forms/index.js';

/**
 * The oracle: form-js hides a field when feelin's `unaryTest(condition, data).value === true`
 * (ConditionChecker._checkHideCondition). The translated JSON Schema must agree on every
 * combination of well-typed, null and missing values of the fields the condition reads.
 */
const ABSENT = Symbol('absent');
type Sample = unknown | typeof ABSENT;

const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
const hiddenByFormJs = (condition: string, data: Record<string, unknown>) => unaryTest(condition.slice(1), data).value === true;

function combinations(keys: string[], samples: Record<string, Sample[]>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const key of keys) {
    out = out.flatMap((partial) => samples[key]!.map((v) => (v === ABSENT ? { ...partial } : { ...partial, [key]: v })));
  }
  return out;
}

function expectAgreement(condition: string, fields: ReadonlyMap<string, ConditionField>, samples: Record<string, Sample[]>) {
  const schema = translateHideCondition(condition, fields);
  // in deriveSchema the condition sits under the submission's `type: 'object'`, so it does here
  const validate = ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', allOf: [schema] });
  const keys = [...fields.keys()].filter((k) => new RegExp(`\\b${k}\\b`).test(condition));
  let checked = 0;
  for (const data of combinations(keys, samples)) {
    expect(validate(data), `${condition} on ${JSON.stringify(data)}`).to.equal(hiddenByFormJs(condition, data));
    checked++;
  }
  expect(checked).to.be.greaterThan(0);
}

describe('forms / FEEL hide conditions translated to JSON Schema', () => {
  const fields = new Map<string, ConditionField>([
    ['filed', { key: 'filed', valueType: 'boolean', values: [true, false] }],
    ['outcome', { key: 'outcome', valueType: 'string', values: ['done', 'return', 'extend'] }],
    ['hours', { key: 'hours', valueType: 'number' }],
    ['note', { key: 'note', valueType: 'string' }],
    ['agree', { key: 'agree', valueType: 'boolean' }],
  ]);
  const samples: Record<string, Sample[]> = {
    filed: [ABSENT, null, true, false],
    outcome: [ABSENT, null, 'done', 'return', 'extend'],
    hours: [ABSENT, null, 0, 1, 24, 24.5, 25],
    note: [ABSENT, null, '', 'x', 'y'],
    agree: [ABSENT, null, true, false],
  };

  const conditions = [
    '=filed = true', '=filed = false', '=filed != true', '=filed != false', '=filed', '=(filed)', '=not(filed)',
    '=filed = null', '=filed != null', '=null = filed', '=true = filed',
    '=outcome = "done"', '=outcome != "return"', '="extend" != outcome', '=outcome = null', '=not(outcome = "done")',
    '=hours > 24', '=hours >= 24', '=hours < 1', '=hours <= 0', '=24 < hours', '=1 >= hours', '=hours = 24', '=hours != 0', '=hours > -1',
    '=note = "x"', '=note != "x"', '=note = ""', '=note != null',
    '=filed and agree', '=filed or agree', '=filed = true and outcome = "done"', '=filed = false or hours > 10',
    '=not(filed and outcome != "extend")', '=outcome = "done" and (hours > 24 or note = "x")',
    '=not(agree) and filed = false', '=agree and not(filed)', '=not(not(filed))',
    '=hours > 10 and filed', '=hours > 10 or filed', '=true', '=false', '=true and filed', '=false or hours < 5',
  ];
  for (const condition of conditions) {
    it(`given '${condition}', when every typed, null and missing value is tried, then the schema hides exactly when form-js does`, () => {
      expectAgreement(condition, fields, samples);
    });
  }

  describe('the conditions of the case forms', () => {
    for (const { formId, definition, derived } of loadFormDirectory().values()) {
      const conditional = derived.fields.filter((f) => f.hideConditions.length);
      const always = new Map<string, ConditionField>();
      const formSamples: Record<string, Sample[]> = {};
      for (const f of derived.fields.filter((x) => !x.hideConditions.length)) {
        const values = f.options?.map((o) => o.value);
        if (!values) continue;
        always.set(f.key, { key: f.key, valueType: typeof values[0] as ConditionField['valueType'], values });
        formSamples[f.key] = [ABSENT, null, ...values];
      }
      for (const f of conditional) {
        for (const condition of f.hideConditions) {
          it(`given ${formId} / ${f.key} hidden by '${condition}', when every option is tried, then the schema agrees with form-js`, () => {
            expectAgreement(condition, always, formSamples);
          });
        }
      }
      it(`given ${formId}, when its inputs are listed, then the conditional ones are the ones the schema treats as conditional`, () => {
        const withHide = inputComponents(definition).filter((i) => i.hideConditions.length).map((i) => i.key);
        expect(conditional.map((f) => f.key)).to.deep.equal(withHide);
      });
    }
  });

  const untranslatable: Array<[string, RegExp]> = [
    ['=needsManualAccept', /not an always-shown input field/],
    ['=case.filed = true', /one field and one literal/],
    ['=case.filed', /unsupported PathExpression/],
    ['=outcome in ["done", "return"]', /simple comparisons/],
    ['=hours between 1 and 5', /simple comparisons/],
    ['=outcome = "done", outcome = "return"', /comma-separated/],
    ['=hours + 1 > 5', /one field and one literal/],
    ['=outcome = note', /one field and one literal/],
    ['=note > "a"', /only supported between a number field and a number/],
    ['=outcome', /not a yes\/no field/],
    ['=hours = "1"', /holds a number/],
    ['=outcome = "finished"', /not one of the options/],
    ['=is defined(note)', /only function supported is not/],
    ['=filed = ', /syntax error/],
    ['=', /empty/],
    ['filed', /starting with "="/],
  ];
  for (const [condition, reason] of untranslatable) {
    it(`given '${condition}', when translated, then it fails loudly`, () => {
      expect(() => translateHideCondition(condition, fields)).to.throw(UntranslatableConditionError, reason);
    });
  }
});
