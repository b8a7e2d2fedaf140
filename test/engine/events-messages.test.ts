import { expect } from 'chai';
import {
  activeElements,
  completedPath,
  deploy,
  HOUR,
  jobsOf,
  MINUTE,
  oneJob,
  openTestEngine,
  takenFlows,
  terminated,
  refusalCode,
  type TestEngine,
} from './support/harness.js';

describe('engine / events: message intermediate catch event', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-message-catch.bpmn');
  });
  afterEach(() => t.close());

  const start = async (orderId: string) => (await t.engine.createInstance({ bpmnProcessId: 'ev-message-catch', variables: { orderId } })).processInstanceKey;
  const pay = (correlationKey: string, extra: { variables?: Record<string, unknown>; timeToLiveMs?: number; messageId?: string } = {}) =>
    t.engine.publishMessage({ name: 'paymentReceived', correlationKey, timeToLiveMs: 0, ...extra });

  it('given an instance waiting with orderId A-1, when orderId is changed to B-2 afterwards, then a message for B-2 does not correlate and one for A-1 does', async () => {
    const pik = await start('A-1');
    expect((await t.engine.listSubscriptions(pik)).map((s) => [s.kind, s.name, s.correlationKey, s.elementId])).to.deep.equal([
      ['message', 'paymentReceived', 'A-1', 'awaitPayment'],
    ]);
    await t.engine.setVariables(pik, { orderId: 'B-2' });
    await pay('B-2', { variables: { paid: 1 } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['awaitPayment']);
    expect((await t.engine.listSubscriptions(pik)).map((s) => s.correlationKey)).to.deep.equal(['A-1']);

    await pay('A-1', { variables: { paid: 100 } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['ship']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'B-2', paid: 100 });
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'awaitPayment']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'f2']);
  });

  it('given a message published with a TTL before anyone waits, when an instance opens the subscription within the TTL, then the buffered message is correlated at once', async () => {
    await pay('A-2', { timeToLiveMs: HOUR, variables: { amount: 99, payer: '李四' } });
    await t.clock.advance(30 * MINUTE);
    const pik = await start('A-2');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['ship']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'A-2', amount: 99, payer: '李四' });
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'awaitPayment']);
  });

  it('given a buffered message, when the engine restarts within its TTL, then a subscription opened afterwards still receives it', async () => {
    await pay('A-9', { timeToLiveMs: HOUR, variables: { amount: 9 } });
    await t.restart();
    const pik = await start('A-9');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['ship']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'A-9', amount: 9 });
  });

  it('given a message published with TTL 0 before anyone waits, when an instance opens the subscription, then the message was discarded and the instance waits', async () => {
    await pay('A-3', { variables: { amount: 5 } });
    const pik = await start('A-3');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['awaitPayment']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'A-3' });
    expect(await t.engine.listSubscriptions(pik)).to.have.length(1);
  });

  it('given buffered messages with a 10-minute TTL, when a subscription opens after 9 minutes it correlates, and when one opens after 11 minutes it does not', async () => {
    await pay('A-4', { timeToLiveMs: 10 * MINUTE, variables: { amount: 4 } });
    await pay('A-5', { timeToLiveMs: 10 * MINUTE, variables: { amount: 5 } });
    await t.clock.advance(9 * MINUTE);
    const early = await start('A-4');
    expect(await activeElements(t.engine, early)).to.deep.equal(['ship']);
    await t.clock.advance(2 * MINUTE);
    const late = await start('A-5');
    expect(await activeElements(t.engine, late)).to.deep.equal(['awaitPayment']);
    expect(await t.engine.getVariables(late)).to.deep.equal({ orderId: 'A-5' });
  });

  it('given a buffered message with a messageId, when the same name, key and id is published again while buffered, then it is refused with ALREADY_EXISTS; another key or a later publish after expiry is accepted', async () => {
    await pay('A-6', { timeToLiveMs: HOUR, messageId: 'pay-1', variables: { amount: 1 } });
    expect(await refusalCode(pay('A-6', { timeToLiveMs: HOUR, messageId: 'pay-1', variables: { amount: 2 } }))).to.equal('ALREADY_EXISTS');
    await pay('A-7', { timeToLiveMs: HOUR, messageId: 'pay-1', variables: { amount: 7 } });

    const pik = await start('A-6');
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'A-6', amount: 1 });
    // still buffered after correlating: still a duplicate
    expect(await refusalCode(pay('A-6', { timeToLiveMs: HOUR, messageId: 'pay-1' }))).to.equal('ALREADY_EXISTS');

    await t.clock.advance(HOUR + MINUTE);
    await pay('A-6', { timeToLiveMs: HOUR, messageId: 'pay-1', variables: { amount: 3 } });
    const next = await start('A-6');
    expect(await t.engine.getVariables(next)).to.deep.equal({ orderId: 'A-6', amount: 3 });
  });

  it('given orderId is the number 12345, when a message with correlation key "12345" is published, then it correlates (numbers become strings)', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-message-catch', variables: { orderId: 12345 } });
    expect((await t.engine.listSubscriptions(pik)).map((s) => s.correlationKey)).to.deep.equal(['12345']);
    await pay('12345');
    expect(await activeElements(t.engine, pik)).to.deep.equal(['ship']);
  });

  it('given no orderId variable, when the catch event is entered, then an EXTRACT_VALUE_ERROR incident is raised on it and no subscription is opened', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-message-catch' });
    const incidents = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incidents.map((i) => [i.elementId, i.errorType])).to.deep.equal([['awaitPayment', 'EXTRACT_VALUE_ERROR']]);
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
  });

  it('given a waiting instance, when the message carries nested variables, then they land in the process instance as they were sent', async () => {
    const pik = await start('A-8');
    const variables = { amount: 12.5, payer: { name: '张三', phone: '13800000000' }, items: ['a', 'b'], paidAt: '2026-03-02T09:00:00+08:00' };
    await pay('A-8', { variables });
    expect(await t.engine.getVariables(pik)).to.deep.equal({ orderId: 'A-8', ...variables });
    const job = await oneJob(t.engine, 'ship');
    expect(job.variables).to.deep.equal({ orderId: 'A-8', ...variables });
  });
});

describe('engine / events: a message correlates once per process', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-message-catch.bpmn');
  });
  afterEach(() => t.close());

  const start = async (orderId: string) => (await t.engine.createInstance({ bpmnProcessId: 'ev-message-catch', variables: { orderId } })).processInstanceKey;

  it('given two instances waiting with the same correlation key, when one message is published, then exactly one of them receives it; a second message reaches the other', async () => {
    const a = await start('O-1');
    const b = await start('O-1');
    await t.engine.publishMessage({ name: 'paymentReceived', correlationKey: 'O-1', variables: { paid: 1 } });
    const states = [await activeElements(t.engine, a), await activeElements(t.engine, b)];
    expect(states.map((s) => s.join())).to.have.members(['ship', 'awaitPayment']);
    expect(await t.engine.listJobs({ type: 'ship' })).to.have.length(1);

    await t.engine.publishMessage({ name: 'paymentReceived', correlationKey: 'O-1', variables: { paid: 2 } });
    expect(await activeElements(t.engine, a)).to.deep.equal(['ship']);
    expect(await activeElements(t.engine, b)).to.deep.equal(['ship']);
    const paid = [(await t.engine.getVariables(a))['paid'], (await t.engine.getVariables(b))['paid']];
    expect(paid).to.have.members([1, 2]);
  });

  it('given a buffered message already correlated to one instance, when another instance of the same process opens a subscription with that key, then it does not receive the message again', async () => {
    const first = await start('O-2');
    await t.engine.publishMessage({ name: 'paymentReceived', correlationKey: 'O-2', timeToLiveMs: HOUR, variables: { paid: 1 } });
    expect(await activeElements(t.engine, first)).to.deep.equal(['ship']);
    const second = await start('O-2');
    expect(await activeElements(t.engine, second)).to.deep.equal(['awaitPayment']);
    expect(await t.engine.getVariables(second)).to.deep.equal({ orderId: 'O-2' });
  });
});

describe('engine / events: message boundary events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-message-boundary.bpmn');
  });
  afterEach(() => t.close());

  const start = async (caseId: string) => (await t.engine.createInstance({ bpmnProcessId: 'ev-message-boundary', variables: { caseId } })).processInstanceKey;

  it('given work in progress, when the case is withdrawn by message, then the work is terminated, its job is gone and the withdrawal path completes the instance', async () => {
    const pik = await start('C-1');
    expect((await t.engine.listSubscriptions(pik)).map((s) => [s.name, s.correlationKey, s.elementId]).sort()).to.deep.equal([
      ['caseUpdated', 'C-1', 'updated'],
      ['caseWithdrawn', 'C-1', 'withdrawn'],
    ]);
    const job = await oneJob(t.engine, 'work');
    await t.engine.publishMessage({ name: 'caseWithdrawn', correlationKey: 'C-1', variables: { reason: 'duplicate report' } });
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await refusalCode(t.engine.completeJob(job.key, {}))).to.equal('NOT_FOUND');
    expect(await terminated(t.engine, pik)).to.deep.equal(['work']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'withdrawn', 'withdrawnEnd']);
    expect(await takenFlows(t.engine, pik)).to.deep.equal(['f1', 'fWithdrawn']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
    const created = (await t.engine.history(pik)).filter((h) => h.intent === 'VARIABLE_CREATED').map((h) => h.payload);
    expect(created).to.deep.include({ name: 'reason', value: 'duplicate report' });
  });

  it('given work in progress, when two case updates arrive, then two re-checks run beside the still-waiting work; after the work is done its subscriptions are closed', async () => {
    const pik = await start('C-2');
    await t.engine.publishMessage({ name: 'caseUpdated', correlationKey: 'C-2', variables: { note: 'n1' } });
    await t.engine.publishMessage({ name: 'caseUpdated', correlationKey: 'C-2', variables: { note: 'n2' } });
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'recheck' })).to.have.length(2);
    expect(await t.engine.listJobs({ processInstanceKey: pik, type: 'work' })).to.have.length(1);
    expect(await activeElements(t.engine, pik)).to.deep.equal(['recheck', 'recheck', 'work']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ caseId: 'C-2', note: 'n2' });
    expect(await terminated(t.engine, pik)).to.deep.equal([]);

    await t.engine.completeJob((await oneJob(t.engine, 'work')).key, {});
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
    await t.engine.publishMessage({ name: 'caseWithdrawn', correlationKey: 'C-2' });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['recheck', 'recheck']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('ACTIVE');

    for (const job of await jobsOf(t.engine, 'recheck')) await t.engine.completeJob(job.key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pik)).to.deep.equal([
      'start',
      'updated',
      'updated',
      'work',
      'done',
      'recheck',
      'recheckedEnd',
      'recheck',
      'recheckedEnd',
    ]);
  });

  it('given a withdrawal buffered before the case starts, when the work is entered, then the interrupting boundary fires at once and no job is left behind', async () => {
    await t.engine.publishMessage({ name: 'caseWithdrawn', correlationKey: 'C-3', timeToLiveMs: HOUR, variables: { reason: 'early' } });
    const pik = await start('C-3');
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);
    expect(await jobsOf(t.engine, 'work')).to.deep.equal([]);
    expect(await terminated(t.engine, pik)).to.deep.equal(['work']);
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'withdrawn', 'withdrawnEnd']);
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect(await t.engine.listSubscriptions(pik)).to.deep.equal([]);
  });
});

describe('engine / events: receive task', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'ev-receive-task.bpmn');
  });
  afterEach(() => t.close());

  it('given a receive task waiting for documents of case C-9, when documents for C-8 arrive nothing happens, and when those for C-9 arrive the task completes with their variables', async () => {
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'ev-receive-task', variables: { caseId: 'C-9' } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['awaitDocs']);
    expect((await t.engine.listSubscriptions(pik)).map((s) => [s.name, s.correlationKey, s.elementId])).to.deep.equal([
      ['documentsSubmitted', 'C-9', 'awaitDocs'],
    ]);
    await t.engine.publishMessage({ name: 'documentsSubmitted', correlationKey: 'C-8', variables: { docs: ['wrong'] } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['awaitDocs']);
    await t.engine.publishMessage({ name: 'documentsSubmitted', correlationKey: 'C-9', variables: { docs: ['id-card', 'photo'] } });
    expect(await activeElements(t.engine, pik)).to.deep.equal(['verify']);
    expect(await t.engine.getVariables(pik)).to.deep.equal({ caseId: 'C-9', docs: ['id-card', 'photo'] });
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'awaitDocs']);
    await t.engine.completeJob((await oneJob(t.engine, 'verify')).key, {});
    expect(await completedPath(t.engine, pik)).to.deep.equal(['start', 'awaitDocs', 'verify', 'done']);
  });
});

describe('engine / events: message start event', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  const instances = () => t.engine.listInstances({ bpmnProcessId: 'ev-message-start' });
  const report = (correlationKey: string | undefined, variables: Record<string, unknown>, timeToLiveMs = 0) =>
    t.engine.publishMessage({ name: 'caseReported', ...(correlationKey === undefined ? {} : { correlationKey }), variables, timeToLiveMs });

  it('given a process with a message start event, when the message is published without a correlation key, then every publish creates an instance carrying the message variables', async () => {
    await deploy(t.engine, 'ev-message-start.bpmn');
    await report(undefined, { district: '东城', grid: 'G-12' });
    const [first] = await instances();
    expect(first!.state).to.equal('ACTIVE');
    expect(await t.engine.getVariables(first!.processInstanceKey)).to.deep.equal({ district: '东城', grid: 'G-12' });
    expect(await completedPath(t.engine, first!.processInstanceKey)).to.deep.equal(['reported']);
    expect(await t.engine.listJobs({ processInstanceKey: first!.processInstanceKey, type: 'triage' })).to.have.length(1);
    await report(undefined, { district: '西城' });
    expect(await instances()).to.have.length(2);
  });

  it('given an instance started by a message with key R-1, when another R-1 message is published while it is active, then no second instance starts; other keys do, and R-1 does again once the first has ended', async () => {
    await deploy(t.engine, 'ev-message-start.bpmn');
    await report('R-1', { n: 1 });
    await report('R-1', { n: 2 });
    expect((await instances()).length).to.equal(1);
    await report('R-2', { n: 3 });
    const two = await instances();
    expect(two).to.have.length(2);
    expect(await t.engine.getVariables(two[1]!.processInstanceKey)).to.deep.equal({ n: 3 });

    const job = (await jobsOf(t.engine, 'triage')).find((j) => j.processInstanceKey === two[0]!.processInstanceKey)!;
    await t.engine.completeJob(job.key, {});
    expect((await t.engine.getInstance(two[0]!.processInstanceKey))!.state).to.equal('COMPLETED');
    await report('R-1', { n: 4 });
    const three = await instances();
    expect(three).to.have.length(3);
    expect(await t.engine.getVariables(three[2]!.processInstanceKey)).to.deep.equal({ n: 4 });
  });

  it('given an instance started by key R-1, when another R-1 message with a TTL is refused because it is active, then that buffered message starts a new instance once the first one ends', async () => {
    await deploy(t.engine, 'ev-message-start.bpmn');
    await report('R-1', { n: 1 });
    await report('R-1', { n: 2 }, HOUR);
    const [first] = await instances();
    expect(await instances()).to.have.length(1);
    await t.engine.completeJob((await oneJob(t.engine, 'triage')).key, {});
    expect((await t.engine.getInstance(first!.processInstanceKey))!.state).to.equal('COMPLETED');
    const all = await instances();
    expect(all.map((i) => i.state)).to.deep.equal(['COMPLETED', 'ACTIVE']);
    expect(await t.engine.getVariables(all[1]!.processInstanceKey)).to.deep.equal({ n: 2 });
  });

  it('given version 2 of a message-started process is deployed, when the message is published, then only one instance starts, of version 2', async () => {
    await deploy(t.engine, 'ev-message-start.bpmn');
    await deploy(t.engine, 'ev-message-start-v2.bpmn');
    await report(undefined, { district: '南城' });
    const all = await instances();
    expect(all.map((i) => i.version)).to.deep.equal([2]);
    expect((await t.engine.listJobs({ processInstanceKey: all[0]!.processInstanceKey })).map((j) => j.type)).to.deep.equal(['triage-v2']);
  });

  it('given a message buffered before the process was deployed, when the process is deployed, then no instance is created from it', async () => {
    await report(undefined, { early: true }, HOUR);
    await deploy(t.engine, 'ev-message-start.bpmn');
    expect(await instances()).to.deep.equal([]);
    await report(undefined, { early: false });
    expect(await instances()).to.have.length(1);
  });
});
