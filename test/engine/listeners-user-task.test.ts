import { expect } from 'chai';
import { completedPath, deploy, jobsOf, oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';

/**
 * User task listeners as Camunda 8.8 documents them (docs, *User task listeners*): a transition (creating, assigning,
 * updating, completing) waits for its listeners' jobs; they correct the task or deny the transition.
 */
describe('engine / user task listeners', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'tl-task-listeners.bpmn');
  });
  afterEach(() => t.close());

  const task = async (pi: string) => {
    const [x] = await t.engine.listUserTasks({ processInstanceKey: pi });
    return x!;
  };
  const intents = async (pi: string) => (await t.engine.history(pi)).map((h) => h.intent).filter((i) => i.startsWith('USER_TASK_'));

  /** A started instance whose task is created (its creating listener completed without corrections). */
  async function created(initialAssignee = '') {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'tl-task-listeners', variables: { initialAssignee } });
    await t.engine.completeJob((await oneJob(t.engine, 'tl-create')).key);
    return pi;
  }

  it('given a creating listener, when the task is created, then it waits in CREATING, the listener sees it and corrects it, and it is CREATED with the corrections', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'tl-task-listeners', variables: { initialAssignee: '' } });
    expect((await task(pi)).state).to.equal('CREATING');
    expect(await t.engine.listUserTasks({ processInstanceKey: pi, state: 'CREATED' }), 'not in the inbox yet').to.deep.equal([]);
    expect(await intents(pi)).to.deep.equal([]);
    const job = await oneJob(t.engine, 'tl-create');
    expect(job).to.include({ kind: 'TASK_LISTENER', listenerEventType: 'CREATING', elementId: 'review' });
    expect(job.customHeaders).to.deep.equal({ form: 'review' });
    expect(job.userTask).to.deep.include({
      userTaskKey: (await task(pi)).userTaskKey,
      assignee: null,
      candidateGroups: ['grid'],
      priority: 40,
      changedAttributes: [],
    });

    await t.engine.completeJob(job.key, {}, { corrections: { assignee: 'li.lei', priority: 80, candidateUsers: ['wang.fang'] } });
    const done = await task(pi);
    expect(done).to.include({ state: 'CREATED', assignee: 'li.lei', priority: 80 });
    expect(done.candidateUsers).to.deep.equal(['wang.fang']);
    expect(await intents(pi), 'the corrections trigger no updating event').to.deep.equal(['USER_TASK_CREATED', 'USER_TASK_ASSIGNED']);
    expect(await jobsOf(t.engine, 'tl-assign'), 'an assignee corrected on creation is not an assigning transition').to.have.length(0);
  });

  it('given an assignee in the process, when the task is created, then the creating listener cannot replace it and the assigning listeners run for it', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'tl-task-listeners', variables: { initialAssignee: 'zhao.min' } });
    await t.engine.completeJob((await oneJob(t.engine, 'tl-create')).key, {}, { corrections: { assignee: 'li.lei' } });
    expect(await task(pi)).to.include({ state: 'ASSIGNING', assignee: null });
    const assign = await oneJob(t.engine, 'tl-assign');
    expect(assign.userTask).to.deep.include({ assignee: 'zhao.min', action: 'assign', changedAttributes: ['assignee'] });
    await t.engine.completeJob(assign.key);
    expect(await task(pi)).to.include({ state: 'CREATED', assignee: 'zhao.min' });
  });

  it('given an assigning listener, when it corrects or denies an assignment, then the corrected assignee is set, or the task stays as it was', async () => {
    const pi = await created();
    const key = (await task(pi)).userTaskKey;
    await t.engine.assignUserTask(key, 'wang.fang');
    expect((await task(pi)).state).to.equal('ASSIGNING');
    expect((await refusal(t.engine.completeUserTask(key))).code, 'no other command while the transition waits').to.equal('INVALID_STATE');
    const first = await oneJob(t.engine, 'tl-assign');
    await t.engine.completeJob(first.key, {}, { corrections: { assignee: 'li.lei', priority: 70 } });
    expect(await task(pi)).to.include({ state: 'CREATED', assignee: 'li.lei', priority: 70 });

    await t.engine.assignUserTask(key, 'zhao.min');
    const second = await oneJob(t.engine, 'tl-assign');
    expect(second.userTask!.changedAttributes).to.deep.equal(['assignee']);
    await t.engine.completeJob(second.key, {}, { denied: true, deniedReason: 'not in the grid', corrections: { priority: 10 } });
    expect(await task(pi)).to.include({ state: 'CREATED', assignee: 'li.lei', priority: 70 });
    const denied = (await t.engine.history(pi)).find((h) => h.intent === 'USER_TASK_ASSIGNMENT_DENIED');
    expect(denied!.payload).to.include({ deniedReason: 'not in the grid' });
  });

  it("given an updating listener, when the task is updated, then the change waits for it and takes the listener's corrections", async () => {
    const pi = await created();
    const key = (await task(pi)).userTaskKey;
    await t.engine.updateUserTask(key, { priority: 90 });
    expect(await task(pi)).to.include({ state: 'UPDATING', priority: 40 });
    const job = await oneJob(t.engine, 'tl-update');
    expect(job.userTask).to.deep.include({ priority: 90, action: 'update', changedAttributes: ['priority'] });
    await t.engine.completeJob(job.key, {}, { corrections: { dueDate: '2026-03-09T10:00:00Z' } });
    const done = await task(pi);
    expect(done).to.include({ state: 'CREATED', priority: 90, dueDate: '2026-03-09T10:00:00.000Z' });
  });

  it('given two completing listeners, when the first denies, then the task stays open without the variables; when both complete, then the task completes with them', async () => {
    const pi = await created();
    const key = (await task(pi)).userTaskKey;
    await t.engine.completeUserTask(key, { outcome: 'rejected' }, { completedBy: 'li.lei' });
    expect((await task(pi)).state).to.equal('COMPLETING');
    await t.engine.completeJob((await oneJob(t.engine, 'tl-complete-1')).key, {}, { denied: true });
    expect(await jobsOf(t.engine, 'tl-complete-2')).to.have.length(0);
    expect((await task(pi)).state).to.equal('CREATED');
    expect(await t.engine.getVariables(pi)).to.not.have.property('outcome');

    await t.engine.completeUserTask(key, { outcome: 'approved' }, { completedBy: 'li.lei' });
    await t.engine.completeJob((await oneJob(t.engine, 'tl-complete-1')).key);
    const second = await oneJob(t.engine, 'tl-complete-2');
    expect(second.userTask!.action).to.equal('complete');
    await t.engine.completeJob(second.key);
    expect((await task(pi)).state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'review', 'end']);
    expect(await intents(pi)).to.deep.equal(['USER_TASK_CREATED', 'USER_TASK_COMPLETION_DENIED', 'USER_TASK_COMPLETED']);
  });

  it('given task listener jobs, when completed with variables, denied on creation, or failed without retries, then the first two are refused and the failure is a TASK_LISTENER_NO_RETRIES incident that resumes at that listener', async () => {
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'tl-task-listeners', variables: { initialAssignee: '' } });
    const create = await oneJob(t.engine, 'tl-create');
    expect((await refusal(t.engine.completeJob(create.key, { x: 1 }))).code).to.equal('INVALID_ARGUMENT');
    expect((await refusal(t.engine.completeJob(create.key, {}, { denied: true }))).code).to.equal('INVALID_ARGUMENT');
    expect((await refusal(t.engine.completeJob(create.key, {}, { corrections: { priority: 101 } }))).code).to.equal('INVALID_ARGUMENT');
    await t.engine.completeJob(create.key);
    const key = (await task(pi)).userTaskKey;

    await t.engine.completeUserTask(key, {});
    await t.engine.completeJob((await oneJob(t.engine, 'tl-complete-1')).key);
    const failing = await oneJob(t.engine, 'tl-complete-2');
    await t.engine.failJob(failing.key, { retries: 0, errorMessage: 'audit service down' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pi, state: 'ACTIVE' });
    expect(incident).to.include({ errorType: 'TASK_LISTENER_NO_RETRIES', elementId: 'review' });
    await t.engine.updateJobRetries(failing.key, 1);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect(await jobsOf(t.engine, 'tl-complete-1')).to.have.length(0);
    await t.engine.completeJob((await oneJob(t.engine, 'tl-complete-2')).key);
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
  });

  it('given a completing transition waiting for its listener, when the instance is cancelled, then the task is CANCELED and the listener job is gone', async () => {
    const pi = await created();
    await t.engine.completeUserTask((await task(pi)).userTaskKey, {});
    await t.engine.cancelInstance(pi);
    expect((await task(pi)).state).to.equal('CANCELED');
    expect(await t.engine.listJobs({ processInstanceKey: pi })).to.deep.equal([]);
  });

  it('given a canceling task listener, when deployed, then the embedded engine refuses it by name', async () => {
    const xml = (await import('node:fs'))
      .readFileSync(new URL('./bpmn/tl-task-listeners.bpmn', import.meta.url), 'utf8')
      .replace('eventType="updating"', 'eventType="canceling"')
      .replace('id="tl-task-listeners"', 'id="tl-canceling"');
    const err = await refusal(t.engine.deploy([{ name: 'tl-canceling.bpmn', xml }]));
    expect(JSON.stringify(err.details)).to.contain("task listeners of event type 'canceling' are not supported");
  });
});
