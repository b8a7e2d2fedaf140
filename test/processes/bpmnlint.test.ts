import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configuredRules, lintBpmnDetailed, RULES_OFF, type LintProblem } from '../../domain/lint/index.js';
import { probeProcess } from '../support/probe-process.js';

/**
 * Lints every processes/*.bpmn with domain/lint — the lint the administration API runs before a deploy and the
 * modeler shows — the way Camunda Modeler lints a Camunda 8.8 diagram, plus bpmnlint's recommended rules where
 * they fit Zeebe, plus the embedded engine's supported set:
 *
 * - `plugin:camunda-compat/camunda-cloud-8-8` (bpmnlint-plugin-camunda-compat 2.61.0): what Zeebe 8.8 executes
 *   (element types, zeebe:* extensions, FEEL syntax, timers, user tasks, listeners …);
 * - `bpmnlint:recommended` (bpmnlint 11.15.0) without `no-inclusive-gateway`: Zeebe runs inclusive gateways
 *   (fork 8.1, join 8.6), and so does the embedded engine;
 * - the engine's parser (what deploy runs), each problem it lists an error of source `engine`.
 *
 * For the shipped diagrams any problem fails, a warning too (they open in the modeler with nothing to fix); a rule
 * that crashes or a moddle warning (an unknown zeebe:* element or attribute) is an error.
 */

interface Problem extends LintProblem {
  file: string;
}

async function lint(xml: string, file: string): Promise<{ problems: Problem[]; root: { $attrs?: Record<string, string> } }> {
  const { problems, definitions } = await lintBpmnDetailed(xml);
  return { problems: problems.map((p) => ({ ...p, file })), root: definitions ?? {} };
}

const failing = (p: Problem) => p.severity === 'error';
const line = (p: Problem) => `${p.file}  ${p.elementId ?? '-'}  ${p.rule} (${p.source} ${p.severity}): ${p.message}`;

const PROCESSES_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));
const files = readdirSync(PROCESSES_DIR)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();

describe('processes / bpmnlint (camunda-compat 8.8 + recommended)', function () {
  this.timeout(20_000); // the first lint loads the FEEL analyser

  it('given the processes folder, when it is listed, then there are diagrams to lint', () => {
    expect(files).to.include.members(['case-generic.bpmn', 'case-handling.bpmn']);
  });

  for (const file of files) {
    // a shipped process opens in the modeler with an empty problem list: no error, and no style warning either
    // (fake-join, superfluous-label … are fixed in the diagram, not switched off)
    it(`given ${file}, when linted, then no rule reports an error or a warning`, async () => {
      const { problems, root } = await lint(readFileSync(PROCESSES_DIR + file, 'utf8'), file);
      const version = root.$attrs?.['modeler:executionPlatformVersion'] ?? '';
      expect(version, `${file}: modeler:executionPlatformVersion (the lint rules are those of 8.8)`).to.match(/^8\.8(\.\d+)?$/);
      expect(problems.map(line), `lint problems:\n  ${problems.map(line).join('\n  ')}\n`).to.deep.equal([]);
    });
  }
});

// ── the linter itself: both rule sets are really applied (a resolver that finds nothing would pass every file) ──

/** start → `task` → end with names and a diagram, so only what `task` brings in can be reported. */
const diagram = (task: string, taskType = 'bpmn:serviceTask'): string =>
  probeProcess({ processId: 'p', processName: 'probe', names: { start: 'start', task: 'task', end: 'end' }, taskType, taskXml: task });

const JOB = '<bpmn:extensionElements><zeebe:taskDefinition type="case-classify" /></bpmn:extensionElements>';

describe('processes / bpmnlint: the linter applies both rule sets', function () {
  this.timeout(20_000);

  const cases: Array<[string, string, string | null, 'error' | 'warning' | null]> = [
    ['a service task with a job type', diagram(JOB), null, null],
    ['a service task without zeebe:taskDefinition', diagram(''), 'camunda-compat/implementation', 'error'],
    [
      'a FEEL input mapping that does not parse',
      diagram(
        '<bpmn:extensionElements><zeebe:taskDefinition type="case-classify" />' +
          '<zeebe:ioMapping><zeebe:input source="= caseId +" target="x" /></zeebe:ioMapping></bpmn:extensionElements>',
      ),
      'camunda-compat/feel',
      'error',
    ],
    [
      'a user task without a name (style)',
      diagram('').replace('name="task"', '').replace('<bpmn:serviceTask', '<bpmn:userTask').replace('</bpmn:serviceTask>', '</bpmn:userTask>'),
      'label-required',
      'warning',
    ],
    ['a complex gateway (recommended set: style advice)', diagram('', 'bpmn:complexGateway'), 'no-complex-gateway', 'warning'],
    ['a complex gateway, for the embedded engine', diagram('', 'bpmn:complexGateway'), 'engine/supported', 'error'],
  ];
  for (const [what, xml, rule, severity] of cases) {
    it(`given ${what}, when linted, then ${rule ? `${rule} reports a${severity === 'error' ? 'n error' : ' warning'} on it` : 'nothing is reported'}`, async () => {
      const { problems } = await lint(xml, 'probe.bpmn');
      if (rule === null) expect(problems.map(line)).to.deep.equal([]);
      else expect(problems.filter((p) => p.rule === rule && p.severity === severity).map((p) => p.elementId)).to.include('task');
    });
  }

  it('given a diagram whose only problem is an unnamed start event, when linted, then it has no error (nothing blocks its deploy)', async () => {
    const xml = diagram(JOB).replace(/<bpmn:startEvent id="([^"]+)" name="[^"]*"/, '<bpmn:startEvent id="$1"');
    expect(xml).to.not.match(/<bpmn:startEvent[^>]*name=/);
    const { problems } = await lint(xml, 'probe.bpmn');
    expect(problems.map((p) => [p.rule, p.severity])).to.deep.include(['label-required', 'warning']);
    expect(problems.filter(failing).map(line)).to.deep.equal([]);
  });
});

describe('processes / bpmnlint: sources, severities and the rules switched off', function () {
  this.timeout(20_000);

  it('given the lint configuration, when its rules are resolved, then only the rules listed as off (with a reason) are off', async () => {
    const rules = await configuredRules();
    const off = Object.entries(rules)
      .filter(([, v]) => v === 'off' || (Array.isArray(v) && v[0] === 'off'))
      .map(([k]) => k)
      .sort();
    expect(off).to.deep.equal(RULES_OFF.map((r) => r.rule).sort());
    for (const r of RULES_OFF) expect(r.reason, r.rule).to.have.length.greaterThan(10);
    expect(Object.keys(rules).filter((k) => k.startsWith('camunda-compat/')).length, 'camunda-compat rules').to.be.greaterThan(20);
    expect(rules['label-required'], 'bpmnlint itself configures it as an error; lintBpmn reports it as a warning').to.equal('error');
    expect(rules['superfluous-gateway'], 'a recommended warning stays a warning').to.equal('warn');
  });

  it('given a diagram with a problem from each rule set, when linted, then every problem names its source, rule and element', async () => {
    const xml = diagram('').replace('<bpmn:serviceTask id="task" name="task">', '<bpmn:serviceTask id="task">');
    const { problems } = await lint(
      xml.replace(/<bpmn:serviceTask/g, '<bpmn:complexGateway').replace(/<\/bpmn:serviceTask>/g, '</bpmn:complexGateway>'),
      'probe.bpmn',
    );
    const sources = new Set(problems.map((p) => p.source));
    expect([...sources].sort()).to.deep.equal(['camunda-compat', 'engine', 'recommended']);
    const engine = problems.filter((p) => p.source === 'engine');
    expect(engine.map((p) => [p.elementId, p.severity, p.rule])).to.deep.include(['task', 'error', 'engine/supported']);
  });

  it('given a diagram with a superfluous gateway, when linted, then the recommended warning is a warning, not an error', async () => {
    const xml = diagram('', 'bpmn:exclusiveGateway');
    const { problems } = await lint(xml, 'probe.bpmn');
    expect(problems.filter((p) => p.rule === 'superfluous-gateway').map((p) => [p.elementId, p.severity, p.source])).to.deep.equal([
      ['task', 'warning', 'recommended'],
    ]);
  });
});

describe('processes / bpmnlint: what the embedded engine now runs as Camunda 8.8 does (#15)', function () {
  this.timeout(20_000);
  const call = (attrs: string) =>
    diagram('<bpmn:extensionElements><zeebe:calledElement processId="nowhere-process" ' + attrs + ' /></bpmn:extensionElements>', 'bpmn:callActivity');
  const engineProblems = async (xml: string) =>
    (await lintBpmnDetailed(xml, { deployedProcessIds: new Set(['case-handling']) })).problems
      .filter((p) => p.source === 'engine')
      .map((p) => [p.elementId, p.rule, p.severity]);

  it('given a call activity to a process not deployed, when linted, then it is a warning (an incident when it runs), not an error', async () => {
    expect(await engineProblems(call(''))).to.deep.equal([['task', 'engine/called-process', 'warning']]);
  });

  it('given bindingType="deployment" and the called process not in the same XML, when linted, then it is an error (refused at deploy)', async () => {
    expect(await engineProblems(call('bindingType="deployment"'))).to.deep.equal([['task', 'engine/called-process', 'error']]);
  });

  it('given a user task without zeebe:userTask (a job-worker user task), when linted, then the engine reports nothing', async () => {
    expect(await engineProblems(diagram('', 'bpmn:userTask'))).to.deep.equal([]);
  });
});
