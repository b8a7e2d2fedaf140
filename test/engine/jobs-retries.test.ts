import { expect } from 'chai';
import { completedPath, deploy, jobsOf, MINUTE, oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';

const SECOND = 1000;

/** failJob, retry back-off, JOB_NO_RETRIES incidents, updateJobRetries + resolveIncident. */
describe('engine / jobs: failures, retries and incidents', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-job-retry.bpmn');
  });
  afterEach(() => t.close());

  it('given a job failed with retries left and a back-off, when the back-off has not ended, then it is not activatable, and once it has ended it is', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry' });
    const job = await oneJob(t.engine, 'jt-charge');
    await t.engine.failJob(job.key, { retries: 2, errorMessage: 'bank offline', retryBackOffMs: 10 * MINUTE });

    expect(await jobsOf(t.engine, 'jt-charge')).to.deep.equal([]);
    await t.clock.advance(10 * MINUTE - SECOND);
    expect(await jobsOf(t.engine, 'jt-charge')).to.deep.equal([]);
    await t.clock.advance(SECOND);
    const again = await jobsOf(t.engine, 'jt-charge');
    expect(again.map((j) => [j.key, j.retries])).to.deep.equal([[job.key, 2]]);

    const failed = (await t.engine.history(processInstanceKey)).filter((h) => h.intent === 'JOB_FAILED');
    expect(failed.map((h) => h.payload)).to.deep.equal([{ jobKey: job.key, retries: 2, errorMessage: 'bank offline', retryBackOffMs: 10 * MINUTE }]);
    await t.engine.completeJob(job.key, {});
    expect((await t.engine.listJobs({ processInstanceKey })).map((j) => j.type)).to.deep.equal(['jt-ship']);
  });

  it('given a job failed with retries left and no back-off, when a worker asks again, then it gets the job at once with the retries the worker gave', async () => {
    await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry' });
    const job = await oneJob(t.engine, 'jt-charge');
    await t.engine.failJob(job.key, { retries: 1, errorMessage: 'timeout' });
    const again = await oneJob(t.engine, 'jt-charge');
    expect([again.key, again.retries]).to.deep.equal([job.key, 1]);
  });

  it('given a job failed with variables, when it is activated again, then the variables are local to the task: the retry sees them, the process does not', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry', variables: { orderId: 'O-7' } });
    const job = await oneJob(t.engine, 'jt-charge');
    await t.engine.failJob(job.key, { retries: 2, errorMessage: 'try later', variables: { attempt: 1 } });

    expect(await t.engine.getVariables(job.elementInstanceKey)).to.deep.equal({ attempt: 1 });
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ orderId: 'O-7' });
    const retry = await oneJob(t.engine, 'jt-charge');
    expect(retry.variables).to.deep.equal({ orderId: 'O-7', attempt: 1 });
    await t.engine.completeJob(retry.key, {});
    expect((await oneJob(t.engine, 'jt-ship')).variables).to.deep.equal({ orderId: 'O-7' });
  });

  it('given a job failed with no retries left, when the incident is resolved before the retries are updated, then resolving is refused; after updateJobRetries and resolve the job is activatable and completing it continues the instance', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry' });
    const job = await oneJob(t.engine, 'jt-charge');
    await t.engine.failJob(job.key, { retries: 0, errorMessage: 'card declined' });

    const [incident] = await t.engine.listIncidents({ processInstanceKey });
    expect(incident).to.include({ errorType: 'JOB_NO_RETRIES', elementId: 'charge', jobKey: job.key, state: 'ACTIVE', errorMessage: 'card declined' });
    expect(await jobsOf(t.engine, 'jt-charge')).to.deep.equal([]);
    expect((await t.engine.listJobs({ processInstanceKey }))[0]).to.include({ state: 'FAILED', retries: 0 });

    const refused = await refusal(t.engine.resolveIncident(incident!.incidentKey));
    expect(refused.code).to.equal('INVALID_STATE');
    expect((await t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' })).map((i) => i.incidentKey)).to.deep.equal([incident!.incidentKey]);

    await t.engine.updateJobRetries(job.key, 1);
    expect(await jobsOf(t.engine, 'jt-charge'), 'more retries alone do not reopen the job while the incident is open').to.deep.equal([]);

    await t.clock.advance(MINUTE);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect(await t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' })).to.deep.equal([]);
    const [resolved] = await t.engine.listIncidents({ processInstanceKey, state: 'RESOLVED' });
    expect(resolved).to.include({ incidentKey: incident!.incidentKey, resolvedAt: t.clock.now() });

    const retried = await oneJob(t.engine, 'jt-charge');
    expect([retried.key, retried.retries]).to.deep.equal([job.key, 1]);
    await t.engine.completeJob(retried.key, { charged: 120 });
    await t.engine.completeJob((await oneJob(t.engine, 'jt-ship')).key, {});
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'charge', 'ship', 'end']);
    const intents = (await t.engine.history(processInstanceKey)).map((h) => h.intent).filter((i) => /^(JOB|INCIDENT)_/.test(i));
    expect(intents).to.deep.equal([
      'JOB_CREATED',
      'JOB_FAILED',
      'INCIDENT_CREATED',
      'JOB_RETRIES_UPDATED',
      'INCIDENT_RESOLVED',
      'JOB_COMPLETED',
      'JOB_CREATED',
      'JOB_COMPLETED',
    ]);
  });

  it('given a failed job, when its retries are updated, then the history records JOB_RETRIES_UPDATED as Zeebe does', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-retry' });
    const job = await oneJob(t.engine, 'jt-charge');
    await t.engine.failJob(job.key, { retries: 0, errorMessage: 'card declined' });
    await t.engine.updateJobRetries(job.key, 2);
    const updates = (await t.engine.history(processInstanceKey)).filter((h) => h.intent === 'JOB_RETRIES_UPDATED');
    expect(updates.map((h) => [h.elementId, h.payload?.['jobKey'], h.payload?.['retries']])).to.deep.equal([['charge', job.key, 2]]);
  });

  it('given an unknown job key, when its retries are updated, then the command is refused with NOT_FOUND', async () => {
    const refused = await refusal(t.engine.updateJobRetries('2251799813999999', 3));
    expect(refused.code).to.equal('NOT_FOUND');
  });
});
