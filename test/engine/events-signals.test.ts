import { expect } from 'chai';
import { activeElements, completedPath, deploy, jobsOf, oneJob, openTestEngine, takenFlows, terminated, type TestEngine } from './support/harness.js';

describe('engine / events: signal start event', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-signal-start.bpmn');
  });
  afterEach(() => t.close());

  it('given a process with a signal start event, when the signal is broadcast twice, then two instances start, each with the signal variables', async () => {
    await t.engine.broadcastSignal({ name: 'districtAlarm', variables: { level: 2, district: '东城' } });
    const [first] = await t.engine.listInstances({ bpmnProcessId: 'ev-signal-start' });
    expect(first!.state).to.equal('ACTIVE');
    expect(await t.engine.getVariables(first!.processInstanceKey)).to.deep.equal({ level: 2, district: '东城' });
    expect(await completedPath(t.engine, first!.processInstanceKey)).to.deep.equal(['alarmStart']);
    expect(await activeElements(t.engine, first!.processInstanceKey)).to.deep.equal(['dispatch']);

    await t.engine.broadcastSignal({ name: 'districtAlarm', variables: { level: 3 } });
    const both = await t.engine.listInstances({ bpmnProcessId: 'ev-signal-start' });
    expect(both).to.have.length(2);
    expect(await t.engine.getVariables(both[1]!.processInstanceKey)).to.deep.equal({ level: 3 });
    expect(await t.engine.listJobs({ type: 'dispatch' })).to.have.length(2);
  });

  it('given a process with a signal start event, when another signal is broadcast, then no instance starts', async () => {
    await t.engine.broadcastSignal({ name: 'districtAlarmCancelled' });
    expect(await t.engine.listInstances({ bpmnProcessId: 'ev-signal-start' })).to.deep.equal([]);
  });
});

describe('engine / events: signal intermediate catch events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-signal-catch.bpmn');
  });
  afterEach(() => t.close());

  const start = async () => (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-catch' })).processInstanceKey;

  it('given three instances waiting for the alarm, when it is broadcast once, then all three receive it with its variables; an instance started later is not reached (signals are not buffered)', async () => {
    const keys = [await start(), await start(), await start()];
    for (const k of keys)
      expect((await t.engine.listSubscriptions(k)).map((s) => [s.kind, s.name, s.elementId])).to.deep.equal([['signal', 'alarmRaised', 'alarm']]);
    await t.engine.broadcastSignal({ name: 'alarmRaised', variables: { level: 3 } });
    for (const k of keys) {
      expect(await activeElements(t.engine, k)).to.deep.equal(['allClear']);
      expect(await t.engine.getVariables(k)).to.deep.equal({ level: 3 });
      expect(await completedPath(t.engine, k)).to.deep.equal(['start', 'alarm']);
      expect((await t.engine.listSubscriptions(k)).map((s) => s.name)).to.deep.equal(['allClear']);
    }
    const late = await start();
    expect(await activeElements(t.engine, late)).to.deep.equal(['alarm']);

    await t.engine.broadcastSignal({ name: 'allClear' });
    for (const k of keys) expect(await activeElements(t.engine, k)).to.deep.equal(['report']);
    expect(await activeElements(t.engine, late)).to.deep.equal(['alarm']);
    expect(await t.engine.listJobs({ type: 'report' })).to.have.length(3);
  });
});

describe('engine / events: signal boundary events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-signal-boundary.bpmn');
  });
  afterEach(() => t.close());

  it('given two cases at work, when a status request is broadcast, then each reports status beside its work; when a recall is broadcast, then both works are terminated', async () => {
    const a = (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-boundary' })).processInstanceKey;
    const b = (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-boundary' })).processInstanceKey;
    await t.engine.broadcastSignal({ name: 'statusRequested', variables: { requestedBy: 'centre' } });
    for (const k of [a, b]) {
      expect(await activeElements(t.engine, k)).to.deep.equal(['reportStatus', 'work']);
      expect(await t.engine.getVariables(k)).to.deep.equal({ requestedBy: 'centre' });
    }

    await t.engine.broadcastSignal({ name: 'recallAll' });
    for (const k of [a, b]) {
      expect(await activeElements(t.engine, k)).to.deep.equal(['reportStatus']);
      expect((await t.engine.listJobs({ processInstanceKey: k })).map((j) => j.type)).to.deep.equal(['report-status']);
      expect(await terminated(t.engine, k)).to.deep.equal(['work']);
      expect(await t.engine.listSubscriptions(k)).to.deep.equal([]);
    }
    for (const job of await jobsOf(t.engine, 'report-status')) await t.engine.completeJob(job.key, {});
    for (const k of [a, b]) {
      expect((await t.engine.getInstance(k))!.state).to.equal('COMPLETED');
      expect(await completedPath(t.engine, k)).to.deep.equal(['start', 'statusRequested', 'recalled', 'recalledEnd', 'reportStatus', 'statusEnd']);
      expect(await takenFlows(t.engine, k)).to.deep.equal(['f1', 'fStatus', 'fRecalled', 'fStatusDone']);
    }
  });
});

describe('engine / events: signal throw and end events broadcast to other processes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-signal-catch.bpmn', 'ev-signal-throw.bpmn');
  });
  afterEach(() => t.close());

  it('given two instances waiting for the alarm, when another process throws it and later ends with all-clear, then both waiting instances receive each signal', async () => {
    const catchers = [
      (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-catch' })).processInstanceKey,
      (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-catch' })).processInstanceKey,
    ];
    const { processInstanceKey: thrower } = await t.engine.createInstance({ bpmnProcessId: 'ev-signal-throw', variables: { severity: 'high' } });
    expect(await activeElements(t.engine, thrower)).to.deep.equal(['handleAlarm']);
    expect(await completedPath(t.engine, thrower)).to.deep.equal(['start', 'raiseAlarm']);
    for (const k of catchers) expect(await activeElements(t.engine, k)).to.deep.equal(['allClear']);

    await t.engine.completeJob((await oneJob(t.engine, 'handle-alarm')).key, {});
    expect((await t.engine.getInstance(thrower))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, thrower)).to.deep.equal(['start', 'raiseAlarm', 'handleAlarm', 'clear']);
    for (const k of catchers) {
      expect(await activeElements(t.engine, k)).to.deep.equal(['report']);
      expect(await completedPath(t.engine, k)).to.deep.equal(['start', 'alarm', 'allClear']);
    }
  });

  it('given a signal throw event with an input mapping level = severity, when it broadcasts, then its local variables travel with the signal into the catching instances', async () => {
    const catcher = (await t.engine.createInstance({ bpmnProcessId: 'ev-signal-catch' })).processInstanceKey;
    await t.engine.createInstance({ bpmnProcessId: 'ev-signal-throw', variables: { severity: 'high' } });
    expect(await activeElements(t.engine, catcher)).to.deep.equal(['allClear']);
    expect(await t.engine.getVariables(catcher)).to.deep.equal({ level: 'high' });
  });
});
