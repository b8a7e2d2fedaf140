import { expect } from 'chai';
import { completedPath, deploy, oneJob, openTask, openTestEngine, takenFlows, type TestEngine } from './support/harness.js';

describe('engine / a basic case: service task, user task, end', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'order-basic.bpmn');
  });
  afterEach(() => t.close());

  it('given a started instance, when the job and the task complete, then the path, variables and history are Zeebe-like', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'basic', variables: { text: '垃圾堆放' } });
    const job = await oneJob(t.engine, 'classify');
    expect(job.customHeaders).to.deep.equal({ model: 'keywords' });
    expect(job.variables).to.deep.equal({ text: '垃圾堆放' });
    expect(job.key)
      .to.be.a('string')
      .and.match(/^\d{16,19}$/);
    await t.engine.completeJob(job.key, { unit: 'D-CGJ' });
    const task = await openTask(t.engine, processInstanceKey, 'handle');
    expect(task.candidateGroups).to.deep.equal(['D-CGJ']);
    expect(task.formId).to.equal('handle-form');
    await t.engine.completeUserTask(task.userTaskKey, { result: '已清理' });
    const instance = await t.engine.getInstance(processInstanceKey);
    expect(instance!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'classify', 'handle', 'end']);
    expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f1', 'f2', 'f3']);
  });

  it('given a job completed once, when it is completed again, then the second completion is refused', async () => {
    await t.engine.createInstance({ bpmnProcessId: 'basic' });
    const job = await oneJob(t.engine, 'classify');
    await t.engine.completeJob(job.key, { unit: 'x' });
    await t.engine.completeJob(job.key, { unit: 'y' }).then(
      () => expect.fail('completed twice'),
      (err) => expect(err.code).to.equal('NOT_FOUND'),
    );
  });

  it('given waiting instances, when the engine restarts, then they continue where they were', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'basic', variables: { unit: 'D-CGJ' } });
    await t.restart();
    const job = await oneJob(t.engine, 'classify');
    await t.engine.completeJob(job.key, {});
    await t.restart();
    const task = await openTask(t.engine, processInstanceKey, 'handle');
    await t.engine.completeUserTask(task.userTaskKey, {});
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
  });
});
