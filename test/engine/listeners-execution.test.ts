import { expect } from 'chai';
import { completedPath, deploy, jobsOf, MINUTE, oneJob, openTestEngine, refusal, terminated, type TestEngine } from './support/harness.js';

const bpmn = (id: string, body: string) => ({
  name: `${id}.bpmn`,
  xml: `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_${id}" targetNamespace="t">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`,
});
const listeners = (...l: Array<[string, string]>) =>
  `<bpmn:extensionElements><zeebe:executionListeners>${l.map(([e, t]) => `<zeebe:executionListener eventType="${e}" type="${t}" />`).join('')}</zeebe:executionListeners></bpmn:extensionElements>`;

/**
 * Execution listeners as Camunda 8.8 documents them (docs, *Execution listeners*): jobs the element waits for, start
 * listeners after the input mappings and before the element's behaviour, end listeners after the output mappings.
 */
describe('engine / execution listeners', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'el-listeners.bpmn', 'el-listener-boundary.bpmn');
  });
  afterEach(() => t.close());

  /** Completes the one job of `type`, returning what its worker saw. */
  async function complete(type: string, variables: Record<string, unknown> = {}) {
    const job = await oneJob(t.engine, type);
    await t.engine.completeJob(job.key, variables);
    return job;
  }

  it('given listeners on the process, an event, a task and a gateway, when the instance runs, then each listener is a job the element waits for, in model order, with the variables the docs give it', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'el-listeners', variables: { base: 1 } });
    // the process start listener runs before the start event
    expect(await completedPath(t.engine, pi)).to.deep.equal([]);
    const procStart = await complete('proc-start', { path: 'b' });
    expect(procStart).to.include({ kind: 'EXECUTION_LISTENER', listenerEventType: 'START', elementId: 'el-listeners' });
    await complete('start-end');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start']);

    // start listeners: after the input mapping, one after the other, before the element's own job
    expect(await jobsOf(t.engine, 'check-start-2')).to.have.length(0);
    expect(await jobsOf(t.engine, 'check')).to.have.length(0);
    const first = await complete('check-start-1', { fromListener: 'one' });
    expect(first.variables).to.include({ base: 1, local: 2 });
    expect(first.customHeaders, 'the element headers reach the listener').to.deep.equal({ unit: 'D-CGJ' });
    const second = await complete('check-start-2');
    expect(second.variables, 'a later listener sees what the earlier one set').to.include({ fromListener: 'one', local: 2 });
    const work = await oneJob(t.engine, 'check');
    expect(work.kind).to.equal('BPMN_ELEMENT');
    expect(work.listenerEventType).to.equal(null);
    expect(work.variables).to.include({ fromListener: 'one', local: 2 });
    await t.engine.completeJob(work.key, { result: 4 });

    // end listener: after the output mapping, before the element leaves; its variables go up like outputs
    expect(await jobsOf(t.engine, 'route-start')).to.have.length(0);
    const end = await complete('check-end', { path: 'a' });
    expect(end.variables).to.include({ out: 40 });
    expect(end.listenerEventType).to.equal('END');
    // the gateway's start listener may decide the way (docs: "calculate and set variables that determine the outgoing path")
    await complete('route-start');
    await complete('endA-start');
    expect((await t.engine.getInstance(pi))!.state, 'the process end listener still runs').to.equal('ACTIVE');
    await complete('proc-end', { closed: true });
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'check', 'route', 'endA']);

    const history = await t.engine.history(pi);
    const vars = history.filter((h) => h.intent === 'VARIABLE_CREATED').map((h) => (h.payload as { name: string }).name);
    expect(vars).to.include.members(['fromListener', 'out', 'closed']);
    const created = history.filter((h) => h.intent === 'JOB_CREATED').map((h) => (h.payload as { type: string }).type);
    expect(created).to.deep.equal(['proc-start', 'start-end', 'check-start-1', 'check-start-2', 'check', 'check-end', 'route-start', 'endA-start', 'proc-end']);
  });

  it('given a start listener variable local to the task, when the task completes, then the variable stays with the task and the process does not see it', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'el-listeners', variables: { base: 1, path: 'b' } });
    await complete('proc-start');
    await complete('start-end');
    await complete('check-start-1', { fromListener: 'one' });
    await complete('check-start-2');
    await complete('check', { result: 1 });
    await complete('check-end');
    await complete('route-start');
    const procEnd = await oneJob(t.engine, 'proc-end');
    expect(procEnd.variables).to.include({ base: 1, out: 10, path: 'b' });
    expect(procEnd.variables).to.not.have.property('fromListener');
    await t.engine.completeJob(procEnd.key);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'check', 'route', 'endB']);
  });

  it('given a listener job that fails without retries, when the incident is resolved, then only that listener runs again and the ones before it are not repeated', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'el-listeners', variables: { base: 1 } });
    await complete('proc-start');
    await complete('start-end');
    await complete('check-start-1');
    const failing = await oneJob(t.engine, 'check-start-2');
    await t.engine.failJob(failing.key, { retries: 0, errorMessage: 'service down' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pi, state: 'ACTIVE' });
    expect(incident).to.include({ errorType: 'EXECUTION_LISTENER_NO_RETRIES', elementId: 'check', errorMessage: 'service down' });

    await t.engine.updateJobRetries(failing.key, 1);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect(await jobsOf(t.engine, 'check-start-1')).to.have.length(0);
    await complete('check-start-2');
    expect(await jobsOf(t.engine, 'check')).to.have.length(1);
    const starts = (await t.engine.history(pi)).filter((h) => h.intent === 'JOB_CREATED' && (h.payload as { type: string }).type === 'check-start-1');
    expect(starts).to.have.length(1);
  });

  it('given a listener whose job type expression fails, when the incident is resolved after the variable is set, then every start listener of the element runs again from the first', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'el-listener-boundary', variables: { limit: 'PT1H' } });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pi, state: 'ACTIVE' });
    expect(incident).to.include({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'work' });
    expect(incident!.errorMessage).to.contain('start execution listener of work');
    await t.engine.setVariables(pi, { kind: 'intake' });
    await t.engine.resolveIncident(incident!.incidentKey);
    await complete('work-intake');
    expect(await t.engine.listIncidents({ processInstanceKey: pi, state: 'ACTIVE' })).to.deep.equal([]);
    // no boundary timer before the start listeners completed (docs: before subscribing to events)
    expect(await t.engine.listTimers()).to.have.length(0);
    await complete('work-deadline', { limit: 'PT10M' });
    const [timer] = await t.engine.listTimers();
    expect(timer!.dueAt, 'the boundary timer reads the variable the listener set').to.equal(t.clock.now() + 10 * MINUTE);
    await t.clock.advance(10 * MINUTE);
    await complete('deadline-end');
    expect(await terminated(t.engine, pi)).to.deep.equal(['work']);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'deadline', 'late']);
  });

  it('given a listener job, when the instance is cancelled or a worker throws a BPMN error for it, then the job is gone with the element, and the error is refused', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'el-listener-boundary', variables: { kind: 'x', limit: 'PT1H' } });
    const job = await oneJob(t.engine, 'work-x');
    expect((await refusal(t.engine.throwError(job.key, { errorCode: 'E' }))).code).to.equal('INVALID_STATE');
    await t.engine.cancelInstance(pi);
    expect(await t.engine.listJobs({ processInstanceKey: pi })).to.deep.equal([]);
    expect((await refusal(t.engine.completeJob(job.key))).code).to.equal('NOT_FOUND');
  });

  it('given listeners Camunda 8.8 does not run (start on a start or boundary event, end on a gateway or an error end event, a duplicate), when deployed, then the deployment is refused naming each', async () => {
    const bad = bpmn(
      'el-bad',
      `
      <bpmn:startEvent id="s">${listeners(['start', 'a'])}</bpmn:startEvent>
      <bpmn:serviceTask id="task">${listeners(['start', 'b'], ['start', 'b']).replace('<bpmn:extensionElements>', '<bpmn:extensionElements><zeebe:taskDefinition type="t" />')}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="b" attachedToRef="task">${listeners(['start', 'c'])}<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:parallelGateway id="g">${listeners(['end', 'd'])}</bpmn:parallelGateway>
      <bpmn:endEvent id="e">${listeners(['end', 'e'])}<bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>
      <bpmn:endEvent id="x">${listeners(['middle', 'f'])}</bpmn:endEvent>`,
    );
    bad.xml = bad.xml.replace('</bpmn:definitions>', '<bpmn:error id="err" errorCode="E1" /></bpmn:definitions>');
    const err = await refusal(t.engine.deploy([bad]));
    expect(err.code).to.equal('DEPLOY_REJECTED');
    const problems = err.details as Array<{ elementId: string; message: string }>;
    const byElement = (id: string) =>
      problems
        .filter((p) => p.elementId === id)
        .map((p) => p.message)
        .join(' | ');
    expect(byElement('s')).to.contain("Execution listeners of type 'start' are not supported by start events");
    expect(byElement('b')).to.contain("Execution listeners of type 'start' are not supported by boundary events");
    expect(byElement('g')).to.contain("Execution listeners of type 'end' are not supported by parallel gateways");
    expect(byElement('e')).to.contain("Execution listeners of type 'end' are not supported by error end events");
    expect(byElement('task')).to.contain('unique combinations of eventType and type');
    expect(byElement('x')).to.contain("event type 'middle'");
  });
});
