import { expect } from 'chai';
import { completedPath, deploy, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

/** zeebe:ioMapping on a service task: inputs are local to the task, outputs decide what reaches the process. */
describe('engine / jobs: input and output mappings', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-io-mapping.bpmn');
  });
  afterEach(() => t.close());

  const order = { unitId: 'U-17', district: '东城' };

  it('given an input mapping, when the job is activated, then the mapped variable is local to the task: the job sees it, the process does not', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-io-mapping', variables: { order } });
    const job = await oneJob(t.engine, 'jt-lookup-unit');

    expect(job.variables).to.deep.equal({ order, unitId: 'U-17' });
    expect(await t.engine.getVariables(job.elementInstanceKey)).to.deep.equal({ unitId: 'U-17' });
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ order });
  });

  it('given an output mapping, when the job completes with a result, then only the mapped variable reaches the process', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-io-mapping', variables: { order } });
    const job = await oneJob(t.engine, 'jt-lookup-unit');
    await t.engine.completeJob(job.key, { result: { unit: 'D-CGJ', score: 0.93 }, debug: 'rule 12' });

    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ order, unitCode: 'D-CGJ' });
    const dispatch = await oneJob(t.engine, 'jt-dispatch');
    expect(dispatch.variables).to.deep.equal({ order, unitCode: 'D-CGJ' });
    await t.engine.completeJob(dispatch.key, {});
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'lookupUnit', 'dispatch', 'end']);
  });

  it('given an input mapping over a missing variable, when the task activates, then the target is null and the job is created (Camunda 8.8: a missing variable is null, no incident)', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-io-mapping', variables: { caseNo: 'C-9' } });

    expect(await t.engine.listIncidents({ processInstanceKey })).to.deep.equal([]);
    const job = await oneJob(t.engine, 'jt-lookup-unit');
    expect(job.variables).to.deep.equal({ caseNo: 'C-9', unitId: null });
    await t.engine.completeJob(job.key, { result: { unit: 'D-JTJ' } });
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseNo: 'C-9', unitCode: 'D-JTJ' });
  });
});
