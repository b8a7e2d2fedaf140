import { expect } from 'chai';
import { activeElements, completedPath, deploy, HOUR, jobsOf, oneJob, openTestEngine, terminated, type TestEngine } from './support/harness.js';
import { chain, definitions, processElement } from './support/bpmn-xml.js';

/** A message event sub-process (correlation key `= orderId`) in the process, or in an embedded sub-process `inner`. */
function keyedEventSubProcess(id: string, where: 'process' | 'subProcess'): string {
  const esp =
    '<bpmn:subProcess id="esp" triggeredByEvent="true">' +
    chain(
      '<bpmn:startEvent id="esp_start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m_cancel" /></bpmn:startEvent>',
      '<bpmn:endEvent id="esp_end" />',
    ) +
    '</bpmn:subProcess>';
  const work = '<bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="esp-work" /></bpmn:extensionElements></bpmn:serviceTask>';
  const body =
    where === 'process'
      ? chain('<bpmn:startEvent id="start" />', work, '<bpmn:endEvent id="end" />') + esp
      : chain(
          '<bpmn:startEvent id="start" />',
          `<bpmn:subProcess id="inner">${chain('<bpmn:startEvent id="inner_start" />', work, '<bpmn:endEvent id="inner_end" />')}${esp}</bpmn:subProcess>`,
          '<bpmn:endEvent id="end" />',
        ) +
        '<bpmn:boundaryEvent id="reminder" attachedToRef="inner" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>';
  const message =
    '<bpmn:message id="m_cancel" name="cancel"><bpmn:extensionElements><zeebe:subscription correlationKey="= orderId" /></bpmn:extensionElements></bpmn:message>';
  return definitions(id, processElement(id, body) + message);
}

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
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'remind_start', 'remind', 'remind_end', 'esp_remind', 'work', 'end']);
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

    it('given a message event sub-process whose correlation key is missing, when the instance is created, then it is created with an EXTRACT_VALUE_ERROR incident on the process, and resolving it after setting the key starts the flow', async () => {
      await t.engine.deploy([{ name: 'esp-key.bpmn', xml: keyedEventSubProcess('esp_key', 'process') }]);
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'esp_key' });

      const [incident, ...more] = await t.engine.listIncidents({ processInstanceKey });
      expect(more).to.deep.equal([]);
      expect([incident!.elementId, incident!.errorType]).to.deep.equal(['esp_key', 'EXTRACT_VALUE_ERROR']);
      expect(incident!.errorMessage).to.contain('correlation key of esp_start');
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal([]);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);

      await t.engine.setVariables(processInstanceKey, { orderId: 'o-7' });
      await t.engine.resolveIncident(incident!.incidentKey);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['work']);
      expect((await t.engine.listSubscriptions(processInstanceKey)).map((s) => [s.elementId, s.correlationKey])).to.deep.equal([['esp_start', 'o-7']]);
      await t.engine.completeJob((await oneJob(t.engine, 'esp-work')).key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given an embedded sub-process whose event sub-process has a missing correlation key, when it is entered, then the incident is on the sub-process with nothing inside or on it started, and resolving it runs the sub-process once with one boundary timer', async () => {
      await t.engine.deploy([{ name: 'esp-key-inner.bpmn', xml: keyedEventSubProcess('esp_key_inner', 'subProcess') }]);
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'esp_key_inner' });

      const [incident] = await t.engine.listIncidents({ processInstanceKey });
      expect([incident!.elementId, incident!.errorType]).to.deep.equal(['inner', 'EXTRACT_VALUE_ERROR']);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['inner']);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.deep.equal([]);
      expect(await t.engine.listTimers({ processInstanceKey }), 'the boundary timer waits for the activation').to.deep.equal([]);

      await t.engine.setVariables(processInstanceKey, { orderId: 'o-8' });
      await t.engine.resolveIncident(incident!.incidentKey);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['inner', 'work']);
      expect(await t.engine.listSubscriptions(processInstanceKey)).to.have.length(1);
      expect(await t.engine.listTimers({ processInstanceKey }), 'one boundary timer').to.have.length(1);
      await t.engine.completeJob((await oneJob(t.engine, 'esp-work')).key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
      expect((await completedPath(t.engine, processInstanceKey)).filter((id) => id === 'inner')).to.have.length(1);
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
