import { expect } from 'chai';
import { activeElements, completedPath, deploy, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

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

  it('given an input mapping over a missing variable, when the task activates, then an IO_MAPPING_ERROR incident is raised; after setVariables and resolveIncident the task continues', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-io-mapping', variables: { caseNo: 'C-9' } });

    const [incident] = await t.engine.listIncidents({ processInstanceKey });
    expect(incident).to.include({ errorType: 'IO_MAPPING_ERROR', elementId: 'lookupUnit', state: 'ACTIVE', jobKey: null });
    expect(await t.engine.listJobs({ processInstanceKey })).to.deep.equal([]);
    expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['lookupUnit']);

    await t.engine.setVariables(processInstanceKey, { order: { unitId: 'U-9' } });
    expect(await t.engine.listJobs({ processInstanceKey }), 'setting variables alone does not retry').to.deep.equal([]);
    await t.engine.resolveIncident(incident!.incidentKey);

    const job = await oneJob(t.engine, 'jt-lookup-unit');
    expect(job.variables).to.deep.equal({ caseNo: 'C-9', order: { unitId: 'U-9' }, unitId: 'U-9' });
    await t.engine.completeJob(job.key, { result: { unit: 'D-JTJ' } });
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseNo: 'C-9', order: { unitId: 'U-9' }, unitCode: 'D-JTJ' });
    expect(await t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' })).to.deep.equal([]);
    const intents = (await t.engine.history(processInstanceKey)).filter((h) => h.elementId === 'lookupUnit').map((h) => h.intent);
    // (where JOB_CREATED sits around ELEMENT_ACTIVATED is checked by the history tests)
    expect(intents.filter((i) => i !== 'JOB_CREATED')).to.deep.equal(['INCIDENT_CREATED', 'INCIDENT_RESOLVED', 'ELEMENT_ACTIVATED', 'JOB_COMPLETED', 'ELEMENT_COMPLETED']);
    expect(intents.filter((i) => i === 'JOB_CREATED')).to.have.length(1);
  });
});
