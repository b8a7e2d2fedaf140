import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createModdle, extensionOf, flowElements, processesOf, type ModdleElement } from '../../port/camunda/bpmn-xml.js';
import { addListeners, ListenerRewriteError } from '../../port/camunda/deploy-listeners.js';
import { portErrorCode } from '../../port/camunda/errors.js';
import { parseBpmn } from '../../engine/index.js';

const fixture = (name: string) => readFileSync(new URL(`./bpmn/${name}`, import.meta.url), 'utf8');

/** elementId → "start,end" (execution listeners of type ywtg-history) and task listener events. */
async function listenersIn(xml: string) {
  const { rootElement } = await createModdle().fromXML(xml);
  const out = new Map<string, { el: string; tl: string }>();
  for (const p of processesOf(rootElement)) {
    for (const el of [p, ...flowElements(p)] as ModdleElement[]) {
      const el_ = ((extensionOf(el, 'zeebe:ExecutionListeners')?.['listeners'] ?? []) as ModdleElement[])
        .filter((l) => l['type'] === 'ywtg-history')
        .map((l) => l['eventType'])
        .join(',');
      const tl = ((extensionOf(el, 'zeebe:TaskListeners')?.['listeners'] ?? []) as ModdleElement[])
        .filter((l) => l['type'] === 'ywtg-user-task')
        .map((l) => l['eventType'])
        .join(',');
      out.set(String(el.id), { el: el_, tl });
    }
  }
  return out;
}

describe('the deploy step adds listeners on the way to Camunda', () => {
  it('given a process, when rewritten, then the process and every flow node get the execution listeners Zeebe allows on them', async () => {
    const { xml, added } = await addListeners(fixture('port-error-boundary.bpmn'));
    const l = await listenersIn(xml);
    expect(added).to.equal(10);
    expect(l.get('port-error-boundary')!.el).to.equal('start,end');
    expect(l.get('Start')!.el, 'no start listener on a start event').to.equal('end');
    expect(l.get('Handle')!.el).to.equal('start,end');
    expect(l.get('NotMine')!.el, 'no start listener on a boundary event').to.equal('end');
    expect(l.get('Handled')!.el).to.equal('start,end');
    expect(l.get('Flow_1'), 'sequence flows are not flow nodes').to.deep.equal({ el: '', tl: '' });
  });

  it('given gateways, error end events and sub-processes, when rewritten, then gateways get only start, error ends only start, and nested nodes are reached', async () => {
    const { xml } = await addListeners(fixture('port-shapes.bpmn'));
    const { rootElement } = await createModdle().fromXML(xml);
    const l = await listenersIn(xml);
    let gateways = 0;
    for (const el of flowElements(processesOf(rootElement)[0]!)) {
      const got = l.get(String(el.id))!;
      if (/Gateway$/.test(el.$type)) {
        gateways++;
        expect(got.el, `${el.id}`).to.equal('start');
      }
      const isErrorEnd =
        el.$type === 'bpmn:EndEvent' && ((el['eventDefinitions'] ?? []) as ModdleElement[]).some((d) => d.$type === 'bpmn:ErrorEventDefinition');
      if (isErrorEnd) expect(got.el, `${el.id}`).to.equal('start');
    }
    expect(gateways).to.equal(3);
    expect(l.get('CheckFailed')!.el).to.equal('start');
    expect(l.get('CheckStart')!.el, 'a start event inside the sub-process').to.equal('end');
    expect(l.get('Check')!.el).to.equal('start,end');
    expect(l.get('Notify')!.el).to.equal('start,end');
    // the rewritten file is still one the embedded engine's strict parser reads, listeners included (it runs them, as Camunda 8.8)
    const parsed = await parseBpmn('port-shapes.bpmn', xml);
    expect(parsed.problems).to.deep.equal([]);
  });

  it('given a Camunda user task, when rewritten, then it gets task listeners for every lifecycle event; the file text is not changed', async () => {
    const original = fixture('port-review.bpmn');
    const copy = original.slice();
    const { xml } = await addListeners(original);
    expect(original).to.equal(copy);
    const l = await listenersIn(xml);
    expect(l.get('Review')).to.deep.equal({ el: 'start,end', tl: 'creating,assigning,updating,completing,canceling' });
    expect(l.get('Archive')!.tl).to.equal('');
    expect(xml).to.contain('<zeebe:formDefinition formId="port-review-form" />');
    expect(xml).to.contain('<bpmndi:BPMNShape id="Review_di" bpmnElement="Review">');
  });

  it('given the same file twice or an already rewritten one, when rewritten, then the output is identical (no new version on redeploy)', async () => {
    const a = await addListeners(fixture('port-review.bpmn'));
    const b = await addListeners(fixture('port-review.bpmn'));
    expect(a.xml).to.equal(b.xml);
    const again = await addListeners(a.xml);
    expect(again.added).to.equal(0);
    expect(again.xml).to.equal(a.xml);
  });

  it('given modelled listeners, when rewritten, then they are kept; ours runs first on start and last on end', async () => {
    const withOwn = fixture('port-flaky.bpmn').replace(
      '<zeebe:taskDefinition type="port-flaky" retries="3" />',
      '<zeebe:taskDefinition type="port-flaky" retries="3" />\n        <zeebe:executionListeners>\n          <zeebe:executionListener eventType="start" type="prepare" />\n          <zeebe:executionListener eventType="end" type="cleanup" />\n        </zeebe:executionListeners>',
    );
    const { xml } = await addListeners(withOwn);
    const { rootElement } = await createModdle().fromXML(xml);
    const work = [...flowElements(processesOf(rootElement)[0]!)].find((e) => e.id === 'Work')!;
    const order = (extensionOf(work, 'zeebe:ExecutionListeners')!['listeners'] as ModdleElement[]).map((l) => `${l['eventType']}:${l['type']}`);
    expect(order).to.deep.equal(['start:ywtg-history', 'start:prepare', 'end:cleanup', 'end:ywtg-history']);
  });

  it('given a file bpmn-moddle reads only with warnings, when rewritten, then it is refused rather than silently repaired', async () => {
    const broken = fixture('port-flaky.bpmn').replace('targetRef="End"', 'targetRef="Nowhere"');
    let caught: unknown;
    try {
      await addListeners(broken);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ListenerRewriteError);
    expect((caught as ListenerRewriteError).problems.join()).to.contain('Nowhere');
  });
});

describe('client errors become port error codes', () => {
  const http = (status: number, title?: string, detail?: string) => ({ name: 'HttpSdkError', status, title, detail });
  const cases: Array<[string, unknown, string, string]> = [
    ['a rejected deployment', http(400, 'INVALID_ARGUMENT'), 'deploy', 'DEPLOY_REJECTED'],
    ['a bad request', http(400, 'INVALID_ARGUMENT'), 'publish message', 'INVALID_ARGUMENT'],
    ['an unknown key', http(404, 'NOT_FOUND'), 'complete user task', 'NOT_FOUND'],
    ['a command in the wrong state', http(409, 'INVALID_STATE'), 'complete user task', 'INVALID_STATE'],
    ['a duplicate message id', http(409, 'ALREADY_EXISTS'), 'publish message', 'ALREADY_EXISTS'],
    ['back-pressure after the retries', http(429), 'create instance', 'UNAVAILABLE'],
    ['a gateway timeout', http(504, 'DEADLINE_EXCEEDED'), 'assign user task', 'UNAVAILABLE'],
    ['wrong credentials', http(401), 'create instance', 'UNAVAILABLE'],
    ['no network', { name: 'NetworkSdkError', message: 'fetch failed' }, 'create instance', 'UNAVAILABLE'],
    ['a read that never became visible', { name: 'EventualConsistencyTimeoutError' }, 'read incident', 'NOT_FOUND'],
  ];
  for (const [what, err, op, code] of cases) {
    it(`given ${what}, when mapped, then the code is ${code}`, () => {
      expect(portErrorCode(err, op)).to.equal(code);
    });
  }
});
