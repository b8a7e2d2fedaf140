import { expect } from 'chai';
import {
  activeElements,
  completedPath,
  DAY,
  deploy,
  fixture,
  HOUR,
  jobsOf,
  MINUTE,
  oneJob,
  openTask,
  openTestEngine,
  takenFlows,
  terminated,
  refusalCode,
  type TestEngine,
} from './support/harness.js';

describe('engine / events: interrupting timer boundary with a duration (PT4H)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-timer-boundary.bpmn');
  });
  afterEach(() => t.close());

  it('given a review with a 4-hour timer, when 3h59m pass, then nothing happens; when the 4th hour ends, then the review is terminated and the timeout path is taken', async () => {
    const t0 = t.clock.now();
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-boundary' });
    const timers = await t.engine.listTimers({ processInstanceKey: pik });
    expect(timers.map((x) => ({ elementId: x.elementId, dueAt: x.dueAt }))).to.deep.equal([{ elementId: 'reviewTimeout', dueAt: t0 + 4 * HOUR }]);

    await t.clock.advance(3 * HOUR + 59 * MINUTE);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['review']);
    expect((await t.engine.listJobs({ processInstanceKey: pik })).map((j) => j.elementId)).to.deep.equal(['review']);
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.have.length(1);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');

    await t.clock.advance(MINUTE);
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await terminated(t.engine, pik)).to.deep.equal(['review']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'reviewTimeout', 'timedOut']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'fTimeout']);
    const instance = (await t.engine.getInstance(pik))!;
    expect(instance.state).to.equal('COMPLETED');
    expect(instance.endedAt).to.equal(t0 + 4 * HOUR);
  });

  it('given a review waiting on its timer, when the engine restarts before the due time, then the timer still fires at 4 hours', async () => {
    const t0 = t.clock.now();
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-boundary' });
    await t.clock.advance(2 * HOUR);
    await t.restart();
    expect((await t.engine.listTimers({ processInstanceKey: pik })).map((x) => x.dueAt)).to.deep.equal([t0 + 4 * HOUR]);
    await t.clock.advance(2 * HOUR);
    expect(await terminated(t.engine, pik)).to.deep.equal(['review']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
  });

  it('given a worker holds the review job, when the timer fires, then completing that job afterwards is refused with NOT_FOUND', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-boundary' });
    const job = await oneJob(t.engine, 'review');
    await t.clock.advance(4 * HOUR);
    expect(await refusalCode(t.engine.completeJob(job.key, { verdict: 'late' }))).to.equal('NOT_FOUND');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'reviewTimeout', 'timedOut']);
  });

  it('given the review is done before the deadline, when the deadline passes, then the timer was cancelled and only the normal path is taken', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-boundary' });
    await t.clock.advance(2 * HOUR);
    await t.engine.completeJob((await oneJob(t.engine, 'review')).key, {});
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.deep.equal([]);
    await t.clock.advance(3 * HOUR);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'review', 'done']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'f2']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);
    expect((await t.engine.history(pik)).filter((h) => h.intent === 'TIMER_TRIGGERED')).to.deep.equal([]);
  });
});

describe('engine / events: non-interrupting timer boundary with a cycle (R3/PT1H)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-timer-cycle.bpmn');
  });
  afterEach(() => t.close());

  it('given a case with hourly reminders, when three hours pass one by one, then three reminder jobs exist, the case keeps waiting, and no fourth reminder ever comes', async () => {
    const t0 = t.clock.now();
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-cycle' });
    const dueTimes = async () => (await t.engine.listTimers({ processInstanceKey: pik })).map((x) => [x.elementId, x.dueAt]);
    expect(await dueTimes()).to.deep.equal([['remindTimer', t0 + HOUR]]);

    for (let i = 1; i <= 3; i++) {
      await t.clock.advance(HOUR);
      expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'send-reminder' }), `reminders after ${i}h`).to.have.length(i);
      expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'handle-case' }), `main job after ${i}h`).to.have.length(1);
      expect(await dueTimes(), `timer after ${i}h`).to.deep.equal(i < 3 ? [['remindTimer', t0 + (i + 1) * HOUR]] : []);
    }
    await t.clock.advance(5 * HOUR);
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'send-reminder' })).to.have.length(3);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handle', 'remind', 'remind', 'remind']);
    expect(await terminated(t.engine, pik)).to.deep.equal([]);

    for (const job of await jobsOf(t.engine, 'send-reminder')) await t.engine.completeJob(job.key, {});
    await t.engine.completeJob((await oneJob(t.engine, 'handle-case')).key, { outcome: 'solved' });
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal([
      'start',
      'remindTimer',
      'remindTimer',
      'remindTimer',
      'remind',
      'reminded',
      'remind',
      'reminded',
      'remind',
      'reminded',
      'handle',
      'done',
    ]);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'fRemind', 'fRemind', 'fRemind', 'fReminded', 'fReminded', 'fReminded', 'f2']);
  });

  it('given one reminder has fired, when the case is handled, then the remaining repetitions are cancelled and the reminder still finishes on its own', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-cycle' });
    await t.clock.advance(HOUR);
    await t.engine.completeJob((await oneJob(t.engine, 'handle-case')).key, {});
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['remind']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');
    await t.clock.advance(3 * HOUR);
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'send-reminder' })).to.have.length(1);
    await t.engine.completeJob((await oneJob(t.engine, 'send-reminder')).key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'remindTimer', 'handle', 'done', 'remind', 'reminded']);
  });
});

describe('engine / events: timer boundary with a FEEL timeDate (= dueAt)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine(Date.parse('2026-03-02T01:00:00Z'));
    await deploy(t.engine, 'ev-timer-date.bpmn');
  });
  afterEach(() => t.close());

  it('given dueAt is a Beijing-time (+08:00) date-time, when the clock reaches that instant, then the user task is cancelled and the case is escalated, not a second earlier', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-date', variables: { dueAt: '2026-03-05T09:00:00+08:00' } });
    const due = Date.parse('2026-03-05T01:00:00Z');
    expect((await t.engine.listTimers({ processInstanceKey: pik })).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['deadline', due]]);
    const task = await openTask(t.engine, pik, 'handle');

    await t.clock.set(due - 1000);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handle']);
    expect((await t.engine.getUserTask(task.userTaskKey))!.state).to.equal('CREATED');

    await t.clock.set(due);
    expect((await t.engine.getUserTask(task.userTaskKey))!.state).to.equal('CANCELED');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['escalate']);
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'escalate-overdue' })).to.have.length(1);
    expect(await terminated(t.engine, pik)).to.deep.equal(['handle']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'deadline']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'fOverdue']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ dueAt: '2026-03-05T09:00:00+08:00' });
  });

  it('given the task is waiting, when dueAt is changed afterwards, then the timer keeps the due date evaluated when the task was entered', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-date', variables: { dueAt: '2026-03-05T09:00:00+08:00' } });
    await t.engine.setVariables(pik, { dueAt: '2026-03-03T09:00:00+08:00' });
    await t.clock.set(Date.parse('2026-03-04T01:00:00Z'));
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handle']);
    expect((await t.engine.listTimers({ processInstanceKey: pik })).map((x) => x.dueAt)).to.deep.equal([Date.parse('2026-03-05T01:00:00Z')]);
    await t.clock.set(Date.parse('2026-03-05T01:00:00Z'));
    expect(await activeElements(t.engine, pik)).to.deep.equal(['escalate']);
  });

  it('given dueAt is already in the past when the task is entered, when the scheduler next runs, then the deadline fires at once', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-date', variables: { dueAt: '2026-03-01T09:00:00+08:00' } });
    await t.clock.advance(0);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['escalate']);
    expect(await terminated(t.engine, pik)).to.deep.equal(['handle']);
  });

  it('given no dueAt variable, when the task is entered, then an EXTRACT_VALUE_ERROR incident is raised on the task and no user task is created', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-date' });
    const incidents = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incidents.map((i) => [i.elementId, i.errorType, i.state])).to.deep.equal([['handle', 'EXTRACT_VALUE_ERROR', 'ACTIVE']]);
    expect(await t.engine.listUserTasks({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.deep.equal([]);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');
  });
});

describe('engine / events: deadline on a sub-process from FEEL date arithmetic', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine(Date.parse('2026-03-02T01:00:00Z'));
    await deploy(t.engine, 'ev-timer-subprocess-deadline.bpmn');
  });
  afterEach(() => t.close());

  it('given a deadline = date and time(reportedAt) + duration("PT48H") on the sub-process, when 48 hours pass, then the user task inside and the sub-process are terminated and the case is escalated', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({
      bpmnProcessId: 'ev-timer-sub-deadline',
      variables: { reportedAt: '2026-03-02T09:00:00+08:00' },
    });
    const due = Date.parse('2026-03-04T01:00:00Z');
    expect((await t.engine.listTimers({ processInstanceKey: pik })).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['deadline', due]]);
    const task = await openTask(t.engine, pik, 'handle');
    await t.clock.advance(47 * HOUR + 59 * MINUTE);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['handle', 'handling']);
    await t.clock.advance(MINUTE);
    expect((await t.engine.getUserTask(task.userTaskKey))!.state).to.equal('CANCELED');
    expect(await terminated(t.engine, pik)).to.deep.equal(['handle', 'handling']);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['escalate']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'subStart', 'deadline']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 's1', 'fOverdue']);
  });
});

describe('engine / events: intermediate timer catch event (PT30M)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-timer-catch.bpmn');
  });
  afterEach(() => t.close());

  it('given an instance waiting 30 minutes, when 29 minutes pass, then it still waits; when the 30th minute ends, then it moves on to the notification', async () => {
    const t0 = t.clock.now();
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-timer-catch' });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['wait']);
    expect((await t.engine.listTimers({ processInstanceKey: pik })).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['wait', t0 + 30 * MINUTE]]);
    await t.clock.advance(29 * MINUTE);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['wait']);
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    await t.clock.advance(MINUTE);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['notify']);
    expect(await t.engine.listTimers({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'wait']);
    await t.engine.completeJob((await oneJob(t.engine, 'notify')).key, {});
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'wait', 'notify', 'done']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'f2', 'f3']);
  });
});

describe('engine / events: timer start events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine(Date.parse('2026-03-02T01:00:00Z'));
  });
  afterEach(() => t.close());

  const instancesOf = async (id: string) => t.engine.listInstances({ bpmnProcessId: id });

  it('given a process with only a timer start R2/PT1H, when the clock passes each hour, then exactly two instances are created, one per hour', async () => {
    const t0 = t.clock.now();
    const [deployed] = await t.engine.deploy([fixture('ev-timer-start-cycle.bpmn')]);
    const startTimers = (await t.engine.listTimers()).map((x) => ({
      elementId: x.elementId,
      instance: x.processInstanceKey,
      def: x.processDefinitionKey,
      dueAt: x.dueAt,
    }));
    expect(startTimers).to.deep.equal([{ elementId: 'timerStart', instance: null, def: deployed!.processDefinitionKey, dueAt: t0 + HOUR }]);
    expect(await refusalCode(t.engine.createInstance({ bpmnProcessId: 'ev-timer-start' }))).to.equal('INVALID_STATE');

    await t.clock.advance(59 * MINUTE);
    expect(await instancesOf('ev-timer-start')).to.deep.equal([]);
    await t.clock.advance(MINUTE);
    const first = await instancesOf('ev-timer-start');
    expect(first.map((i) => [i.state, i.version, i.startedAt])).to.deep.equal([['ACTIVE', 1, t0 + HOUR]]);
    expect(await completedPath(t.engine, first[0]!.processInstanceKey)).to.deep.equal(['timerStart']);
    expect(await t.engine.listJobs({ processInstanceKey: first[0]!.processInstanceKey, type: 'patrol' })).to.have.length(1);
    expect((await t.engine.listTimers()).map((x) => x.dueAt)).to.deep.equal([t0 + 2 * HOUR]);

    await t.clock.advance(HOUR);
    expect((await instancesOf('ev-timer-start')).map((i) => i.startedAt)).to.deep.equal([t0 + HOUR, t0 + 2 * HOUR]);
    expect(await t.engine.listTimers()).to.deep.equal([]);
    await t.clock.advance(5 * HOUR);
    expect(await instancesOf('ev-timer-start')).to.have.length(2);
  });

  it('given a timer-started process, when a new version is deployed, then its start timer replaces the old one and later instances are of the new version', async () => {
    const t0 = t.clock.now();
    await deploy(t.engine, 'ev-timer-start-cycle.bpmn');
    await t.clock.advance(30 * MINUTE);
    const [v2] = await t.engine.deploy([fixture('ev-timer-start-cycle-v2.bpmn')]);
    expect(v2!.version).to.equal(2);
    expect((await t.engine.listTimers()).map((x) => [x.elementId, x.processDefinitionKey, x.dueAt])).to.deep.equal([
      ['timerStart', v2!.processDefinitionKey, t0 + 30 * MINUTE + 2 * HOUR],
    ]);
    await t.clock.advance(HOUR); // v1 would have fired at t0 + 1h
    expect(await instancesOf('ev-timer-start')).to.deep.equal([]);
    await t.clock.advance(HOUR);
    const created = await instancesOf('ev-timer-start');
    expect(created.map((i) => [i.version, i.processDefinitionKey, i.startedAt])).to.deep.equal([[2, v2!.processDefinitionKey, t0 + 30 * MINUTE + 2 * HOUR]]);
    expect((await t.engine.listTimers()).map((x) => [x.processDefinitionKey, x.dueAt])).to.deep.equal([
      [v2!.processDefinitionKey, t0 + 30 * MINUTE + 4 * HOUR],
    ]);
  });

  it('given a timer start whose timeDate is a FEEL expression, when it is deployed, then it is accepted (evaluated at deployment) and fires at that instant', async () => {
    await deploy(t.engine, 'ev-timer-start-expression.bpmn');
    const due = Date.parse('2026-03-03T01:00:00Z');
    expect((await t.engine.listTimers()).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['timerStart', due]]);
    await t.clock.set(due);
    expect(await instancesOf('ev-timer-start-expr')).to.have.length(1);
  });

  it('given a timer start with a timeDate (+08:00), when the clock passes that instant (even across a restart), then exactly one instance is created', async () => {
    await deploy(t.engine, 'ev-timer-start-date.bpmn');
    const due = Date.parse('2026-03-03T01:00:00Z');
    expect((await t.engine.listTimers()).map((x) => [x.elementId, x.dueAt])).to.deep.equal([['timerStart', due]]);
    await t.clock.set(due - MINUTE);
    expect(await instancesOf('ev-timer-start-date')).to.deep.equal([]);
    await t.restart();
    await t.clock.set(due);
    expect((await instancesOf('ev-timer-start-date')).map((i) => [i.state, i.startedAt])).to.deep.equal([['ACTIVE', due]]);
    await t.clock.advance(2 * DAY);
    expect(await instancesOf('ev-timer-start-date')).to.have.length(1);
    expect(await t.engine.listTimers()).to.deep.equal([]);
  });
});
