import { expect } from 'chai';
import type { JobWorker, Variables } from '../../engine/index.js';
import { completedPath, deploy, MINUTE, openTestEngine, terminated, type TestEngine } from './support/harness.js';

/** The in-process JobWorker: pushed jobs (no polling delay), thrown exceptions as failures, BPMN errors. */
describe('engine / jobs: the in-process worker', () => {
  let t: TestEngine;
  let worker: JobWorker | null = null;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-worker.bpmn');
  });
  afterEach(async () => {
    await worker?.close();
    worker = null;
    await t.close();
  });

  /** Lets the worker run: waits for the engine to go idle and re-checks, for at most `ms` of real time. */
  async function waitFor(what: string, check: () => Promise<boolean>, ms = 1000): Promise<number> {
    const started = Date.now();
    for (;;) {
      await t.engine.idle();
      if (await check()) return Date.now() - started;
      if (Date.now() - started > ms) return expect.fail(`gave up waiting for ${what} after ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const stateOf = async (key: string) => (await t.engine.getInstance(key))!.state;

  it('given a running worker, when an instance starts, then the handler completes the job and the instance finishes without waiting for a poll', async () => {
    const seen: Variables[] = [];
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 60_000,
      handler: async (job) => {
        seen.push(job.variables);
        return { outcome: 'complete', variables: { district: 'D-01' } };
      },
    });
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-worker', variables: { reportId: 'R-1' } });
    const took = await waitFor('the instance to complete', async () => (await stateOf(processInstanceKey)) === 'COMPLETED');

    expect(took).to.be.below(1000);
    expect(seen).to.deep.equal([{ reportId: 'R-1' }]);
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'enrich', 'endDone']);
    const created = (await t.engine.history(processInstanceKey)).filter((h) => h.intent === 'VARIABLE_CREATED').map((h) => h.payload);
    expect(created).to.deep.equal([
      { name: 'reportId', value: 'R-1' },
      { name: 'district', value: 'D-01' },
    ]);
  });

  it('given a handler that throws, when it runs, then every exception costs one retry until a JOB_NO_RETRIES incident stops the job', async () => {
    const retriesSeen: number[] = [];
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 60_000,
      handler: async (job) => {
        retriesSeen.push(job.retries);
        throw new Error('geo service down');
      },
    });
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-worker' });
    await waitFor('an incident', async () => (await t.engine.listIncidents({ processInstanceKey })).length > 0);

    expect(retriesSeen).to.deep.equal([3, 2, 1]);
    const [job] = await t.engine.listJobs({ processInstanceKey });
    expect(job).to.include({ state: 'FAILED', retries: 0, errorMessage: 'geo service down' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey });
    expect(incident).to.include({ errorType: 'JOB_NO_RETRIES', elementId: 'enrich', jobKey: job!.jobKey, errorMessage: 'geo service down' });
    const failures = (await t.engine.history(processInstanceKey)).filter((h) => h.intent === 'JOB_FAILED').map((h) => h.payload?.['retries']);
    expect(failures).to.deep.equal([2, 1, 0]);
  });

  it('given a handler that fails once with a back-off, when the back-off ends, then the worker is woken and completes the job', async () => {
    const retriesSeen: number[] = [];
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 60_000,
      handler: async (job) => {
        retriesSeen.push(job.retries);
        if (retriesSeen.length === 1) return { outcome: 'fail', errorMessage: 'rate limited', retryBackOffMs: 5 * MINUTE };
        return { outcome: 'complete' };
      },
    });
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-worker' });
    await waitFor('the first failure', async () => (await t.engine.history(processInstanceKey)).some((h) => h.intent === 'JOB_FAILED'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.engine.idle();
    expect(retriesSeen, 'no second attempt during the back-off').to.deep.equal([3]);

    await t.clock.advance(5 * MINUTE);
    await waitFor('the instance to complete', async () => (await stateOf(processInstanceKey)) === 'COMPLETED');
    expect(retriesSeen).to.deep.equal([3, 2]);
  });

  it('given a handler that returns an error outcome, when it runs, then the matching error boundary path is taken', async () => {
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 60_000,
      handler: async () => ({ outcome: 'error', errorCode: 'REJECTED', errorMessage: 'duplicate report' }),
    });
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-worker' });
    await waitFor('the instance to complete', async () => (await stateOf(processInstanceKey)) === 'COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'rejected', 'endRejected']);
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['enrich']);
  });

  it('given a worker with maxJobsActive 2, when five jobs wait, then it never holds more than two at once and still finishes all five', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 60_000,
      maxJobsActive: 2,
      handler: async () => {
        calls++;
        most = Math.max(most, ++active);
        await gate;
        active--;
        return { outcome: 'complete' };
      },
    });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await t.engine.createInstance({ bpmnProcessId: 'jt-worker' })).processInstanceKey);
    await waitFor('two jobs in hand', async () => calls === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.engine.idle();
    expect(calls).to.equal(2);
    expect(await t.engine.listJobs({ type: 'jt-enrich', state: 'ACTIVATED' })).to.have.length(2);

    release();
    await waitFor(
      'all five instances to complete',
      async () => (await t.engine.listInstances({ bpmnProcessId: 'jt-worker', state: 'COMPLETED' })).length === 5,
    );
    expect([calls, most]).to.deep.equal([5, 2]);
  });

  it('given a closed worker, when a new instance starts, then its handler is not called and the job waits', async () => {
    let calls = 0;
    worker = t.engine.createWorker({
      type: 'jt-enrich',
      pollIntervalMs: 10,
      handler: async () => {
        calls++;
        return { outcome: 'complete' };
      },
    });
    await worker.close();
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-worker' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.engine.idle();
    expect(calls).to.equal(0);
    expect((await t.engine.listJobs({ processInstanceKey })).map((j) => j.state)).to.deep.equal(['ACTIVATABLE']);
  });
});
