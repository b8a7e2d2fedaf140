import { expect } from 'chai';
import { activeElements, completedPath, deploy, HOUR, jobsOf, MINUTE, oneJob, openTestEngine, takenFlows, type TestEngine } from './support/harness.js';

/** Job types of the instance's open jobs, sorted. */
async function openJobTypes(t: TestEngine, processInstanceKey: string): Promise<string[]> {
  return (await t.engine.listJobs({ processInstanceKey })).map((j) => j.type).sort();
}

async function completeOne(t: TestEngine, type: string, variables: Record<string, unknown> = {}): Promise<void> {
  const job = await oneJob(t.engine, type);
  await t.engine.completeJob(job.key, variables);
}

function count(list: string[], id: string): number {
  return list.filter((x) => x === id).length;
}

describe('engine / gateways', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  describe('exclusive gateway', () => {
    beforeEach(() => deploy(t.engine, 'fl-exclusive.bpmn', 'fl-exclusive-incident.bpmn'));

    it('given two true conditions, when the gateway is reached, then only the first true flow in modeling order is taken', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive', variables: { amount: 150 } });
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'xor', 'end_high']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_in', 'f_high']);
    });

    it('given only the second condition true, when the gateway is reached, then the second flow is taken', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive', variables: { amount: 70 } });
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'xor', 'end_medium']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_in', 'f_medium']);
    });

    it('given no true condition, when the gateway is reached, then the default flow is taken', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive', variables: { amount: 10 } });
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'xor', 'end_low']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_in', 'f_low']);
      expect(await t.engine.listIncidents({ processInstanceKey })).to.deep.equal([]);
    });

    it("given the variable a condition compares is missing, when the gateway is reached, then (as in Camunda 8.8) the null result is a CONDITION_ERROR incident naming the type and FEEL's warning, not a silent false", async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive', variables: {} });
      const incidents = await t.engine.listIncidents({ processInstanceKey });
      expect(incidents.map((i) => [i.errorType, i.elementId])).to.deep.equal([['CONDITION_ERROR', 'xor']]);
      expect(incidents[0]!.errorMessage).to.contain("Expected result of the expression 'amount > 100' to be 'BOOLEAN', but was 'NULL'.");
      expect(incidents[0]!.errorMessage).to.contain('amount');
      await t.engine.setVariables(processInstanceKey, { amount: 70 });
      await t.engine.resolveIncident(incidents[0]!.incidentKey);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'xor', 'end_medium']);
    });

    it('given no true condition and no default flow, when the gateway is reached, then a CONDITION_ERROR incident holds the instance; after fixing the variable and resolving, it continues', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive-incident', variables: { priority: 'medium' } });
      const incidents = await t.engine.listIncidents({ processInstanceKey });
      expect(incidents).to.have.length(1);
      expect(incidents[0]!).to.include({ state: 'ACTIVE', errorType: 'CONDITION_ERROR', elementId: 'xor', processInstanceKey, jobKey: null });
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('ACTIVE');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['xor']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_in']);

      await t.engine.setVariables(processInstanceKey, { priority: 'high' });
      await t.engine.resolveIncident(incidents[0]!.incidentKey);

      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'xor', 'end_urgent']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_in', 'f_urgent']);
      const after = await t.engine.listIncidents({ processInstanceKey });
      expect(after.map((i) => i.state)).to.deep.equal(['RESOLVED']);
    });
  });

  describe('parallel gateway', () => {
    beforeEach(() => deploy(t.engine, 'fl-parallel.bpmn'));

    it('given a fork into three branches, when they complete c, a, b, then the join fires once, only after the last, and all branch variables arrive', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-parallel', variables: { applicant: 'Zhang' } });
      expect(await openJobTypes(t, processInstanceKey)).to.deep.equal(['check-a', 'check-b', 'check-c']);

      await completeOne(t, 'check-c', { addressOk: true });
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['check_a', 'check_b']);
      await completeOne(t, 'check-a', { identityOk: true });
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['check_b']);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'decide' })).to.have.length(0);
      expect(await completedPath(t.engine, processInstanceKey)).to.not.include('join');

      await completeOne(t, 'check-b', { creditOk: false });
      expect(await t.engine.listJobs({ processInstanceKey, type: 'decide' })).to.have.length(1);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'fork', 'check_c', 'check_a', 'check_b', 'join']);
      const decide = await oneJob(t.engine, 'decide');
      expect(decide.variables).to.deep.equal({ applicant: 'Zhang', addressOk: true, identityOk: true, creditOk: false });

      await t.engine.completeJob(decide.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      const flows = await takenFlows(t.engine, processInstanceKey);
      expect(flows.slice(0, 4)).to.deep.equal(['f_start', 'f_a', 'f_b', 'f_c']);
      expect(flows.slice(4)).to.deep.equal(['f_c_join', 'f_a_join', 'f_b_join', 'f_decide', 'f_end']);
    });

    it('given the branches complete in another order (b, a, c), then the join still fires exactly once, after c', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-parallel' });
      await completeOne(t, 'check-b');
      await completeOne(t, 'check-a');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'decide' })).to.have.length(0);
      await completeOne(t, 'check-c');
      await completeOne(t, 'decide');
      const path = await completedPath(t.engine, processInstanceKey);
      expect(path).to.deep.equal(['start', 'fork', 'check_b', 'check_a', 'check_c', 'join', 'decide', 'end']);
      expect(count(path, 'join')).to.equal(1);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });
  });

  describe('inclusive gateway', () => {
    beforeEach(() => deploy(t.engine, 'fl-inclusive.bpmn', 'fl-inclusive-escape.bpmn', 'fl-inclusive-long.bpmn'));

    it('given two of three conditions true, when the fork is reached, then only those branches start and the join waits for both', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-inclusive', variables: { courses: ['pasta', 'salad'] } });
      expect(await openJobTypes(t, processInstanceKey)).to.deep.equal(['cook-pasta', 'make-salad']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.deep.equal(['f_start', 'f_pasta', 'f_salad']);

      await completeOne(t, 'make-salad');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['cook_pasta']);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'serve' })).to.have.length(0);

      await completeOne(t, 'cook-pasta');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'serve' })).to.have.length(1);
      await completeOne(t, 'serve');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'fork', 'make_salad', 'cook_pasta', 'join', 'serve', 'end']);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'fry-steak' })).to.have.length(0);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given all three conditions true, then the join waits for all three branches', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-inclusive', variables: { courses: ['steak', 'pasta', 'salad'] } });
      expect(await openJobTypes(t, processInstanceKey)).to.deep.equal(['cook-pasta', 'fry-steak', 'make-salad']);
      await completeOne(t, 'cook-pasta');
      await completeOne(t, 'make-salad');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'serve' })).to.have.length(0);
      await completeOne(t, 'fry-steak');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'serve' })).to.have.length(1);
      expect(count(await completedPath(t.engine, processInstanceKey), 'join')).to.equal(1);
    });

    it('given a branch that ended at another end event, when the other branch arrives, then the join fires without waiting for it', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-inclusive-escape', variables: { needDocs: true, needSite: true } });
      await completeOne(t, 'check-site', { siteOk: false });
      expect(await completedPath(t.engine, processInstanceKey)).to.include('end_rejected');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['check_docs']);

      await completeOne(t, 'check-docs');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'approve' })).to.have.length(1);
      await completeOne(t, 'approve');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal([
        'start',
        'fork',
        'check_site',
        'site_ok',
        'end_rejected',
        'check_docs',
        'join',
        'approve',
        'end',
      ]);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given one branch already waiting at the join, when the other branch turns off to an end event, then the join fires (no path to it is left)', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-inclusive-escape', variables: { needDocs: true, needSite: true } });
      await completeOne(t, 'check-docs');
      // the site branch can still reach the join: it must wait
      expect(await t.engine.listJobs({ processInstanceKey, type: 'approve' })).to.have.length(0);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['check_site']);

      await completeOne(t, 'check-site', { siteOk: false });
      expect(await t.engine.listJobs({ processInstanceKey, type: 'approve' })).to.have.length(1);
      const path = await completedPath(t.engine, processInstanceKey);
      expect(path).to.deep.equal(['start', 'fork', 'check_docs', 'check_site', 'site_ok', 'end_rejected', 'join']);
    });

    it('given the site branch that does reach the join, then the join waits for it and fires once', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-inclusive-escape', variables: { needDocs: true, needSite: true } });
      await completeOne(t, 'check-docs');
      await completeOne(t, 'check-site', { siteOk: true });
      expect(await t.engine.listJobs({ processInstanceKey, type: 'approve' })).to.have.length(1);
      const flows = await takenFlows(t.engine, processInstanceKey);
      expect(flows).to.include.members(['f_docs_join', 'f_site_join']);
      expect(flows).to.not.include('f_site_bad');
      expect(count(await completedPath(t.engine, processInstanceKey), 'join')).to.equal(1);
    });

    it('given a branch still on its way through several tasks, then the join waits until that branch arrives', async () => {
      const { processInstanceKey } = await t.engine.createInstance({
        bpmnProcessId: 'fl-inclusive-long',
        variables: { quick: true, deep: true, audit: false },
      });
      expect(await openJobTypes(t, processInstanceKey)).to.deep.equal(['deep-prepare', 'quick-check']);

      await completeOne(t, 'quick-check');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'finish' })).to.have.length(0);
      await completeOne(t, 'deep-prepare');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['deep_review']);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'finish' })).to.have.length(0);

      await completeOne(t, 'deep-review');
      expect(await t.engine.listJobs({ processInstanceKey, type: 'finish' })).to.have.length(1);
      await completeOne(t, 'finish');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal([
        'start',
        'fork',
        'quick_check',
        'deep_prepare',
        'deep_review',
        'join',
        'finish',
        'end',
      ]);
      expect(await takenFlows(t.engine, processInstanceKey)).to.not.include('f_audit');
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });
  });

  describe('event-based gateway', () => {
    beforeEach(() => deploy(t.engine, 'fl-event-gateway.bpmn'));

    it('given the gateway waits, then it holds one message subscription and one timer', async () => {
      const started = t.clock.now();
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-event-gateway', variables: { requestId: 'r-1' } });
      const subs = await t.engine.listSubscriptions(processInstanceKey);
      expect(subs.map((s) => ({ kind: s.kind, name: s.name, correlationKey: s.correlationKey }))).to.deep.equal([
        { kind: 'message', name: 'approval', correlationKey: 'r-1' },
      ]);
      const timers = await t.engine.listTimers({ processInstanceKey });
      expect(timers.map((x) => ({ elementId: x.elementId, dueAt: x.dueAt }))).to.deep.equal([{ elementId: 'timeout', dueAt: started + HOUR }]);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['ebg']);
    });

    it('given the message arrives before the timer, then the message path is taken, its variables arrive, and the timer is gone', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-event-gateway', variables: { requestId: 'r-1' } });
      await t.clock.advance(30 * MINUTE);
      await t.engine.publishMessage({ name: 'approval', correlationKey: 'r-1', variables: { approvedBy: 'Li' } });

      expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'ebg', 'approved']);
      const job = await oneJob(t.engine, 'process-approval');
      expect(job.variables).to.deep.equal({ requestId: 'r-1', approvedBy: 'Li' });

      await t.clock.advance(2 * HOUR);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'handle-timeout' })).to.have.length(0);
      await t.engine.completeJob(job.key);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'ebg', 'approved', 'process_approval', 'end_approved']);
      expect(await takenFlows(t.engine, processInstanceKey)).to.not.include('f_timer');
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given the message was published (with a time to live) before the gateway is reached, then it correlates at once and no timer is left behind', async () => {
      await t.engine.publishMessage({ name: 'approval', correlationKey: 'r-3', variables: { approvedBy: 'early' }, timeToLiveMs: HOUR });
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-event-gateway', variables: { requestId: 'r-3' } });

      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'ebg', 'approved']);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);
      expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
      const job = await oneJob(t.engine, 'process-approval');
      expect(job.variables).to.deep.equal({ requestId: 'r-3', approvedBy: 'early' });
      await t.clock.advance(2 * HOUR);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'handle-timeout' })).to.have.length(0);
    });

    it('given the timer is due before any message, then the timer path is taken and the message subscription is gone', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-event-gateway', variables: { requestId: 'r-2' } });
      await t.clock.advance(HOUR - 1);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'handle-timeout' })).to.have.length(0);
      await t.clock.advance(1);

      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);
      expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'ebg', 'timeout']);
      expect(await jobsOf(t.engine, 'handle-timeout')).to.have.length(1);

      await t.engine.publishMessage({ name: 'approval', correlationKey: 'r-2', variables: { approvedBy: 'late' } });
      expect(await t.engine.listJobs({ processInstanceKey, type: 'process-approval' })).to.have.length(0);
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ requestId: 'r-2' });
    });
  });
});
