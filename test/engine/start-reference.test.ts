import { expect } from 'chai';
import { deploy, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

/** Intake's crash recovery starts a case's instance again under its reference and must get the first one back. */
describe("engine / idempotent start by the caller's reference", () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'order-basic.bpmn');
  });
  afterEach(() => t.close());

  it('given an instance started under a reference, when it is started again under it with reuseStarted (after a restart), then the first instance comes back and no second one starts', async () => {
    const first = await t.engine.createInstance({ bpmnProcessId: 'basic', variables: { caseId: '7' }, startReference: 'intake:7' });
    await t.restart();
    const again = await t.engine.createInstance({ bpmnProcessId: 'basic', variables: { caseId: '7' }, startReference: 'intake:7', reuseStarted: true });
    expect(again.processInstanceKey).to.equal(first.processInstanceKey);
    expect((await t.engine.listInstances({ bpmnProcessId: 'basic' })).map((i) => i.processInstanceKey)).to.deep.equal([first.processInstanceKey]);
    expect((await oneJob(t.engine, 'classify')).processInstanceKey).to.equal(first.processInstanceKey);
  });

  it('given no instance under a reference, when started with reuseStarted, then a new one starts; another reference, or none, starts its own', async () => {
    const a = await t.engine.createInstance({ bpmnProcessId: 'basic', startReference: 'intake:1', reuseStarted: true });
    const b = await t.engine.createInstance({ bpmnProcessId: 'basic', startReference: 'intake:2', reuseStarted: true });
    const c = await t.engine.createInstance({ bpmnProcessId: 'basic', startReference: 'intake:1' });
    expect(new Set([a.processInstanceKey, b.processInstanceKey, c.processInstanceKey]).size).to.equal(3);
    expect(await t.engine.listInstances({ bpmnProcessId: 'basic' })).to.have.length(3);
  });
});
