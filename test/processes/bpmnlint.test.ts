import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/**
 * Lints every processes/*.bpmn the way Camunda Modeler lints a Camunda 8.8 diagram, plus bpmnlint's
 * recommended rules where they fit Zeebe:
 *
 * - `plugin:camunda-compat/camunda-cloud-8-8` (bpmnlint-plugin-camunda-compat 2.61.0): what Zeebe 8.8 executes
 *   (element types, zeebe:* extensions, FEEL syntax, timers, user tasks, listeners …);
 * - `bpmnlint:recommended` (bpmnlint 11.15.0) without `no-inclusive-gateway`: Zeebe runs inclusive gateways
 *   (fork 8.1, join 8.6), and so does the embedded engine.
 *
 * bpmnlint is pinned to 11.15.0, the newest 11.x: bpmnlint 12 needs `@bpmn-io/lint-core`, which the package
 * registry used here does not carry. Any `error` fails (and so does a rule that crashes, or a moddle warning:
 * an unknown zeebe:* element or attribute); `warn` findings are printed and do not fail.
 */

const require = createRequire(import.meta.url);

interface LintReport { id?: string; message: string; category: 'error' | 'warn' | 'info' | 'rule-error' }
interface LinterInstance { lint(root: unknown, config: LintConfig): Promise<Record<string, LintReport[]>> }
interface LintConfig { extends?: string | string[]; rules?: Record<string, string | number> }

const { Linter } = require('bpmnlint') as { Linter: new (options: { resolver: unknown }) => LinterInstance };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (options: { require: NodeJS.Require }) => unknown;

/** The compat config of the Camunda version the processes target (modeler:executionPlatformVersion 8.8.x). */
const CAMUNDA_COMPAT = 'plugin:camunda-compat/camunda-cloud-8-8';

const config: LintConfig = {
  extends: ['bpmnlint:recommended', CAMUNDA_COMPAT],
  rules: {
    'no-inclusive-gateway': 'off',
  },
};

// resolve rules from this test's location, not from the working directory mocha runs in
// a fresh linter per file: some rules (no-duplicate-sequence-flows) keep state in the rule instance, which the
// linter caches, so one linter shared across files reports flows of one file as duplicates of another's
const newLinter = () => new Linter({ resolver: new NodeResolver({ require }) });
const moddle = BpmnModdle({ zeebe: zeebeSchema });

interface Problem { file: string; id: string; rule: string; category: LintReport['category'] | 'moddle'; message: string }

async function lint(xml: string, file: string): Promise<{ problems: Problem[]; root: { $attrs?: Record<string, string> } }> {
  const { rootElement, warnings } = await moddle.fromXML(xml);
  const problems: Problem[] = warnings.map((w) => ({ file, id: '-', rule: 'moddle-import', category: 'moddle', message: w.message }));
  const results = await newLinter().lint(rootElement, config);
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) problems.push({ file, id: r.id ?? '-', rule, category: r.category, message: r.message });
  }
  return { problems, root: rootElement as { $attrs?: Record<string, string> } };
}

const failing = (p: Problem) => p.category === 'error' || p.category === 'rule-error' || p.category === 'moddle';
const line = (p: Problem) => `${p.file}  ${p.id}  ${p.rule} (${p.category}): ${p.message}`;

const PROCESSES_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));
const files = readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn')).sort();

describe('processes / bpmnlint (camunda-compat 8.8 + recommended)', function () {
  this.timeout(20_000); // the first lint loads the FEEL analyser

  it('given the processes folder, when it is listed, then there are diagrams to lint', () => {
    expect(files).to.include.members(['case-generic.bpmn', 'case-handling.bpmn']);
  });

  for (const file of files) {
    it(`given ${file}, when linted, then no rule reports an error`, async () => {
      const { problems, root } = await lint(readFileSync(PROCESSES_DIR + file, 'utf8'), file);
      const version = root.$attrs?.['modeler:executionPlatformVersion'] ?? '';
      expect(version, `${file}: modeler:executionPlatformVersion (the lint rules are those of 8.8)`).to.match(/^8\.8(\.\d+)?$/);
      const warnings = problems.filter((p) => !failing(p));
      if (warnings.length) console.log(warnings.map((p) => `      warn  ${line(p)}`).join('\n'));
      const errors = problems.filter(failing);
      expect(errors.map(line), `lint errors:\n  ${errors.map(line).join('\n  ')}\n`).to.deep.equal([]);
    });
  }
});

// ── the linter itself: both rule sets are really applied (a resolver that finds nothing would pass every file) ──

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
  + 'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
  + 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0"';

/** start → `task` → end with names and a diagram, so only what `task` brings in can be reported. */
function diagram(task: string, taskType = 'bpmn:serviceTask'): string {
  const shape = (id: string, x: number, w: number, h: number) =>
    `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="100" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
  const edge = (id: string, x1: number, x2: number) =>
    `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${x1}" y="118" /><di:waypoint x="${x2}" y="118" /></bpmndi:BPMNEdge>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="p" name="probe" isExecutable="true">
    <bpmn:startEvent id="start" name="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <${taskType} id="task" name="task">${task}<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></${taskType}>
    <bpmn:endEvent id="end" name="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
    ${shape('start', 100, 36, 36)}${shape('task', 200, 100, 80)}${shape('end', 400, 36, 36)}${edge('f1', 136, 200)}${edge('f2', 300, 400)}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

const JOB = '<bpmn:extensionElements><zeebe:taskDefinition type="case-classify" /></bpmn:extensionElements>';

describe('processes / bpmnlint: the linter applies both rule sets', function () {
  this.timeout(20_000);

  const cases: Array<[string, string, string | null]> = [
    ['a service task with a job type', diagram(JOB), null],
    ['a service task without zeebe:taskDefinition', diagram(''), 'camunda-compat/implementation'],
    ['a FEEL input mapping that does not parse', diagram(
      '<bpmn:extensionElements><zeebe:taskDefinition type="case-classify" />'
      + '<zeebe:ioMapping><zeebe:input source="= caseId +" target="x" /></zeebe:ioMapping></bpmn:extensionElements>'), 'camunda-compat/feel'],
    ['a user task without a name', diagram('').replace('name="task"', '').replace('<bpmn:serviceTask', '<bpmn:userTask').replace('</bpmn:serviceTask>', '</bpmn:userTask>'), 'label-required'],
    ['a complex gateway (not executable on Zeebe)', diagram('', 'bpmn:complexGateway'), 'no-complex-gateway'],
  ];
  for (const [what, xml, rule] of cases) {
    it(`given ${what}, when linted, then ${rule ? `${rule} reports an error on it` : 'nothing is reported'}`, async () => {
      const { problems } = await lint(xml, 'probe.bpmn');
      if (rule === null) expect(problems.map(line)).to.deep.equal([]);
      else expect(problems.filter((p) => p.rule === rule && p.category === 'error').map((p) => p.id)).to.include('task');
    });
  }
});
