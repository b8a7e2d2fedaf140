import { expect } from 'chai';
import { deriveSchema, FormSchemaError, loadFormDirectory, validateSubmission, type FormComponent, type FormDefinition } from '../../domain/forms/index.js';

const forms = loadFormDirectory();
const formOf = (id: string) => forms.get(id)!.definition;

/** [what, submission, expected errors as "field:code" (empty = accepted)] */
type Case = [string, Record<string, unknown>, string[]];

const table: Record<string, Case[]> = {
  'case-accept': [
    ['filed with an event type', { filed: true, eventTypeCode: 'BJ-0101' }, []],
    ['not filed with a reason', { filed: false, rejectReason: '不属于受理范围' }, []],
    // FEEL: filed = false is false for a missing filed, so the event type is shown and required
    ['nothing', {}, ['filed:required', 'eventTypeCode:required']],
    ['filed left empty (form-js sends null)', { filed: null }, ['filed:required', 'eventTypeCode:required']],
    ['filed without an event type', { filed: true }, ['eventTypeCode:required']],
    ['filed with an empty event type', { filed: true, eventTypeCode: '' }, ['eventTypeCode:required']],
    ['not filed without a reason', { filed: false }, ['rejectReason:required']],
    ['not filed with a blank reason', { filed: false, rejectReason: '   ' }, ['rejectReason:required']],
    ['not filed with a reason of 501 characters', { filed: false, rejectReason: '理'.repeat(501) }, ['rejectReason:too_long']],
    ['filed with a reject reason', { filed: true, eventTypeCode: 'BJ-0101', rejectReason: 'x' }, ['rejectReason:not_allowed']],
    ['not filed with an event type', { filed: false, rejectReason: 'x', eventTypeCode: 'BJ-0101' }, ['eventTypeCode:not_allowed']],
    // FEEL: "true" = false is null, a null condition hides, so both conditional fields are hidden
    ['filed as the string "true"', { filed: 'true' }, ['filed:option']],
    ['an event type that is a number', { filed: true, eventTypeCode: 101 }, ['eventTypeCode:type']],
    ['an unknown key', { filed: true, eventTypeCode: 'BJ-0101', caseId: '1' }, ['caseId:unknown_field']],
  ],
  'case-dispatch': [
    ['a unit', { unitCode: 'E-GPS' }, []],
    ['a unit and a note', { unitCode: 'E-GPS', dispatchNote: '请于今日处置' }, []],
    ['an empty note (form-js default)', { unitCode: 'E-GPS', dispatchNote: '' }, []],
    ['a null note', { unitCode: 'E-GPS', dispatchNote: null }, []],
    ['no unit', { dispatchNote: 'x' }, ['unitCode:required']],
    ['an empty unit', { unitCode: '' }, ['unitCode:required']],
    ['a unit list', { unitCode: ['E-GPS'] }, ['unitCode:type']],
    ['a note of 501 characters', { unitCode: 'E-GPS', dispatchNote: 'x'.repeat(501) }, ['dispatchNote:too_long']],
  ],
  'case-handle': [
    ['done with a result', { handleOutcome: 'done', handleResult: '已补装井盖' }, []],
    ['done with photos', { handleOutcome: 'done', handleResult: '已补装', photosBefore: '101', photosAfter: '102, 103，104' }, []],
    ['done with empty photos (form-js default)', { handleOutcome: 'done', handleResult: '已补装', photosBefore: '', photosAfter: '' }, []],
    ['return with a reason', { handleOutcome: 'return', returnReason: '不属于本单位职责' }, []],
    ['extend 48 h with a reason', { handleOutcome: 'extend', extensionHours: 48, extensionReason: '需采购配件' }, []],
    ['extend the minimum 1 h', { handleOutcome: 'extend', extensionHours: 1, extensionReason: 'r' }, []],
    ['extend the maximum 240 h', { handleOutcome: 'extend', extensionHours: 240, extensionReason: 'r' }, []],
    ['no outcome', {}, ['handleOutcome:required']],
    ['an unknown outcome', { handleOutcome: 'close' }, ['handleOutcome:option']],
    ['done without a result', { handleOutcome: 'done' }, ['handleResult:required']],
    ['done with a blank result', { handleOutcome: 'done', handleResult: ' \n ' }, ['handleResult:required']],
    ['return with a result only', { handleOutcome: 'return', handleResult: '已处理' }, ['returnReason:required', 'handleResult:not_allowed']],
    ['return with photos', { handleOutcome: 'return', returnReason: 'r', photosAfter: '1' }, ['photosAfter:not_allowed']],
    ['extend without hours', { handleOutcome: 'extend', extensionReason: 'r' }, ['extensionHours:required']],
    ['extend with empty hours (form-js sends null)', { handleOutcome: 'extend', extensionHours: null, extensionReason: 'r' }, ['extensionHours:required']],
    ['extend without a reason', { handleOutcome: 'extend', extensionHours: 8 }, ['extensionReason:required']],
    ['extend 0 h', { handleOutcome: 'extend', extensionHours: 0, extensionReason: 'r' }, ['extensionHours:min']],
    ['extend 241 h', { handleOutcome: 'extend', extensionHours: 241, extensionReason: 'r' }, ['extensionHours:max']],
    ['extend -5 h', { handleOutcome: 'extend', extensionHours: -5, extensionReason: 'r' }, ['extensionHours:min']],
    ['extend 2.5 h', { handleOutcome: 'extend', extensionHours: 2.5, extensionReason: 'r' }, ['extensionHours:integer']],
    ['extend "48" h as text', { handleOutcome: 'extend', extensionHours: '48', extensionReason: 'r' }, ['extensionHours:type']],
    ['done with hours', { handleOutcome: 'done', handleResult: 'x', extensionHours: 8 }, ['extensionHours:not_allowed']],
    ['photos that are not ids', { handleOutcome: 'done', handleResult: 'x', photosAfter: 'a.jpg' }, ['photosAfter:pattern']],
    ['photos as a list', { handleOutcome: 'done', handleResult: 'x', photosAfter: ['1'] }, ['photosAfter:type']],
    ['an unknown key', { handleOutcome: 'done', handleResult: 'x', unitCode: 'E-GPS' }, ['unitCode:unknown_field']],
    ['shelve with a reason', { handleOutcome: 'shelve', shelveReason: '需纳入明年市政工程计划' }, []],
    ['shelve without a reason', { handleOutcome: 'shelve' }, ['shelveReason:required']],
    ['done with a shelve reason', { handleOutcome: 'done', handleResult: 'x', shelveReason: 'r' }, ['shelveReason:not_allowed']],
  ],
  'case-shelve-review': [
    ['approved', { shelveApproved: true }, []],
    ['refused with a comment', { shelveApproved: false, reviewComment: '应在本季度内解决' }, []],
    ['no decision', { reviewComment: 'x' }, ['shelveApproved:required']],
  ],
  'case-return-review': [
    ['approved', { returnApproved: true }, []],
    ['refused with a comment', { returnApproved: false, reviewComment: '属于本单位职责' }, []],
    ['no decision', { reviewComment: 'x' }, ['returnApproved:required']],
    ['a decision as text', { returnApproved: 'yes' }, ['returnApproved:option']],
    ['a comment of 501 characters', { returnApproved: false, reviewComment: 'x'.repeat(501) }, ['reviewComment:too_long']],
  ],
  'case-extension-review': [
    ['approved with the requested hours', { extensionApproved: true, extensionHours: 48 }, []],
    ['refused', { extensionApproved: false }, []],
    ['approved without hours', { extensionApproved: true }, ['extensionHours:required']],
    ['refused with hours', { extensionApproved: false, extensionHours: 48 }, ['extensionHours:not_allowed']],
    ['approved 0 h', { extensionApproved: true, extensionHours: 0 }, ['extensionHours:min']],
    ['approved 1000 h', { extensionApproved: true, extensionHours: 1000 }, ['extensionHours:max']],
    ['no decision', {}, ['extensionApproved:required', 'extensionHours:required']],
  ],
  'case-verify': [
    ['verified', { verified: true }, []],
    ['verified with photos', { verified: true, photosVerify: '7,8' }, []],
    ['not verified with a comment', { verified: false, verifyComment: '井盖仍松动', photosVerify: '9' }, []],
    ['not verified without a comment', { verified: false }, ['verifyComment:required']],
    ['verified with a comment', { verified: true, verifyComment: 'x' }, ['verifyComment:not_allowed']],
    ['verified as 1', { verified: 1 }, ['verified:option']],
    ['photos with letters', { verified: true, photosVerify: '7,x' }, ['photosVerify:pattern']],
  ],
};

describe('forms / submission schemas of the case forms', () => {
  for (const [formId, cases] of Object.entries(table)) {
    describe(formId, () => {
      for (const [what, data, expected] of cases) {
        const verdict = expected.length ? `refused with ${expected.join(', ')}` : 'accepted';
        it(`given ${what}, when validated, then it is ${verdict}`, () => {
          const result = validateSubmission(formOf(formId), data);
          if (!expected.length) {
            expect(result, JSON.stringify(result)).to.deep.equal({ ok: true });
            return;
          }
          expect(result.ok).to.equal(false);
          const errors = result.ok ? [] : result.errors;
          expect(errors.map((e) => `${e.field}:${e.code}`)).to.have.members(expected);
          for (const e of errors) expect(e.message).to.match(/[\u4e00-\u9fff]/u);
        });
      }
    });
  }

  it('given every case form, when its schema is derived, then unknown keys are refused and only its inputs are properties', () => {
    for (const { definition, derived } of forms.values()) {
      expect(derived.schema['additionalProperties']).to.equal(false);
      expect(Object.keys(derived.schema['properties'] as object)).to.have.members(derived.fields.map((f) => f.key));
      expect(derived.schema['$schema']).to.equal('http://json-schema.org/draft-07/schema#');
      expect(deriveSchema(definition)).to.deep.equal(derived);
    }
  });

  it('given a submission that is not an object, when validated, then it is refused as a whole', () => {
    for (const data of [null, [], 'filed', 1]) {
      const result = validateSubmission(formOf('case-accept'), data);
      expect(result).to.deep.include({ ok: false });
      expect(result.ok ? [] : result.errors.map((e) => e.field)).to.include('');
    }
  });
});

describe('forms / derivation rules', () => {
  const form = (components: FormComponent[]): FormDefinition => ({ type: 'default', id: 'test-form', schemaVersion: 19, components });
  const ok = (f: FormDefinition, data: Record<string, unknown>) => validateSubmission(f, data).ok;
  const codes = (f: FormDefinition, data: Record<string, unknown>) => {
    const r = validateSubmission(f, data);
    return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`);
  };

  it('given a textfield with minLength and pattern but not required, when empty, then form-js skips the checks and so does the schema', () => {
    const f = form([{ type: 'textfield', id: 'Field_code', key: 'code', label: '编码', validate: { minLength: 3, maxLength: 5, pattern: '^[A-Z]+$' } }]);
    expect(ok(f, { code: '' })).to.equal(true);
    expect(ok(f, { code: null })).to.equal(true);
    expect(ok(f, { code: 'ABC' })).to.equal(true);
    expect(codes(f, { code: 'AB' })).to.deep.equal(['code:too_short']);
    expect(codes(f, { code: 'abc' })).to.deep.equal(['code:pattern']);
    expect(codes(f, { code: 'ABCDEF' })).to.deep.equal(['code:too_long']);
  });

  it('given an email textfield, when filled with something else, then it is a format error', () => {
    const f = form([{ type: 'textfield', id: 'Field_mail', key: 'mail', label: '邮箱', validate: { validationType: 'email' } }]);
    expect(ok(f, { mail: 'a@example.org' })).to.equal(true);
    expect(codes(f, { mail: 'nope' })).to.deep.equal(['mail:format']);
  });

  it('given a number without decimalDigits, when a fraction is sent, then it is accepted within min/max', () => {
    const f = form([{ type: 'number', id: 'Field_n', key: 'n', label: '数', validate: { min: 0.5, max: 2 } }]);
    expect(ok(f, { n: 1.25 })).to.equal(true);
    expect(ok(f, { n: null })).to.equal(true);
    expect(codes(f, { n: 0.4 })).to.deep.equal(['n:min']);
  });

  it('given a number with an increment of 5, when 7 is sent, then it is a step error', () => {
    const f = form([{ type: 'number', id: 'Field_n', key: 'n', label: '数', decimalDigits: 0, increment: 5 }]);
    expect(ok(f, { n: 10 })).to.equal(true);
    expect(codes(f, { n: 7 })).to.deep.equal(['n:step']);
  });

  it('given a required checkbox, when unticked, then it is required (form-js semantics)', () => {
    const f = form([{ type: 'checkbox', id: 'Field_agree', key: 'agree', label: '确认', validate: { required: true } }]);
    expect(ok(f, { agree: true })).to.equal(true);
    expect(codes(f, { agree: false })).to.deep.equal(['agree:required']);
    expect(codes(f, { agree: 'yes' })).to.deep.equal(['agree:type']);
  });

  it('given checklist and taglist fields, when sent, then they are arrays of allowed strings without duplicates', () => {
    const f = form([
      {
        type: 'checklist',
        id: 'Field_tags',
        key: 'tags',
        label: '标签',
        values: [
          { label: '甲', value: 'a' },
          { label: '乙', value: 'b' },
        ],
        validate: { required: true },
      },
      { type: 'taglist', id: 'Field_units', key: 'units', label: '协办单位', valuesKey: 'unitOptions' },
    ]);
    expect(ok(f, { tags: ['a'], units: ['E-GPS', 'D-CGJ'] })).to.equal(true);
    expect(codes(f, { tags: [] })).to.deep.equal(['tags:required']);
    expect(codes(f, { tags: ['c'] })).to.deep.equal(['tags:option']);
    expect(codes(f, { tags: ['a', 'a'] })).to.deep.equal(['tags:duplicate']);
    expect(codes(f, { tags: ['a'], units: [1] })).to.deep.equal(['units:type']);
  });

  it('given datetime fields, when sent, then date, time and date-time values are checked as form-js writes them', () => {
    const f = form([
      { type: 'datetime', id: 'Field_d', key: 'd', label: '日期', subtype: 'date' },
      { type: 'datetime', id: 'Field_t', key: 't', label: '时间', subtype: 'time' },
      { type: 'datetime', id: 'Field_dt', key: 'dt', label: '日期时间', subtype: 'datetime' },
    ]);
    expect(ok(f, { d: '2026-11-28', t: '09:30', dt: '2026-11-28T09:30+08:00' })).to.equal(true);
    expect(ok(f, { t: '09:30Z', dt: '2026-11-28T09:30' })).to.equal(true);
    expect(codes(f, { d: '2026-02-30' })).to.deep.equal(['d:format']);
    expect(codes(f, { t: '25:00', dt: '2026-11-28' })).to.have.members(['t:pattern', 'dt:pattern']);
  });

  it('given a select with options from a variable, when any non-empty string is sent, then the schema accepts it (the API checks the catalogue)', () => {
    const f = form([{ type: 'select', id: 'Field_u', key: 'u', label: '单位', valuesKey: 'unitOptions', validate: { required: true } }]);
    expect(ok(f, { u: 'anything' })).to.equal(true);
    expect(codes(f, { u: '' })).to.deep.equal(['u:required']);
    expect(deriveSchema(f).fields[0]!.valuesKey).to.equal('unitOptions');
  });

  it('given a group with a hide condition, when its condition holds, then its fields are neither required nor allowed', () => {
    const f = form([
      { type: 'checkbox', id: 'Field_more', key: 'more', label: '补充' },
      {
        type: 'group',
        id: 'Group_more',
        label: '补充信息',
        conditional: { hide: '=not(more)' },
        components: [{ type: 'textfield', id: 'Field_extra', key: 'extra', label: '补充内容', validate: { required: true } }],
      },
    ]);
    expect(ok(f, { more: false })).to.equal(true);
    expect(codes(f, { more: false, extra: 'x' })).to.deep.equal(['extra:not_allowed']);
    expect(codes(f, { more: true })).to.deep.equal(['extra:required']);
    expect(ok(f, { more: true, extra: 'x' })).to.equal(true);
  });

  it('given a field inside a hidden group that also has its own condition, when either holds, then it is hidden', () => {
    const f = form([
      {
        type: 'radio',
        id: 'Field_kind',
        key: 'kind',
        label: '类',
        values: [
          { label: '甲', value: 'a' },
          { label: '乙', value: 'b' },
        ],
        validate: { required: true },
      },
      { type: 'number', id: 'Field_n', key: 'n', label: '数', validate: { required: true } },
      {
        type: 'group',
        id: 'Group_g',
        label: '组',
        conditional: { hide: '=kind = "a"' },
        components: [{ type: 'textfield', id: 'Field_x', key: 'x', label: '文', validate: { required: true }, conditional: { hide: '=n > 10' } }],
      },
    ]);
    expect(ok(f, { kind: 'a', n: 1 })).to.equal(true);
    expect(ok(f, { kind: 'b', n: 11 })).to.equal(true);
    expect(codes(f, { kind: 'b', n: 10 })).to.deep.equal(['x:required']);
  });

  // feelin evaluates the conditions as form-js does, so any FEEL over the form's own fields is checked exactly
  const accepted: Array<[string, FormComponent[], Array<[Record<string, unknown>, string[]]>]> = [
    [
      'a condition with "in"',
      [
        {
          type: 'radio',
          id: 'Field_o',
          key: 'o',
          label: '甲',
          values: [
            { label: '甲', value: 'x' },
            { label: '乙', value: 'y' },
          ],
          validate: { required: true },
        },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', validate: { required: true }, conditional: { hide: '=o in ["x"]' } },
      ],
      [
        [{ o: 'x' }, []],
        [{ o: 'x', a: 't' }, ['a:not_allowed']],
        [{ o: 'y' }, ['a:required']],
        [{ o: 'y', a: 't' }, []],
      ],
    ],
    [
      'a condition on options of mixed types (the FormEditor turned true into "true")',
      [
        {
          type: 'radio',
          id: 'Field_v',
          key: 'v',
          label: '甲',
          values: [
            { label: '是', value: 'true' },
            { label: '否', value: false },
          ],
          validate: { required: true },
        },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', validate: { required: true }, conditional: { hide: '=v != false' } },
      ],
      [
        [{ v: 'true' }, []],
        [{ v: false }, ['a:required']],
        [{ v: false, a: 't' }, []],
      ],
    ],
    [
      'a condition on a list',
      [
        {
          type: 'checklist',
          id: 'Field_l',
          key: 'l',
          label: '甲',
          values: [
            { label: '甲', value: 'a' },
            { label: '乙', value: 'b' },
          ],
        },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', validate: { required: true }, conditional: { hide: '=not(list contains(l, "b"))' } },
      ],
      [
        [{ l: ['a'] }, []],
        [{ l: ['a', 'b'] }, ['a:required']],
        [{ l: ['b'], a: 't' }, []],
      ],
    ],
    [
      'a condition calling another function',
      [
        { type: 'textfield', id: 'Field_b', key: 'b', label: '甲' },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', validate: { required: true }, conditional: { hide: '=string length(b) < 3' } },
        // no b: string length(null) is null, and a null condition hides (form-js), so a is not asked for
      ],
      [
        [{}, []],
        [{ b: 'ab' }, []],
        [{ b: 'abcd' }, ['a:required']],
        [{ b: 'ab', a: 'y' }, ['a:not_allowed']],
      ],
    ],
    [
      'a condition with a quantifier over a list',
      [
        {
          type: 'checklist',
          id: 'Field_l',
          key: 'l',
          label: '甲',
          values: [
            { label: '甲', value: 'a' },
            { label: '乙', value: 'b' },
          ],
        },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', validate: { required: true }, conditional: { hide: '=every x in l satisfies x = "a"' } },
      ],
      [
        [{ l: ['a'] }, []],
        [{ l: ['a', 'b'] }, ['a:required']],
      ],
    ],
  ];
  for (const [what, components, submissions] of accepted) {
    it(`given ${what}, when submitted, then the field is hidden exactly when feelin says so`, () => {
      const f = form(components);
      for (const [data, expected] of submissions) expect(codes(f, data), JSON.stringify(data)).to.deep.equal(expected);
    });
  }

  const broken: Array<[string, FormComponent[], RegExp]> = [
    [
      'a condition on a path into a process variable',
      [{ type: 'textfield', id: 'Field_a', key: 'a', label: '甲', conditional: { hide: '=case.filed = true' } }],
      /'case' is not an always-shown input field/,
    ],
    [
      'a condition on a process variable',
      [{ type: 'textfield', id: 'Field_a', key: 'a', label: '甲', conditional: { hide: '=needsManualAccept' } }],
      /needsManualAccept.*not an always-shown input field/,
    ],
    [
      'a condition comparing with a value that is not an option',
      [
        { type: 'radio', id: 'Field_o', key: 'o', label: '甲', values: [{ label: '办结', value: 'return' }] },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', conditional: { hide: '=o != "retrun"' } },
      ],
      /"retrun" is not one of the options/,
    ],
    [
      'a condition comparing a yes/no field with a string',
      [
        { type: 'checkbox', id: 'Field_b', key: 'b', label: '甲' },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', conditional: { hide: '=b = "true"' } },
      ],
      /holds a boolean/,
    ],
    [
      'a condition on a conditionally shown field',
      [
        { type: 'checkbox', id: 'Field_b', key: 'b', label: '甲' },
        { type: 'checkbox', id: 'Field_c', key: 'c', label: '乙', conditional: { hide: '=b' } },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '丙', conditional: { hide: '=c' } },
      ],
      /'c' is not an always-shown input field/,
    ],
    [
      'a condition with a syntax error',
      [
        { type: 'checkbox', id: 'Field_b', key: 'b', label: '甲' },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', conditional: { hide: '=b = ' } },
      ],
      /syntax error/,
    ],
    [
      'a condition without "="',
      [
        { type: 'checkbox', id: 'Field_b', key: 'b', label: '甲' },
        { type: 'textfield', id: 'Field_a', key: 'a', label: '乙', conditional: { hide: 'b' } },
      ],
      /starting with "="/,
    ],
    ['a FEEL maximum', [{ type: 'number', id: 'Field_n', key: 'n', label: '数', validate: { max: '=maxHours' } }], /FEEL expression/],
    ['a readonly input', [{ type: 'textfield', id: 'Field_n', key: 'n', label: '数', readonly: true }], /readonly/],
    ['a file picker', [{ type: 'filepicker', id: 'Field_f', key: 'f', label: '文件' }], /attachment ids/],
    ['an expression field', [{ type: 'expression', id: 'Field_e', key: 'e', expression: '=1' }], /expression fields/],
    ['a dynamic list', [{ type: 'dynamiclist', id: 'Field_l', path: 'l', components: [] }], /dynamic lists/],
    ['an unknown type', [{ type: 'signature', id: 'Field_s', key: 's' }], /unsupported component type 'signature'/],
    [
      'a duplicate key',
      [
        { type: 'textfield', id: 'Field_a', key: 'a', label: '甲' },
        { type: 'textarea', id: 'Field_a2', key: 'a', label: '乙' },
      ],
      /used twice/,
    ],
    ['a dotted key', [{ type: 'textfield', id: 'Field_a', key: 'case.note', label: '甲' }], /plain identifier/],
    ['an input without a key', [{ type: 'textfield', id: 'Field_a', label: '甲' }], /needs a key/],
    ['two decimal digits', [{ type: 'number', id: 'Field_n', key: 'n', label: '金额', decimalDigits: 2 }], /decimalDigits/],
    ['a group with a path', [{ type: 'group', id: 'Group_g', path: 'g', components: [] }], /path/],
    ['a radio without options', [{ type: 'radio', id: 'Field_r', key: 'r', label: '甲' }], /needs values or a valuesKey/],
    ['a phone validation', [{ type: 'textfield', id: 'Field_p', key: 'p', label: '电话', validate: { validationType: 'phone' } }], /phone/],
  ];
  for (const [what, components, message] of broken) {
    it(`given ${what}, when the schema is derived, then derivation fails loudly`, () => {
      expect(() => deriveSchema(form(components))).to.throw(FormSchemaError, message);
    });
  }
});
