import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExpression } from 'feelin';
import {
  allComponents,
  ATTACHMENT_IDS_PATTERN,
  FORMS_DIR,
  INPUT_TYPES,
  inputComponents,
  loadFormDirectory,
  parseFormDefinition,
  type FormDefinition,
} from '../../domain/forms/index.js';
import { contractVariables, userTaskForms } from './contract.js';

const PROCESSES_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));
const CJK = /[\u4e00-\u9fff]/u;

const files = readdirSync(FORMS_DIR)
  .filter((f) => f.endsWith('.form'))
  .sort();
const forms: Array<[string, FormDefinition]> = files.map((f) => [f, parseFormDefinition(readFileSync(join(FORMS_DIR, f), 'utf8'), f)]);
const contract = userTaskForms();

describe('forms / the .form files', () => {
  it('given the contract, when its table is read, then it lists the case forms of every category process', () => {
    expect(contract.map((r) => r.formId)).to.have.members([
      'case-accept',
      'case-dispatch',
      'case-handle',
      'case-return-review',
      'case-shelve-review',
      'case-extension-review',
      'case-verify',
      'case-emergency-handle',
      'case-assist',
      'case-stage',
      'case-mediate',
      'case-hand-over',
    ]);
  });

  it('given the contract, when forms/ is listed, then there is exactly one .form per formId', () => {
    expect(files.map((f) => basename(f, '.form'))).to.have.members(contract.map((r) => r.formId));
  });

  it('given forms/, when loaded the way the API loads it, then every form derives a submission schema', () => {
    const loaded = loadFormDirectory();
    expect([...loaded.keys()]).to.have.members(contract.map((r) => r.formId));
  });

  for (const [file, form] of forms) {
    describe(file, () => {
      it('when parsed, then it is a form-js 1.x definition whose id is the file name', () => {
        expect(form.type).to.equal('default');
        expect(form.schemaVersion).to.equal(19);
        expect(form.id).to.equal(basename(file, '.form'));
      });

      it('when its components are listed, then every one has a stable unique id', () => {
        const ids = allComponents(form).map((c) => c.id);
        for (const id of ids)
          expect(id, 'component id')
            .to.be.a('string')
            .and.match(/^(Field|Text|Group)_[A-Za-z0-9_]+$/);
        expect(new Set(ids).size).to.equal(ids.length);
      });

      it('when its inputs are listed, then every key is unique and every input id is Field_<key>', () => {
        const keys = inputComponents(form).map((i) => i.key);
        expect(new Set(keys).size).to.equal(keys.length);
        for (const { component, key } of inputComponents(form)) expect(component.id).to.equal(`Field_${key}`);
      });

      it('when compared with the contract, then every variable the contract lists for it is a component key', () => {
        const row = contract.find((r) => r.formId === form.id)!;
        const keys = inputComponents(form).map((i) => i.key);
        expect(row.variables).to.not.be.empty;
        expect(keys).to.include.members(row.variables);
      });

      it('when read by a clerk, then every input has a Chinese label and the case context is shown first', () => {
        for (const { component } of inputComponents(form)) expect(component.label, component.id).to.match(CJK);
        expect(form.components[0]!.type).to.equal('text');
        expect(form.components[0]!.text).to.match(/\{\{caseNo\}\}/);
      });

      it('when its text templates are parsed, then every {{ }} is valid FEEL over variables the contract knows', () => {
        const known = contractVariables();
        for (const { key } of inputComponents(form)) known.add(key);
        for (const c of allComponents(form).filter((x) => x.type === 'text')) {
          expect(c.text, c.id).to.be.a('string');
          expect(c.text!.startsWith('='), 'a template, not a FEEL expression').to.equal(false);
          const expressions = [...c.text!.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
          expect(expressions, c.id).to.not.be.empty;
          for (const e of expressions) {
            expect(e.trim().startsWith('#') || e.trim().startsWith('/'), `block helpers lose line breaks: ${e}`).to.equal(false);
            for (const name of feelVariables(e)) expect(known.has(name), `${c.id}: unknown variable '${name}' in {{${e}}}`).to.equal(true);
          }
        }
      });

      it('when it has option lists from variables, then they are the catalogue variables the API fills', () => {
        for (const { component } of inputComponents(form)) {
          if (component.valuesKey) expect(component.valuesKey).to.be.oneOf(['eventTypeOptions', 'unitOptions']);
        }
      });

      it('when it has photo fields, then they are attachment-id text fields with the shared pattern', () => {
        for (const { component, key } of inputComponents(form).filter((i) => i.key.startsWith('photos'))) {
          expect(component.type, key).to.equal('textfield');
          expect(component.validate?.pattern, key).to.equal(ATTACHMENT_IDS_PATTERN);
          expect(component.validate?.required ?? false, key).to.equal(false);
        }
      });

      it('when it has conditions, then they only refer to keys of the same form', () => {
        const keys = new Set(inputComponents(form).map((i) => i.key));
        for (const c of allComponents(form)) {
          if (!c.conditional?.hide) continue;
          expect(c.conditional.hide.startsWith('='), c.id).to.equal(true);
          for (const name of feelVariables(c.conditional.hide.slice(1))) expect(keys.has(name), `${c.id}: ${name}`).to.equal(true);
        }
      });

      it('when its component types are listed, then all are form-js 1.x core types', () => {
        for (const c of allComponents(form)) expect(INPUT_TYPES.has(c.type) || c.type === 'text', c.id).to.equal(true);
      });
    });
  }

  it('given the BPMN files in processes/, when they link forms, then every formId has a .form file', () => {
    const bpmn = listFiles(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn'));
    const ids = new Set(files.map((f) => basename(f, '.form')));
    for (const file of bpmn) {
      for (const m of readFileSync(file, 'utf8').matchAll(/formId="([^"]+)"/g)) {
        expect(ids.has(m[1]!), `${file} links form '${m[1]}'`).to.equal(true);
      }
    }
  });
});

/** Variable names a FEEL expression reads (function names excluded). */
function feelVariables(expression: string): string[] {
  const names: string[] = [];
  const tree = parseExpression(expression, {}, undefined);
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`FEEL syntax error at ${ref.from + 1} in '${expression}'`);
      if (ref.name !== 'VariableName') return;
      const parent = ref.node.parent;
      if (parent?.name === 'FunctionInvocation' && parent.firstChild?.from === ref.from) return;
      names.push(expression.slice(ref.from, ref.to));
    },
  });
  return names;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}
