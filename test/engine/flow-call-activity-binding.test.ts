import { expect } from 'chai';
import type { ProcessInstance } from '../../engine/index.js';
import { completedPath, oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { process, straight } from './support/bpmn-xml.js';

/**
 * Call activities as Camunda 8.8 binds them (docs, *Call activities*, "Defining the called process"): the called process is
 * looked up when the activity runs (a missing one is a CALLED_ELEMENT_ERROR incident), `bindingType` latest (default),
 * deployment (checked at deploy) or versionTag; a process may call itself, up to Zeebe's maximum depth.
 */
const call = (processId: string, attrs = '') =>
  `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="${processId}" ${attrs} /></bpmn:extensionElements></bpmn:callActivity>`;
const job = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
/** the callee, version `n`: a job of type `child-v<n>`, tagged `tag` when given */
const child = (n: number, tag?: string) => ({
  name: 'cb-child.bpmn',
  xml: straight('cb-child', [job('work', `child-v${n}`)], tag ? { extensions: `<zeebe:versionTag value="${tag}" />` } : {}),
});
const parent = (attrs = '', processId = 'cb-child') => ({
  name: 'cb-parent.bpmn',
  xml: straight('cb-parent', [call(processId, attrs), job('after', 'after-call')]),
});

async function children(t: TestEngine, parentKey: string): Promise<ProcessInstance[]> {
  return (await t.engine.listInstances({ bpmnProcessId: 'cb-child' })).filter((i) => i.parentProcessInstanceKey === parentKey);
}

describe('engine / call activities: binding and resolution at run time', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it("given a parent whose called process is not deployed, when deployed, then it is accepted; the call raises CALLED_ELEMENT_ERROR in Zeebe's words; once the child is deployed and the incident resolved, the child runs", async () => {
    const [deployed] = await t.engine.deploy([parent()]);
    expect(deployed!.bpmnProcessId).to.equal('cb-parent');
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey });
    expect([incident!.elementId, incident!.errorType, incident!.errorMessage]).to.deep.equal([
      'call',
      'CALLED_ELEMENT_ERROR',
      "Expected process with BPMN process id 'cb-child' to be deployed, but not found.",
    ]);

    await t.engine.deploy([child(1)]);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect(await children(t, processInstanceKey)).to.have.length(1);
    await t.engine.completeJob((await oneJob(t.engine, 'child-v1')).key);
    expect((await oneJob(t.engine, 'after-call')).processInstanceKey).to.equal(processInstanceKey);
  });

  it('given bindingType="deployment" and the child not in the same deployment, when deployed, then it is refused naming the call activity (Zeebe checks this at deploy)', async () => {
    await t.engine.deploy([child(1)]);
    const error = await refusal(t.engine.deploy([parent('bindingType="deployment"')]));
    expect(error.details).to.deep.equal([
      {
        resource: 'cb-parent.bpmn',
        elementId: 'call',
        message: 'Expected to find process with id \'cb-child\' in this deployment (bindingType "deployment"), but not found',
        key: 'process_not_in_deployment',
        params: { id: 'cb-child' },
      },
    ]);
  });

  it('given bindingType="deployment", when a newer child is deployed alone, then the parent still calls the child deployed with it, also after a restart', async () => {
    await t.engine.deploy([parent('bindingType="deployment"'), child(1)]);
    await t.engine.deploy([child(2)]);
    const first = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    expect((await children(t, first.processInstanceKey)).map((c) => c.version)).to.deep.equal([1]);
    await t.restart();
    const second = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    expect((await children(t, second.processInstanceKey)).map((c) => c.version)).to.deep.equal([1]);
    expect((await t.engine.activateJobs({ type: 'child-v1', maxJobsToActivate: 10, timeoutMs: 60_000, worker: 'w' })).length).to.equal(2);
  });

  it('given bindingType="deployment" with the child unchanged in the parent\'s deployment, then the existing child version is the one bound', async () => {
    await t.engine.deploy([child(1)]);
    await t.engine.deploy([child(2)]);
    await t.engine.deploy([parent('bindingType="deployment"'), child(2)]); // child 2 identical: no new version
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    expect((await children(t, processInstanceKey)).map((c) => c.version)).to.deep.equal([2]);
  });

  it('given bindingType="versionTag", when several child versions exist, then the latest version carrying the tag is called; a tag nobody carries is a CALLED_ELEMENT_ERROR incident', async () => {
    await t.engine.deploy([child(1, 'v1.0')]);
    await t.engine.deploy([child(2, 'v2.0')]);
    await t.engine.deploy([child(3)]);
    await t.engine.deploy([parent('bindingType="versionTag" versionTag="v1.0"')]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    expect((await children(t, processInstanceKey)).map((c) => c.version)).to.deep.equal([1]);

    await t.engine.deploy([parent('bindingType="versionTag" versionTag="v9"')]);
    const other = await t.engine.createInstance({ bpmnProcessId: 'cb-parent' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: other.processInstanceKey });
    expect(incident!.errorMessage).to.equal(
      "Expected to call process with BPMN process id 'cb-child' and version tag 'v9', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.",
    );
  });

  it('given bindingType="versionTag" without a versionTag, when deployed, then it is refused', async () => {
    const error = await refusal(t.engine.deploy([parent('bindingType="versionTag"')]));
    expect((error.details as Array<{ elementId: string }>).map((p) => p.elementId)).to.deep.equal(['call']);
  });

  it('given a process that calls itself until a counter reaches 3, when started, then it recurses three levels and every instance completes', async () => {
    const xml = process(
      'cb-countdown',
      `
      <bpmn:startEvent id="start"><bpmn:outgoing>f_start</bpmn:outgoing></bpmn:startEvent>
      <bpmn:exclusiveGateway id="more" default="f_done"><bpmn:incoming>f_start</bpmn:incoming><bpmn:outgoing>f_again</bpmn:outgoing><bpmn:outgoing>f_done</bpmn:outgoing></bpmn:exclusiveGateway>
      <bpmn:callActivity id="again"><bpmn:extensionElements><zeebe:calledElement processId="cb-countdown" propagateAllChildVariables="false" />
          <zeebe:ioMapping><zeebe:input source="= n + 1" target="n" /></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:incoming>f_again</bpmn:incoming><bpmn:outgoing>f_back</bpmn:outgoing></bpmn:callActivity>
      <bpmn:endEvent id="end"><bpmn:incoming>f_done</bpmn:incoming><bpmn:incoming>f_back</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="more" />
      <bpmn:sequenceFlow id="f_again" sourceRef="more" targetRef="again"><bpmn:conditionExpression>= n &lt; 3</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f_done" sourceRef="more" targetRef="end" />
      <bpmn:sequenceFlow id="f_back" sourceRef="again" targetRef="end" />`,
    );
    await t.engine.deploy([{ name: 'cb-countdown.bpmn', xml }]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cb-countdown', variables: { n: 0 } });
    const all = await t.engine.listInstances({ bpmnProcessId: 'cb-countdown' });
    expect(all).to.have.length(4);
    expect(all.every((i) => i.state === 'COMPLETED')).to.equal(true);
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'more', 'again', 'end']);
    expect(await t.engine.listIncidents({})).to.deep.equal([]);
  });
});

describe('engine / call activities: a process that calls itself with no wait state', () => {
  let t: TestEngine;
  afterEach(() => t.close());
  const endless = {
    name: 'cb-endless.bpmn',
    xml: straight('cb-endless', [
      '<bpmn:callActivity id="again"><bpmn:extensionElements><zeebe:calledElement processId="cb-endless" /></bpmn:extensionElements></bpmn:callActivity>',
    ]),
  };

  it("given maxProcessDepth 25, when an instance is created, then createInstance returns at once with 25 called instances and a CALLED_ELEMENT_ERROR incident (Zeebe's message) on the deepest call; cancelling the root ends them all", async () => {
    t = await openTestEngine(undefined, { maxProcessDepth: 25 });
    await t.engine.deploy([endless]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cb-endless' });

    const instances = await t.engine.listInstances({ bpmnProcessId: 'cb-endless', limit: 100 });
    expect(instances).to.have.length(26);
    const incidents = await t.engine.listIncidents({});
    expect(incidents).to.have.length(1);
    expect(incidents[0]!.errorType).to.equal('CALLED_ELEMENT_ERROR');
    expect(incidents[0]!.errorMessage).to.match(/^The call activity has reached the maximum depth of 25\. This is likely due to a recursive call\./);
    const deepest = instances.find((i) => i.processInstanceKey === incidents[0]!.processInstanceKey)!;
    expect(deepest.parentProcessInstanceKey).to.not.equal(null);

    await t.engine.cancelInstance(processInstanceKey);
    expect(await t.engine.listInstances({ state: 'ACTIVE', limit: 100 })).to.deep.equal([]);
  });

  it('given Zeebe\'s default depth (1000), when an instance is created, then createInstance returns (no "key block exhausted") with the incident at depth 1000', async function () {
    this.timeout(120_000);
    t = await openTestEngine();
    await t.engine.deploy([endless]);
    await t.engine.createInstance({ bpmnProcessId: 'cb-endless' });
    const active = await t.engine.driver.get<{ n: number }>("SELECT COUNT(*) AS n FROM eng_instance WHERE state = 'ACTIVE'");
    expect(Number(active!.n)).to.equal(1001);
    const [incident] = await t.engine.listIncidents({});
    expect(incident!.errorMessage).to.contain('maximum depth of 1000');
  });
});
