import { expect } from 'chai';
import { completedPath, deploy, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

describe('engine / task kinds: manual and undefined tasks pass through; send, business-rule and message throw/end events are jobs', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'tasks-job-kinds.bpmn');
  });
  afterEach(() => t.close());

  it('given the chain, when each job is completed in turn, then every kind waits for its job and the instance completes', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'job-kinds' });
    // manual and undefined tasks completed without waiting
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'phone', 'note']);
    for (const [type, elementId, retries] of [
      ['send-sms', 'sms', 3],
      ['score-case', 'score', 2],
      ['tell-centre', 'tell', 3],
      ['notify-done', 'done', 3],
    ] as const) {
      const job = await oneJob(t.engine, type);
      expect(job.elementId).to.equal(elementId);
      expect(job.retries).to.equal(retries);
      await t.engine.completeJob(job.key, { [`${elementId}Done`]: true });
    }
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'phone', 'note', 'sms', 'score', 'tell', 'done']);
  });
});
