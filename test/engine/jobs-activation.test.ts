import { expect } from 'chai';
import { completedPath, deploy, jobsOf, MINUTE, openTestEngine, type TestEngine } from './support/harness.js';

/** Zeebe job activation: batch size, variable fetching, timeouts, FEEL job properties, custom headers. */
describe('engine / jobs: activation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-job-retry.bpmn', 'jt-job-routing.bpmn');
  });
  afterEach(() => t.close());

  it('given three waiting jobs, when a worker asks for at most two, then it gets the two oldest and the third stays for the next request', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry', variables: { orderNo: i } })).processInstanceKey);

    const first = await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 2, timeoutMs: MINUTE, worker: 'w1' });
    expect(first.map((j) => j.processInstanceKey)).to.deep.equal([keys[0], keys[1]]);
    expect(first.map((j) => j.worker)).to.deep.equal(['w1', 'w1']);
    expect(await t.engine.listJobs({ type: 'jt-charge', state: 'ACTIVATED' })).to.have.length(2);
    expect((await t.engine.listJobs({ type: 'jt-charge', state: 'ACTIVATABLE' })).map((j) => j.processInstanceKey)).to.deep.equal([keys[2]]);

    const second = await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 2, timeoutMs: MINUTE, worker: 'w2' });
    expect(second.map((j) => j.processInstanceKey)).to.deep.equal([keys[2]]);
    expect(await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 2, timeoutMs: MINUTE, worker: 'w3' })).to.deep.equal([]);
  });

  it('given fetchVariables, when the job is activated, then only the named variables are handed to the worker', async () => {
    const variables = { orderId: 'O-1', amount: 120, customer: { name: '王芳', phone: '139' }, secret: 'token' };
    await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry', variables });
    await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry', variables });

    const [limited] = await t.engine.activateJobs({
      type: 'jt-charge',
      maxJobsToActivate: 1,
      timeoutMs: MINUTE,
      worker: 'w',
      fetchVariables: ['orderId', 'amount', 'notThere'],
    });
    expect(limited!.variables).to.deep.equal({ orderId: 'O-1', amount: 120 });

    const [all] = await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 1, timeoutMs: MINUTE, worker: 'w' });
    expect(all!.variables).to.deep.equal(variables);
  });

  it('given an activated job, when its timeout passes, then it is handed out again with its retries intact and the history records JOB_TIMED_OUT', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry' });
    const activatedAt = t.clock.now();
    const [job] = await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 10, timeoutMs: 5 * MINUTE, worker: 'slow-worker' });
    expect(job!.deadline).to.equal(activatedAt + 5 * MINUTE);

    expect(await jobsOf(t.engine, 'jt-charge')).to.deep.equal([]);
    await t.clock.advance(4 * MINUTE);
    expect(await jobsOf(t.engine, 'jt-charge')).to.deep.equal([]);
    const [stillHeld] = await t.engine.listJobs({ processInstanceKey });
    expect(stillHeld).to.include({ state: 'ACTIVATED', worker: 'slow-worker' });

    await t.clock.advance(2 * MINUTE);
    const timedOut = (await t.engine.history(processInstanceKey)).filter((h) => h.intent === 'JOB_TIMED_OUT');
    expect(timedOut.map((h) => [h.elementId, h.payload?.['jobKey']])).to.deep.equal([['charge', job!.key]]);
    const [released] = await t.engine.listJobs({ processInstanceKey });
    expect(released).to.include({ state: 'ACTIVATABLE', retries: 3 });

    const again = await t.engine.activateJobs({ type: 'jt-charge', maxJobsToActivate: 10, timeoutMs: 5 * MINUTE, worker: 'fast-worker' });
    expect(again.map((j) => [j.key, j.retries, j.worker])).to.deep.equal([[job!.key, 3, 'fast-worker']]);
    await t.engine.completeJob(job!.key, {});
    expect((await t.engine.listJobs({ processInstanceKey })).map((j) => j.type)).to.deep.equal(['jt-ship']);
  });

  it('given a job type and retries written in FEEL, when the instance starts, then the job carries the evaluated type and retries and the static custom headers', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-routing', variables: { category: 'sanitation', retryCount: 5 } });
    const other = await t.engine.createInstance({ bpmnProcessId: 'jt-job-routing', variables: { category: 'traffic', retryCount: 2 } });

    const [listed] = await t.engine.listJobs({ processInstanceKey });
    expect(listed).to.include({ type: 'route-sanitation', retries: 5, elementId: 'route', bpmnProcessId: 'jt-job-routing' });
    expect(listed!.customHeaders).to.deep.equal({ channel: 'hotline-12345', slaHours: '4' });

    const jobs = await jobsOf(t.engine, 'route-sanitation');
    expect(jobs.map((j) => [j.processInstanceKey, j.type, j.retries, j.elementId])).to.deep.equal([[processInstanceKey, 'route-sanitation', 5, 'route']]);
    expect(jobs[0]!.customHeaders).to.deep.equal({ channel: 'hotline-12345', slaHours: '4' });
    expect(await jobsOf(t.engine, 'route-')).to.deep.equal([]);
    expect((await jobsOf(t.engine, 'route-traffic')).map((j) => [j.processInstanceKey, j.retries])).to.deep.equal([[other.processInstanceKey, 2]]);

    await t.engine.completeJob(jobs[0]!.key, {});
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'route', 'end']);
  });
});
