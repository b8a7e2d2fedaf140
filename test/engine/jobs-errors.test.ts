import { expect } from 'chai';
import { activeElements, completedPath, deploy, jobsOf, oneJob, openTestEngine, takenFlows, terminated, type TestEngine } from './support/harness.js';

/** BPMN errors thrown by job workers: a matching error boundary, a catch-all boundary, and nothing catching. */
describe('engine / jobs: BPMN errors thrown by a worker', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-job-errors.bpmn', 'jt-job-uncaught.bpmn');
  });
  afterEach(() => t.close());

  it('given an error boundary for NOT_FOUND and a catch-all, when the job throws NOT_FOUND with variables, then the NOT_FOUND boundary is taken and its output mapping carries the error variable on', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-errors', variables: { address: '幸福路 8 号' } });
    const job = await oneJob(t.engine, 'jt-lookup');
    await t.engine.throwError(job.key, {
      errorCode: 'NOT_FOUND',
      errorMessage: 'no such address',
      variables: { lookupFailure: { status: 404, reason: 'unknown street' } },
    });

    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['lookup']);
    expect((await t.engine.listJobs({ processInstanceKey })).map((j) => j.type)).to.deep.equal(['jt-register']);
    const register = await oneJob(t.engine, 'jt-register');
    expect(register.variables).to.deep.equal({ address: '幸福路 8 号', lookupFailure: { status: 404, reason: 'unknown street' } });
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ address: '幸福路 8 号', lookupFailure: { status: 404, reason: 'unknown street' } });

    await t.engine.completeJob(register.key, {});
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'notFound', 'registerCase', 'endRegistered']);
    expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f1', 'f3', 'f4']);
    expect(await t.engine.listIncidents({ processInstanceKey })).to.deep.equal([]);
  });

  it('given a catch-all error boundary without output mappings, when the job throws a code no boundary names, then the catch-all path is taken and the error variables stay local to the boundary (Zeebe)', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-errors', variables: { address: '幸福路 9 号' } });
    const job = await oneJob(t.engine, 'jt-lookup');
    await t.engine.throwError(job.key, { errorCode: 'SERVICE_DOWN', variables: { cause: 'maintenance' } });

    const review = await oneJob(t.engine, 'jt-review-failure');
    expect(review.variables).to.deep.equal({ address: '幸福路 9 号' });
    expect(await jobsOf(t.engine, 'jt-register')).to.deep.equal([]);
    await t.engine.completeJob(review.key, {});
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'anyError', 'reviewFailure', 'endReviewed']);
    expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f1', 'f5', 'f6']);
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['lookup']);
  });

  it('given no boundary catches the code, when the job throws, then an UNHANDLED_ERROR_EVENT incident is raised and the instance stays at the task', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-uncaught' });
    const job = await oneJob(t.engine, 'jt-send-notice');
    await t.engine.throwError(job.key, { errorCode: 'NOT_FOUND', errorMessage: 'recipient unknown' });

    const incidents = await t.engine.listIncidents({ processInstanceKey });
    expect(incidents.map((i) => [i.errorType, i.elementId, i.jobKey, i.state])).to.deep.equal([['UNHANDLED_ERROR_EVENT', 'sendNotice', job.key, 'ACTIVE']]);
    expect(incidents[0]!.errorMessage).to.contain('NOT_FOUND');
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('ACTIVE');
    expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['sendNotice']);
    expect(await jobsOf(t.engine, 'jt-send-notice')).to.deep.equal([]);
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start']);
  });

  it('given an error thrown by a job, whether caught or not, then the history records ERROR_THROWN with its code and message on the task', async () => {
    const caught = (await t.engine.createInstance({ bpmnProcessId: 'jt-job-errors' })).processInstanceKey;
    await t.engine.throwError((await oneJob(t.engine, 'jt-lookup')).key, { errorCode: 'NOT_FOUND', errorMessage: 'no such address' });
    const uncaught = (await t.engine.createInstance({ bpmnProcessId: 'jt-job-uncaught' })).processInstanceKey;
    await t.engine.throwError((await oneJob(t.engine, 'jt-send-notice')).key, { errorCode: 'NOT_FOUND', errorMessage: 'recipient unknown' });

    const thrown = async (key: string) =>
      (await t.engine.history(key)).filter((h) => h.intent === 'ERROR_THROWN').map((h) => [h.elementId, h.payload?.['errorCode'], h.payload?.['errorMessage']]);
    expect(await thrown(caught)).to.deep.equal([['lookup', 'NOT_FOUND', 'no such address']]);
    expect(await thrown(uncaught)).to.deep.equal([['sendNotice', 'NOT_FOUND', 'recipient unknown']]);
  });

  it('given an UNHANDLED_ERROR_EVENT incident, when it is resolved, then the same job is activatable again with its retries and completing it continues the instance', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-job-uncaught' });
    const job = await oneJob(t.engine, 'jt-send-notice');
    await t.engine.throwError(job.key, { errorCode: 'NOT_FOUND' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey });

    await t.engine.resolveIncident(incident!.incidentKey);
    const again = await oneJob(t.engine, 'jt-send-notice');
    expect([again.key, again.retries]).to.deep.equal([job.key, 3]);
    await t.engine.completeJob(again.key, {});
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'sendNotice', 'end']);
  });
});
