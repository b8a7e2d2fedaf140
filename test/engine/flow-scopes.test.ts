import { expect } from 'chai';
import {
  activeElements, completedPath, deploy, HOUR, jobsOf, oneJob, openTestEngine, terminated, type TestEngine,
} from './support/harness.js';

async function elementKey(t: TestEngine, processInstanceKey: string, elementId: string): Promise<string> {
  const found = (await t.engine.listElementInstances(processInstanceKey)).filter((e) => e.elementId === elementId);
  if (found.length !== 1) throw new Error(`expected one active '${elementId}', found ${found.length}`);
  return found[0]!.elementInstanceKey;
}

describe('engine / scopes: embedded and event sub-processes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  describe('embedded sub-process', () => {
    beforeEach(() => deploy(t.engine, 'fl-subprocess.bpmn'));

    it('given input mappings, when the sub-process runs, then they are local to its scope and shadow process variables of the same name', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-subprocess', variables: { order: { amount: 10 }, status: 'new' } });
      const subKey = await elementKey(t, processInstanceKey, 'calc_sub');
      expect(await t.engine.getVariables(subKey)).to.deep.equal({ amount: 10, status: 'draft' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ order: { amount: 10 }, status: 'new' });

      const job = await oneJob(t.engine, 'calc');
      expect(job.variables).to.deep.equal({ order: { amount: 10 }, amount: 10, status: 'draft' });
    });

    it('given a job updating the local variables, when the sub-process completes, then only the output mapping reaches the process and the locals are gone', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-subprocess', variables: { order: { amount: 10 }, status: 'new' } });
      const subKey = await elementKey(t, processInstanceKey, 'calc_sub');
      const job = await oneJob(t.engine, 'calc');
      await t.engine.completeJob(job.key, { amount: 25, status: 'calculated' });

      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'sub_start', 'calc', 'sub_end', 'calc_sub']);
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ order: { amount: 10 }, status: 'new', total: 25 });
      expect(await t.engine.getVariables(subKey)).to.deep.equal({});
      const review = await oneJob(t.engine, 'review');
      expect(review.variables).to.deep.equal({ order: { amount: 10 }, status: 'new', total: 25 });
      await t.engine.completeJob(review.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });
  });

  describe('event sub-processes', () => {
    it('given an interrupting message event sub-process, when its message arrives, then the main flow is cancelled and the sub-process runs to the end', async () => {
      await deploy(t.engine, 'fl-esp-message.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-message', variables: { caseId: 'c-1' } });
      expect((await t.engine.listSubscriptions(processInstanceKey)).map((s) => [s.name, s.correlationKey])).to.deep.equal([['case-cancelled', 'c-1']]);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'handle-case' })).to.have.length(1);

      await t.engine.publishMessage({ name: 'case-cancelled', correlationKey: 'c-1', variables: { cancelReason: 'duplicate' } });

      expect(await t.engine.listJobs({ processInstanceKey, type: 'handle-case' })).to.have.length(0);
      expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['handle']);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);
      const cleanup = await oneJob(t.engine, 'cleanup');
      expect(cleanup.variables).to.deep.equal({ caseId: 'c-1', cancelReason: 'duplicate' });
      await t.engine.completeJob(cleanup.key);

      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'cancel_start', 'cleanup', 'cancel_end', 'esp_cancel']);
    });

    it('given a message for another case, when it is published, then the event sub-process does not start', async () => {
      await deploy(t.engine, 'fl-esp-message.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-message', variables: { caseId: 'c-1' } });
      await t.engine.publishMessage({ name: 'case-cancelled', correlationKey: 'c-2' });
      expect(await t.engine.listJobs({ processInstanceKey, type: 'cleanup' })).to.have.length(0);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['handle']);
    });

    it('given a non-interrupting timer event sub-process, when the timer fires, then it runs alongside the main flow, once, and both must finish', async () => {
      await deploy(t.engine, 'fl-esp-timer.bpmn');
      const started = t.clock.now();
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-timer' });
      expect((await t.engine.listTimers({ processInstanceKey })).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['remind_start', started + HOUR]]);

      await t.clock.advance(HOUR);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'remind' })).to.have.length(1);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'slow-work' })).to.have.length(1);
      expect(await terminated(t.engine, processInstanceKey)).to.deep.equal([]);
      expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);

      await t.clock.advance(3 * HOUR);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'remind' })).to.have.length(1);

      const remind = await oneJob(t.engine, 'remind');
      await t.engine.completeJob(remind.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('ACTIVE');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['work']);

      const work = await oneJob(t.engine, 'slow-work');
      await t.engine.completeJob(work.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(
        ['start', 'remind_start', 'remind', 'remind_end', 'esp_remind', 'work', 'end'],
      );
    });

    it('given the non-interrupting reminder is still running when the main flow ends, then the instance waits for it', async () => {
      await deploy(t.engine, 'fl-esp-timer.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-timer' });
      await t.clock.advance(HOUR);
      const work = await oneJob(t.engine, 'slow-work');
      await t.engine.completeJob(work.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('ACTIVE');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['esp_remind', 'remind']);

      const remind = await oneJob(t.engine, 'remind');
      await t.engine.completeJob(remind.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given a timer event sub-process, when the main flow finishes before the timer, then the instance completes and its timer is removed', async () => {
      await deploy(t.engine, 'fl-esp-timer.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-timer' });
      const work = await oneJob(t.engine, 'slow-work');
      await t.engine.completeJob(work.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
      await t.clock.advance(2 * HOUR);
      expect(await t.engine.listJobs({ type: 'remind' })).to.deep.equal([]);
    });

    it('given an error event sub-process, when the job throws the matching BPMN error, then the task is terminated and the handler sees the error variables', async () => {
      await deploy(t.engine, 'fl-esp-error.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-error', variables: { orderId: 'o-7' } });
      const charge = await oneJob(t.engine, 'charge');
      await t.engine.throwError(charge.key, { errorCode: 'PAYMENT_FAILED', errorMessage: 'card declined', variables: { reason: 'card declined' } });

      expect(await t.engine.listIncidents({ processInstanceKey })).to.deep.equal([]);
      expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['pay']);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'charge' })).to.have.length(0);
      const notify = await oneJob(t.engine, 'notify-customer');
      // Zeebe moves the error's variables to the event sub-process start event, whose completion merges them upwards
      // (unlike an error boundary event, which keeps them to itself)
      expect(notify.variables).to.deep.equal({ orderId: 'o-7', reason: 'card declined' });
      await t.engine.completeJob(notify.key);

      expect(await t.engine.listJobs({ processInstanceKey, type: 'ship' })).to.have.length(0);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'payment_failed', 'notify_customer', 'failed_end', 'esp_payment']);
    });

    it('given an error code nobody catches, when the job throws it, then an UNHANDLED_ERROR_EVENT incident is raised and the event sub-process does not start', async () => {
      await deploy(t.engine, 'fl-esp-error.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-error' });
      const charge = await oneJob(t.engine, 'charge');
      await t.engine.throwError(charge.key, { errorCode: 'SOMETHING_ELSE' });
      const incidents = await t.engine.listIncidents({ processInstanceKey });
      expect(incidents.map((i) => [i.errorType, i.elementId])).to.deep.equal([['UNHANDLED_ERROR_EVENT', 'pay']]);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'notify-customer' })).to.have.length(0);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['pay']);
    });

    it('given a non-interrupting escalation event sub-process, when the flow throws the escalation, then the handler runs and the main flow continues', async () => {
      await deploy(t.engine, 'fl-esp-escalation.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-esp-escalation' });
      expect(await jobsOf(t.engine, 'notify-supervisor')).to.have.length(1);
      expect(await t.engine.listJobs({ processInstanceKey, type: 'esc-work' })).to.have.length(1);
      expect(await terminated(t.engine, processInstanceKey)).to.deep.equal([]);
      expect(await completedPath(t.engine, processInstanceKey)).to.include.members(['start', 'raise_late', 'late_start']);

      const work = await oneJob(t.engine, 'esc-work');
      await t.engine.completeJob(work.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('ACTIVE');
      const [notify] = await t.engine.listJobs({ processInstanceKey, type: 'notify-supervisor' });
      await t.engine.completeJob(notify!.jobKey);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      const path = await completedPath(t.engine, processInstanceKey);
      expect(path.indexOf('raise_late')).to.be.lessThan(path.indexOf('work'));
      expect(path).to.include.members(['notify_supervisor', 'late_end', 'esp_late', 'end']);
    });
  });
});
