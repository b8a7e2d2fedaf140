import { expect } from 'chai';
import type { ActivatedJob } from '../../engine/index.js';
import { activeElements, completedPath, deploy, jobsOf, oneJob, openTestEngine, terminated, type TestEngine } from './support/harness.js';

function byLoopCounter(jobs: ActivatedJob[]): Map<number, ActivatedJob> {
  return new Map(jobs.map((j) => [j.variables['loopCounter'] as number, j]));
}

describe('engine / multi-instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'fl-mi-parallel.bpmn', 'fl-mi-sequential.bpmn', 'fl-mi-completion.bpmn', 'fl-mi-user-task.bpmn');
  });
  afterEach(() => t.close());

  it('given a list of three items, when the parallel multi-instance starts, then three jobs exist at once, each seeing its item and loopCounter', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-parallel', variables: { items: ['a', 'b', 'c'] } });
    const jobs = await jobsOf(t.engine, 'mi-item');
    expect(jobs).to.have.length(3);
    const seen = jobs.map((j) => ({ item: j.variables['item'], loopCounter: j.variables['loopCounter'] }));
    expect(seen.sort((x, y) => Number(x.loopCounter) - Number(y.loopCounter))).to.deep.equal([
      { item: 'a', loopCounter: 1 },
      { item: 'b', loopCounter: 2 },
      { item: 'c', loopCounter: 3 },
    ]);
    for (const j of jobs) expect(j.variables['items']).to.deep.equal(['a', 'b', 'c']);
    // item and loopCounter are local to each inner instance
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ items: ['a', 'b', 'c'] });
  });

  it('given jobs completed in the order c, a, b, when the last completes, then results are collected in list order and only the collection reaches the process', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-parallel', variables: { items: ['a', 'b', 'c'] } });
    const jobs = byLoopCounter(await jobsOf(t.engine, 'mi-item'));
    for (const n of [3, 1]) {
      const job = jobs.get(n)!;
      await t.engine.completeJob(job.key, { result: String(job.variables['item']).toUpperCase() });
    }
    expect(await t.engine.listJobs({ processInstanceKey, type: 'mi-item-summary' })).to.have.length(0);
    await t.engine.completeJob(jobs.get(2)!.key, { result: 'B' });

    const summary = await oneJob(t.engine, 'mi-item-summary');
    expect(summary.variables['results']).to.deep.equal(['A', 'B', 'C']);
    // Zeebe creates the output element `result` as a local variable of each inner instance
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ items: ['a', 'b', 'c'], results: ['A', 'B', 'C'] });
    await t.engine.completeJob(summary.key);
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal([
      'start',
      'process_item',
      'process_item',
      'process_item',
      'process_item',
      'summarize',
      'end',
    ]);
  });

  it("given an inner instance that completes without a result, then its slot stays null and does not take another instance's result", async () => {
    await t.engine.createInstance({ bpmnProcessId: 'fl-mi-parallel', variables: { items: ['a', 'b'] } });
    const jobs = byLoopCounter(await jobsOf(t.engine, 'mi-item'));
    await t.engine.completeJob(jobs.get(2)!.key, { result: 'B' });
    await t.engine.completeJob(jobs.get(1)!.key, {});
    const summary = await oneJob(t.engine, 'mi-item-summary');
    expect(summary.variables['results']).to.deep.equal([null, 'B']);
  });

  it('given a sequential multi-instance, then only one job exists at a time, in list order', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-sequential', variables: { items: ['x', 'y', 'z'] } });
    const seen: Array<[unknown, unknown]> = [];
    for (let i = 0; i < 3; i++) {
      expect(await t.engine.listJobs({ processInstanceKey, type: 'seq-item' })).to.have.length(1);
      const job = await oneJob(t.engine, 'seq-item');
      seen.push([job.variables['item'], job.variables['loopCounter']]);
      await t.engine.completeJob(job.key, { result: `${String(job.variables['item'])}!` });
    }
    expect(seen).to.deep.equal([
      ['x', 1],
      ['y', 2],
      ['z', 3],
    ]);
    expect(await t.engine.listJobs({ processInstanceKey, type: 'seq-item' })).to.have.length(0);
    const summary = await oneJob(t.engine, 'seq-item-summary');
    expect(summary.variables['results']).to.deep.equal(['x!', 'y!', 'z!']);
  });

  it('given the completion condition numberOfCompletedInstances >= 2, when two of four complete, then the other two are terminated and the body completes', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-completion', variables: { items: ['a', 'b', 'c', 'd'] } });
    const jobs = byLoopCounter(await jobsOf(t.engine, 'bid'));
    expect(jobs.size).to.equal(4);
    await t.engine.completeJob(jobs.get(3)!.key, { result: 'C' });
    expect(await t.engine.listJobs({ processInstanceKey, type: 'bid' })).to.have.length(3);
    await t.engine.completeJob(jobs.get(1)!.key, { result: 'A' });

    expect(await t.engine.listJobs({ processInstanceKey, type: 'bid' })).to.have.length(0);
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['process_item', 'process_item']);
    const summary = await oneJob(t.engine, 'bid-summary');
    // the output collection keeps a slot per item: the terminated ones stay null
    expect(summary.variables['results']).to.deep.equal(['A', null, 'C', null]);
    expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['summarize']);
  });

  it('given an empty collection, when the multi-instance is reached, then it completes at once with an empty result list', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-parallel', variables: { items: [] } });
    expect(await t.engine.listJobs({ processInstanceKey, type: 'mi-item' })).to.have.length(0);
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'process_item']);
    const summary = await oneJob(t.engine, 'mi-item-summary');
    expect(summary.variables).to.deep.equal({ items: [], results: [] });
  });

  it('given a collection that is not a list, when the multi-instance is reached, then an EXTRACT_VALUE_ERROR incident is raised', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-parallel', variables: { items: 'a,b' } });
    const incidents = await t.engine.listIncidents({ processInstanceKey });
    expect(incidents.map((i) => [i.errorType, i.elementId])).to.deep.equal([['EXTRACT_VALUE_ERROR', 'process_item']]);
    expect(await t.engine.listJobs({ processInstanceKey })).to.have.length(0);
  });

  it('given a multi-instance user task, then one task per reviewer is assigned, and the votes are collected in reviewer order', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-mi-user-task', variables: { reviewers: ['wang', 'li', 'zhao'] } });
    const tasks = await t.engine.listUserTasks({ processInstanceKey, state: 'CREATED' });
    expect(tasks.map((x) => x.assignee).sort()).to.deep.equal(['li', 'wang', 'zhao']);
    expect(tasks.every((x) => x.elementId === 'vote')).to.equal(true);

    const byAssignee = new Map(tasks.map((x) => [x.assignee, x]));
    await t.engine.completeUserTask(byAssignee.get('zhao')!.userTaskKey, { vote: 'abstain' });
    await t.engine.completeUserTask(byAssignee.get('li')!.userTaskKey, { vote: 'no' });
    expect(await t.engine.listJobs({ processInstanceKey, type: 'tally' })).to.have.length(0);
    await t.engine.completeUserTask(byAssignee.get('wang')!.userTaskKey, { vote: 'yes' });

    const tally = await oneJob(t.engine, 'tally');
    expect(tally.variables['votes']).to.deep.equal(['yes', 'no', 'abstain']);
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ reviewers: ['wang', 'li', 'zhao'], votes: ['yes', 'no', 'abstain'] });
  });
});
