import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createModdle } from '../../port/bpmn-model.js';
import {
  ERRORS,
  ESCALATIONS,
  FORMS,
  JOB_TYPES,
  MESSAGES,
  REDISPATCH_PROCESSES,
  jobTypeContract,
  renderJobTypeTable,
  type FormContract,
} from '../../processes/contract.js';
import { readmeJobTypeTable } from '../../processes/readme-table.js';

/**
 * The process contract (processes/contract.ts) is the one source of what the diagrams, the workers and the forms
 * agree on: every diagram is read with bpmn-moddle and every job type, header, message, escalation, error and
 * form id in it must be declared there; every form's fields must be what the contract says it submits; and the
 * job-type table of processes/README.md must be the one rendered from the contract.
 */

const PROCESSES_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));
const FORMS_DIR = fileURLToPath(new URL('../../forms/', import.meta.url));
const files = readdirSync(PROCESSES_DIR)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const moddle = createModdle();

interface Node {
  $type: string;
  id?: string;
  [key: string]: unknown;
}

/** Every moddle element under the root, once each (references between elements make it a graph). */
function elements(root: unknown): Node[] {
  const seen = new Set<unknown>();
  const out: Node[] = [];
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as Node;
    if (typeof node.$type === 'string') out.push(node);
    for (const [key, child] of Object.entries(node)) if (!key.startsWith('$')) visit(child);
  };
  visit(root);
  return out;
}

const extensions = (el: Node): Node[] => (el['extensionElements'] as { values?: Node[] } | undefined)?.values ?? [];
const groupsOf = (text: string) =>
  text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
const noSpace = (s: unknown) => String(s).replace(/\s+/g, '');

/** What in one diagram departs from the contract, one readable line each; [] when it keeps to it. */
async function contractViolations(xml: string, label: string): Promise<{ problems: string[]; jobTypes: Set<string>; formIds: Set<string> }> {
  const { rootElement } = await moddle.fromXML(xml);
  const problems: string[] = [];
  const jobTypes = new Set<string>();
  const formIds = new Set<string>();
  const messageNames = new Set<string>(Object.values(MESSAGES).map((m) => m.name));
  const escalationCodes = new Set<string>(Object.values(ESCALATIONS));
  const errorCodes = new Set<string>(Object.values(ERRORS));
  const forms = new Map<string, FormContract>(FORMS.map((f) => [f.id, f]));
  for (const el of elements(rootElement)) {
    const where = `${label} ${el.id ?? el.$type}`;
    const ext = extensions(el);
    const taskDefinition = ext.find((e) => e.$type === 'zeebe:TaskDefinition');
    if (taskDefinition) {
      const type = String(taskDefinition['type']);
      jobTypes.add(type);
      const contract = jobTypeContract(type);
      if (!contract) problems.push(`${where}: job type ${type} is not in processes/contract.ts`);
      else {
        const headers = (ext.find((e) => e.$type === 'zeebe:TaskHeaders')?.['values'] as Node[] | undefined) ?? [];
        for (const h of headers) {
          const spec = contract.headers.find((c) => c.key === h['key']);
          if (!spec) problems.push(`${where}: header ${String(h['key'])} is not a header of ${type} in the contract`);
          else if (spec.choices && !spec.choices.some((c) => c.value === h['value']))
            problems.push(`${where}: header ${spec.key}=${String(h['value'])} is none of the contract's values for ${type}`);
        }
        for (const spec of contract.headers.filter((c) => !c.optional)) {
          if (!headers.some((h) => h['key'] === spec.key)) problems.push(`${where}: ${type} needs the header ${spec.key}`);
        }
      }
    }
    // execution listeners are jobs too (case-task-deadline times the centre's tasks this way): declared, header-free
    const listeners = (ext.find((e) => e.$type === 'zeebe:ExecutionListeners')?.['listeners'] as Node[] | undefined) ?? [];
    for (const listener of listeners) {
      const type = String(listener['type']);
      jobTypes.add(type);
      const contract = jobTypeContract(type);
      if (!contract) problems.push(`${where}: execution listener job type ${type} is not in processes/contract.ts`);
      else if (contract.headers.some((c) => !c.optional)) problems.push(`${where}: ${type} needs headers, which an execution listener does not carry`);
    }
    const form = ext.find((e) => e.$type === 'zeebe:FormDefinition');
    if (form) {
      const formId = String(form['formId']);
      formIds.add(formId);
      const contract = forms.get(formId);
      if (!contract) problems.push(`${where}: form id ${formId} is not in processes/contract.ts`);
      const assignment = ext.find((e) => e.$type === 'zeebe:AssignmentDefinition');
      for (const group of groupsOf(String(assignment?.['candidateGroups'] ?? ''))) {
        if (contract && !contract.candidateGroups.map(noSpace).includes(noSpace(group)))
          problems.push(`${where}: candidate group ${group} is not the contract's for ${formId}`);
      }
    }
    if (el.$type === 'bpmn:Message') {
      const name = String(el['name']);
      if (!messageNames.has(name)) problems.push(`${where}: message ${name} is not in processes/contract.ts`);
      const subscription = extensions(el).find((e) => e.$type === 'zeebe:Subscription');
      const declared = Object.values(MESSAGES).find((m) => m.name === name);
      if (declared && subscription && noSpace(subscription['correlationKey']) !== noSpace(declared.correlationKey)) {
        problems.push(`${where}: message ${name} correlates by ${String(subscription['correlationKey'])}, the contract says ${declared.correlationKey}`);
      }
    }
    if (el.$type === 'bpmn:Escalation' && !escalationCodes.has(String(el['escalationCode'])))
      problems.push(`${where}: escalation code ${String(el['escalationCode'])} is not in processes/contract.ts`);
    if (el.$type === 'bpmn:Error' && !errorCodes.has(String(el['errorCode'])))
      problems.push(`${where}: error code ${String(el['errorCode'])} is not in processes/contract.ts`);
  }
  return { problems, jobTypes, formIds };
}

/** The keys of a form-js form's fields, in order. */
function formKeys(formId: string): string[] {
  const keys: string[] = [];
  const walk = (components: Array<{ key?: string; components?: unknown[] }> | undefined) => {
    for (const c of components ?? []) {
      if (c.key) keys.push(c.key);
      walk(c.components as never);
    }
  };
  walk((JSON.parse(readFileSync(`${FORMS_DIR}${formId}.form`, 'utf8')) as { components?: never }).components);
  return keys;
}

describe('process contract (processes/contract.ts)', () => {
  const used = { jobTypes: new Set<string>(), formIds: new Set<string>() };

  for (const file of files) {
    it(`given ${file}, when read, then every job type, header, message, escalation, error and form id in it is in the contract`, async () => {
      const { problems, jobTypes, formIds } = await contractViolations(readFileSync(PROCESSES_DIR + file, 'utf8'), file);
      expect(problems).to.deep.equal([]);
      jobTypes.forEach((t) => used.jobTypes.add(t));
      formIds.forEach((f) => used.formIds.add(f));
    });
  }

  it('given every diagram read, when the contract is compared, then every job type and form it declares is used by a diagram', () => {
    expect(used.jobTypes.size, 'the diagrams were read first').to.be.greaterThan(0);
    expect(JOB_TYPES.map((j) => j.type).filter((t) => !used.jobTypes.has(t))).to.deep.equal([]);
    expect(FORMS.map((f) => f.id).filter((f) => !used.formIds.has(f))).to.deep.equal([]);
  });

  it('given a diagram that uses an undeclared job type, header value, form id and message, when checked, then each is reported', async () => {
    const xml = readFileSync(`${PROCESSES_DIR}case-handling.bpmn`, 'utf8')
      .replace('type="case-remind"', 'type="case-remind-later"')
      .replace('<zeebe:header key="action" value="returned" />', '<zeebe:header key="action" value="lost" />')
      .replace('formId="case-handle"', 'formId="case-handle-v2"');
    const followup = readFileSync(`${PROCESSES_DIR}case-followup.bpmn`, 'utf8').replace('name="case-rating"', 'name="case-score"');
    const { problems } = await contractViolations(xml, 'mutated');
    expect(problems.join('\n'))
      .to.contain('job type case-remind-later is not in')
      .and.to.contain('action=lost is none of')
      .and.to.contain('form id case-handle-v2 is not in');
    expect((await contractViolations(followup, 'mutated')).problems.join('\n')).to.contain('message case-score is not in');
  });

  it('given the forms in forms/, when their fields are read, then each form submits exactly what the contract says', () => {
    for (const form of FORMS) expect([...formKeys(form.id)].sort(), form.id).to.deep.equal([...form.submits].sort());
  });

  it('given processes/README.md, when its job-type table is read, then it is the table rendered from the contract', () => {
    const readme = readFileSync(`${PROCESSES_DIR}README.md`, 'utf8');
    const table = readmeJobTypeTable(readme);
    expect(table, 'the job-types markers in processes/README.md').to.not.equal(null);
    const expected = renderJobTypeTable().split('\n');
    const actual = table!.split('\n');
    // row by row, so a failure names the row that differs (npm run contract:readme rewrites the table)
    for (const [i, row] of expected.entries()) expect(actual[i], `README row ${i}`).to.equal(row);
    expect(actual).to.have.length(expected.length);
  });

  it('given the diagrams, when their 改派 boundaries are read, then exactly the REDISPATCH_PROCESSES catch case-redispatch, interrupting, on the handling call', async () => {
    const catching: string[] = [];
    for (const file of files) {
      const { rootElement } = await moddle.fromXML(readFileSync(PROCESSES_DIR + file, 'utf8'));
      const all = elements(rootElement);
      const boundary = all.filter(
        (el) =>
          el.$type === 'bpmn:BoundaryEvent' &&
          ((el['eventDefinitions'] as Node[] | undefined) ?? []).some(
            (d) => d.$type === 'bpmn:MessageEventDefinition' && (d['messageRef'] as Node | undefined)?.['name'] === MESSAGES.caseRedispatch.name,
          ),
      );
      if (!boundary.length) continue;
      const process = all.find((el) => el.$type === 'bpmn:Process')!;
      catching.push(String(process.id));
      expect(
        boundary.map((b) => [(b['attachedToRef'] as Node).id, (b['attachedToRef'] as Node).$type, b['cancelActivity'] !== false]),
        file,
      ).to.deep.equal([['handling', 'bpmn:CallActivity', true]]);
    }
    expect(catching.sort()).to.deep.equal([...REDISPATCH_PROCESSES].sort());
  });

  it('given the README mentions every message, escalation and error code, when read, then none of the contract is missing from it', () => {
    const readme = readFileSync(`${PROCESSES_DIR}README.md`, 'utf8');
    for (const name of [...Object.values(MESSAGES).map((m) => m.name), ...Object.values(ESCALATIONS), ...Object.values(ERRORS), ...FORMS.map((f) => f.id)]) {
      expect(readme, name).to.contain(`\`${name}\``);
    }
  });
});
