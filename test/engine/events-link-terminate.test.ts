import { expect } from 'chai';
import { activeElements, completedPath, deploy, jobsOf, oneJob, openTestEngine, takenFlows, terminated, type TestEngine } from './support/harness.js';

describe('engine / events: link throw and catch events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-link.bpmn');
  });
  afterEach(() => t.close());

  it('given evidence is collected, when the flow reaches the link throw "review", then it continues at the link catch "review" without a sequence flow between them', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-link' });
    await t.engine.completeJob((await oneJob(t.engine, 'collect')).key, { evidence: 3 });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['review']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'collect', 'goReview', 'fromCollect']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'f2', 'f3']);

    await t.engine.completeJob((await oneJob(t.engine, 'review')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'collect', 'goReview', 'fromCollect', 'review', 'done']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'f2', 'f3', 'f4']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
  });
});

describe('engine / events: terminate end event', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-terminate.bpmn', 'ev-terminate-subprocess.bpmn');
  });
  afterEach(() => t.close());

  it('given two parallel branches, when the fast one reaches the terminate end event, then the slow branch and its job are gone and the instance is completed, not terminated', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-terminate' });
    expect((await t.engine.listJobs({ processInstanceKey: pik })).map((j) => j.type).sort()).to.deep.equal(['fast', 'slow']);
    const slowJob = await oneJob(t.engine, 'slow'); // a worker holds it

    await t.engine.completeJob((await oneJob(t.engine, 'fast')).key, {});
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await jobsOf(t.engine, 'slow')).to.deep.equal([]);
    const instance = (await t.engine.getInstance(pik))!;
    expect(instance.state).to.equal('COMPLETED');
    expect(await activeElements(t.engine, pik)).to.deep.equal([]);
    expect(await terminated(t.engine, pik)).to.deep.equal(['slow']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'fork', 'fast', 'stopAll']);
    expect(await takenFlows(t.engine, pik)).to.have.members(['f1', 'fSlow', 'fFast', 'fFastDone']);
    const err = await t.engine.completeJob(slowJob.key, {}).then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(err).to.equal('NOT_FOUND');
  });

  it('given a terminate end event inside a sub-process, when it is reached, then only the sub-process is ended (completed) and the outer branch keeps going', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-terminate-sub' });
    expect((await t.engine.listJobs({ processInstanceKey: pik })).map((j) => j.type).sort()).to.deep.equal(['inner', 'outer', 'quick']);

    await t.engine.completeJob((await oneJob(t.engine, 'quick')).key, {});
    expect((await t.engine.listJobs({ processInstanceKey: pik })).map((j) => j.type)).to.deep.equal(['outer']);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['outer']);
    expect(await terminated(t.engine, pik)).to.deep.equal(['inner']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'fork', 'subStart', 'subFork', 'quick', 'subTerminate', 'sub']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');

    await t.engine.completeJob((await oneJob(t.engine, 'outer')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'fork', 'subStart', 'subFork', 'quick', 'subTerminate', 'sub', 'outer', 'join', 'done']);
    expect(await terminated(t.engine, pik)).to.deep.equal(['inner']);
  });
});
