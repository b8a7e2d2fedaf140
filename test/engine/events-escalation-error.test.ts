import { expect } from 'chai';
import { activeElements, completedPath, deploy, oneJob, openTestEngine, takenFlows, terminated, type TestEngine } from './support/harness.js';

describe('engine / events: escalation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-escalation-noninterrupting.bpmn', 'ev-escalation-interrupting.bpmn', 'ev-escalation-uncaught.bpmn');
  });
  afterEach(() => t.close());

  it('given a non-interrupting escalation boundary on the sub-process, when the inner throw event escalates, then support is sent while the sub-process continues to its own end', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-escalation-ni' });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['finish', 'support', 'work']);
    expect((await t.engine.listJobs({ processInstanceKey: pik })).map((j) => j.type).sort()).to.deep.equal(['finish', 'support']);
    expect(await completedPath(t.engine, pik)).to.have.members(['start', 'subStart', 'askHelp', 'supportNeeded']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);

    await t.engine.completeJob((await oneJob(t.engine, 'finish')).key, {});
    expect(await activeElements(t.engine, pik)).to.deep.equal(['support']);
    await t.engine.completeJob((await oneJob(t.engine, 'support')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    const path = await completedPath(t.engine, pik);
    expect(path).to.have.members(['start', 'subStart', 'askHelp', 'supportNeeded', 'finish', 'subEnd', 'work', 'done', 'support', 'supported']);
    expect(path.indexOf('askHelp')).to.be.lessThan(path.indexOf('finish'));
    expect(path.slice(-2)).to.deep.equal(['support', 'supported']);
    expect(await takenFlows(t.engine, pik)).to.have.members(['f1', 's1', 's2', 'fSupport', 's3', 'f2', 'fSupported']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
  });

  it('given an interrupting escalation boundary on the sub-process, when the inner throw event escalates, then the sub-process is terminated before the next task and the escalation path ends the instance', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-escalation-int' });
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await terminated(t.engine, pik)).to.deep.equal(['askHelp', 'work']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'escalated', 'escalatedEnd']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 'fEscalated']);
    expect(await t.engine.listIncidents({ processInstanceKey: pik })).to.deep.equal([]);
  });

  it('given only a boundary for another escalation code, when the sub-process throws an escalation nobody catches, then the instance just continues, also through an escalation end event, with no incident', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-escalation-uncaught' });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['next', 'work']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'shout']);
    expect(await t.engine.listIncidents({ processInstanceKey: pik })).to.deep.equal([]);

    await t.engine.completeJob((await oneJob(t.engine, 'next')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'shout', 'next', 'subEnd', 'work', 'done']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 's2', 's3', 'f2']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
    expect(await t.engine.listIncidents({ processInstanceKey: pik })).to.deep.equal([]);
  });
});

describe('engine / events: error end event caught by an error boundary on the sub-process', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-error-boundary.bpmn', 'ev-error-uncaught.bpmn');
  });
  afterEach(() => t.close());

  const inspectAs = async (kind: string) => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-error-boundary' });
    await t.engine.completeJob((await oneJob(t.engine, 'inspect')).key, { kind });
    return pik;
  };

  it('given both a boundary for E_KNOWN and a catch-all, when the sub-process ends with error E_KNOWN, then the boundary with the matching code catches it', async () => {
    const pik = await inspectAs('known');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handleKnown']);
    expect(await terminated(t.engine, pik)).to.deep.equal(['failKnown', 'check']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'inspect', 'which', 'knownCaught']);
    expect(await t.engine.listIncidents({ processInstanceKey: pik })).to.deep.equal([]);
    await t.engine.completeJob((await oneJob(t.engine, 'handle-known')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'inspect', 'which', 'knownCaught', 'handleKnown', 'handledKnown']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 's2', 's3', 'fKnown', 'fKnownDone']);
  });

  it('given both a boundary for E_KNOWN and a catch-all, when the sub-process ends with error E_OTHER, then the catch-all boundary catches it', async () => {
    const pik = await inspectAs('other');
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await terminated(t.engine, pik)).to.deep.equal(['failOther', 'check']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'inspect', 'which', 'anyCaught', 'handledAny']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 's2', 's4', 'fAny']);
  });

  it('given error boundaries on the sub-process, when no error is thrown, then the sub-process completes normally and no boundary fires', async () => {
    const pik = await inspectAs('fine');
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'inspect', 'which', 'subEnd', 'check', 'done']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 's2', 's5', 'f2']);
  });

  it('given error boundaries on the sub-process, when a job inside throws a BPMN error, then it propagates to the sub-process: E_KNOWN to its boundary, any other code to the catch-all', async () => {
    const known = (await t.engine.createInstance({ bpmnProcessId: 'ev-error-boundary' })).processInstanceKey;
    await t.engine.throwError((await oneJob(t.engine, 'inspect')).key, { errorCode: 'E_KNOWN', errorMessage: 'known problem' });
    expect(await terminated(t.engine, known)).to.deep.equal(['inspect', 'check']);
    expect(await completedPath(t.engine, known)).to.deep.equal(['start', 'subStart', 'knownCaught']);
    expect(await activeElements(t.engine, known)).to.deep.equal(['handleKnown']);

    const other = (await t.engine.createInstance({ bpmnProcessId: 'ev-error-boundary' })).processInstanceKey;
    await t.engine.throwError((await oneJob(t.engine, 'inspect')).key, { errorCode: 'E_SOMETHING_ELSE' });
    expect(await terminated(t.engine, other)).to.deep.equal(['inspect', 'check']);
    expect(await completedPath(t.engine, other)).to.deep.equal(['start', 'subStart', 'anyCaught', 'handledAny']);
    expect(await t.engine.listIncidents({ processInstanceKey: other })).to.deep.equal([]);
  });

  it('given a job throws E_KNOWN with variables, when the boundary without output mappings catches it, then the variables stay local to the catch event and do not reach the process', async () => {
    const pik = (await t.engine.createInstance({ bpmnProcessId: 'ev-error-boundary', variables: { caseNo: 'K-1' } })).processInstanceKey;
    await t.engine.throwError((await oneJob(t.engine, 'inspect')).key, { errorCode: 'E_KNOWN', variables: { reason: 'photo missing' } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handleKnown']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ caseNo: 'K-1' });
    expect((await oneJob(t.engine, 'handle-known')).variables).to.deep.equal({ caseNo: 'K-1' });
  });

  it('given two error boundaries with the same error code on one activity, when it is deployed, then the deployment is rejected', async () => {
    const err = await deploy(t.engine, 'ev-error-duplicate-catch.bpmn').then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(err).to.equal('DEPLOY_REJECTED');
    expect((await t.engine.listDefinitions()).map((d) => d.bpmnProcessId)).to.not.include('ev-error-duplicate');
  });

  it('given only a boundary for E_KNOWN, when the sub-process ends with E_OTHER, then an UNHANDLED_ERROR_EVENT incident is raised on the error end event and the instance stays active', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-error-uncaught' });
    const incidents = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incidents.map((i) => [i.elementId, i.errorType, i.state])).to.deep.equal([['failOther', 'UNHANDLED_ERROR_EVENT', 'ACTIVE']]);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['check', 'failOther']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
  });
});

describe('engine / events: escalation and error codes given as expressions on throw events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-code-expressions.bpmn');
  });
  afterEach(() => t.close());

  const start = async () =>
    (await t.engine.createInstance({ bpmnProcessId: 'ev-code-expressions', variables: { escalationCode: 'NEED_SUPPORT', errorCode: 'E_KNOWN' } }))
      .processInstanceKey;

  it('given escalationCode "= escalationCode" evaluating to NEED_SUPPORT, when the throw event is reached, then the NEED_SUPPORT boundary catches it', async () => {
    const pik = await start();
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'support' })).to.have.length(1);
    expect(await completedPath(t.engine, pik)).to.include('supportNeeded');
  });

  it('given errorCode "= errorCode" evaluating to E_KNOWN, when the error end event is reached, then the E_KNOWN boundary catches it and no incident is raised', async () => {
    const pik = await start();
    expect(await t.engine.listIncidents({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await terminated(t.engine, pik)).to.deep.equal(['fail', 'check']);
    expect(await completedPath(t.engine, pik)).to.include.members(['knownCaught', 'handledKnown']);
  });
});
