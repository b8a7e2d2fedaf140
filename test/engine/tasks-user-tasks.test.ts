import { expect } from 'chai';
import { completedPath, deploy, HOUR, MINUTE, openTask, openTestEngine, terminated, refusal, type TestEngine } from './support/harness.js';

/** Camunda user tasks (zeebe:userTask): properties from static values and FEEL, queries, commands, lifecycle events. */
describe('engine / user tasks', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-user-tasks.bpmn', 'jt-task-escalation.bpmn');
  });
  afterEach(() => t.close());

  const caseVars = { reportedAt: '2026-03-02T18:00:00+08:00', followUpAt: '2026-03-04T09:00:00+08:00', urgent: true, grid: 'G7' };
  const instant = (iso: string | null) => (iso === null ? null : Date.parse(iso));

  it('given a user task with static and FEEL properties, when it is created, then assignee, candidates, due and follow-up dates, form and priority are set', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars });

    const review = await openTask(t.engine, processInstanceKey, 'review');
    expect(review).to.include({
      name: 'Review case',
      bpmnProcessId: 'jt-user-tasks',
      state: 'CREATED',
      assignee: 'li.lei',
      formId: 'review-form',
      priority: 90,
    });
    expect(review.candidateGroups).to.deep.equal(['a', 'b']);
    expect(review.candidateUsers).to.deep.equal([]);
    expect(instant(review.dueDate)).to.equal(Date.parse('2026-03-05T18:00:00+08:00'));
    expect(instant(review.followUpDate)).to.equal(Date.parse('2026-03-04T09:00:00+08:00'));
    expect(review.createdAt).to.equal(t.clock.now());

    const approve = await openTask(t.engine, processInstanceKey, 'approve');
    expect(approve).to.include({ name: 'Approve case', assignee: null, formId: 'approve-form', priority: 50, followUpDate: null });
    expect(approve.candidateGroups).to.deep.equal(['grid-G7', 'street-office']);
    expect(approve.candidateUsers).to.deep.equal(['wang.fang', 'zhao.min']);
    expect(instant(approve.dueDate)).to.equal(Date.parse('2026-03-07T18:00:00+08:00'));

    const calm = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: { ...caseVars, urgent: false } });
    expect((await openTask(t.engine, calm.processInstanceKey, 'review')).priority).to.equal(40);
  });

  it('given a follow-up date whose variable is missing, when the task is created, then it has no follow-up date and no incident, as in Zeebe', async () => {
    const { followUpAt: _left, ...withoutFollowUp } = caseVars;
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: withoutFollowUp });
    const review = await openTask(t.engine, processInstanceKey, 'review');
    expect(review.followUpDate).to.equal(null);
    expect(instant(review.dueDate)).to.equal(Date.parse('2026-03-05T18:00:00+08:00'));
  });

  it('given open tasks of two cases, when querying by assignee, candidate group, state and due date, then exactly the matching tasks come back', async () => {
    const a = (await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars })).processInstanceKey;
    const b = (
      await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: { ...caseVars, grid: 'G9', reportedAt: '2026-03-09T18:00:00+08:00' } })
    ).processInstanceKey;
    const aReview = (await openTask(t.engine, a, 'review')).userTaskKey;
    const aApprove = (await openTask(t.engine, a, 'approve')).userTaskKey;
    const bReview = (await openTask(t.engine, b, 'review')).userTaskKey;
    const bApprove = (await openTask(t.engine, b, 'approve')).userTaskKey;
    const keys = async (filter: Parameters<typeof t.engine.listUserTasks>[0]) => (await t.engine.listUserTasks(filter)).map((x) => x.userTaskKey).sort();
    const sorted = (...k: string[]) => k.sort();

    expect(await keys({ assignee: 'li.lei' })).to.deep.equal(sorted(aReview, bReview));
    expect(await keys({ assignee: 'wang.fang' })).to.deep.equal([]);
    expect(await keys({ candidateGroup: 'a' })).to.deep.equal(sorted(aReview, bReview));
    expect(await keys({ candidateGroup: 'grid-G7' })).to.deep.equal([aApprove]);
    expect(await keys({ candidateGroup: 'street-office' })).to.deep.equal(sorted(aApprove, bApprove));
    expect(await keys({ candidateGroup: 'grid' }), 'no partial group match').to.deep.equal([]);
    // due: aReview 03-05 18:00, aApprove 03-07 18:00, bReview 03-12 18:00, bApprove 03-14 18:00 (+08:00)
    expect(await keys({ dueBefore: '2026-03-06T00:00:00+08:00' })).to.deep.equal([aReview]);
    expect(await keys({ dueAfter: '2026-03-10T00:00:00+08:00' })).to.deep.equal(sorted(bReview, bApprove));
    expect(await keys({ dueAfter: '2026-03-06T00:00:00+08:00', dueBefore: '2026-03-13T00:00:00+08:00' })).to.deep.equal(sorted(aApprove, bReview));
    expect(await keys({ dueBefore: '2026-03-05T10:00:00Z' }), 'a due date equal to dueBefore is not before it').to.deep.equal([]);

    expect(await keys({ state: 'CREATED' })).to.deep.equal(sorted(aReview, aApprove, bReview, bApprove));
    await t.engine.completeUserTask(aReview, {});
    expect(await keys({ state: 'COMPLETED' })).to.deep.equal([aReview]);
    expect(await keys({ state: 'CREATED' })).to.deep.equal(sorted(aApprove, bReview, bApprove));
    expect(await keys({ state: 'CREATED', assignee: 'li.lei' })).to.deep.equal([bReview]);
  });

  it('given an open task, when it is assigned and updated, then assignee, due date and priority change and the history records USER_TASK_ASSIGNED and USER_TASK_UPDATED', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars });
    const approve = await openTask(t.engine, processInstanceKey, 'approve');

    await t.engine.assignUserTask(approve.userTaskKey, 'wang.fang');
    expect((await t.engine.listUserTasks({ assignee: 'wang.fang' })).map((x) => x.userTaskKey)).to.deep.equal([approve.userTaskKey]);

    await t.engine.updateUserTask(approve.userTaskKey, { dueDate: '2026-03-09T18:00:00+08:00', priority: 70 });
    const updated = (await t.engine.getUserTask(approve.userTaskKey))!;
    expect(instant(updated.dueDate)).to.equal(Date.parse('2026-03-09T18:00:00+08:00'));
    expect(updated).to.include({ priority: 70, assignee: 'wang.fang', state: 'CREATED' });
    expect((await t.engine.listUserTasks({ dueAfter: '2026-03-08T00:00:00+08:00' })).map((x) => x.userTaskKey)).to.deep.equal([approve.userTaskKey]);

    await t.engine.updateUserTask(approve.userTaskKey, { candidateGroups: ['street-office', 'district-supervision'] });
    expect((await t.engine.listUserTasks({ candidateGroup: 'district-supervision' })).map((x) => x.userTaskKey)).to.deep.equal([approve.userTaskKey]);
    expect(await t.engine.listUserTasks({ candidateGroup: 'grid-G7' })).to.deep.equal([]);

    await t.engine.assignUserTask(approve.userTaskKey, null);
    expect((await t.engine.getUserTask(approve.userTaskKey))!.assignee).to.equal(null);

    const events = (await t.engine.history(processInstanceKey)).filter((h) => h.elementId === 'approve' && /^USER_TASK_(ASSIGNED|UPDATED)$/.test(h.intent));
    expect(events.map((h) => [h.intent, h.payload?.['userTaskKey']])).to.deep.equal([
      ['USER_TASK_ASSIGNED', approve.userTaskKey],
      ['USER_TASK_UPDATED', approve.userTaskKey],
      ['USER_TASK_UPDATED', approve.userTaskKey],
      ['USER_TASK_ASSIGNED', approve.userTaskKey],
    ]);
    expect(events.map((h) => h.payload?.['assignee'] ?? null)).to.deep.equal(['wang.fang', null, null, null]);
  });

  it('given a task completed with variables, then the variables reach the process, completing it again is refused, and the instance finishes after the last task', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars });
    const review = await openTask(t.engine, processInstanceKey, 'review');
    await t.clock.advance(30 * MINUTE);
    await t.engine.completeUserTask(review.userTaskKey, { reviewOk: true, remark: '属实' });

    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ ...caseVars, reviewOk: true, remark: '属实' });
    expect(await t.engine.getUserTask(review.userTaskKey)).to.include({ state: 'COMPLETED', endedAt: t.clock.now() });
    const again = await refusal(t.engine.completeUserTask(review.userTaskKey, { reviewOk: false }));
    expect(again.code).to.equal('INVALID_STATE');
    expect((await t.engine.getVariables(processInstanceKey))['reviewOk']).to.equal(true);

    await t.engine.completeUserTask((await openTask(t.engine, processInstanceKey, 'approve')).userTaskKey, { approved: true });
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'split', 'review', 'approve', 'join', 'end']);
  });

  it('given a task with an interrupting boundary timer, when the timer fires, then the task is CANCELED and the escalation task is created', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-task-escalation' });
    const handle = await openTask(t.engine, processInstanceKey, 'handle');
    expect(handle.candidateGroups).to.deep.equal(['grid-workers']);

    await t.clock.advance(2 * HOUR - MINUTE);
    expect((await t.engine.getUserTask(handle.userTaskKey))!.state).to.equal('CREATED');
    await t.clock.advance(MINUTE);

    expect(await t.engine.getUserTask(handle.userTaskKey)).to.include({ state: 'CANCELED', endedAt: t.clock.now() });
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['handle']);
    const escalate = await openTask(t.engine, processInstanceKey, 'escalate');
    expect(escalate.candidateGroups).to.deep.equal(['street-office']);
    expect((await refusal(t.engine.completeUserTask(handle.userTaskKey, {}))).code).to.equal('INVALID_STATE');

    await t.engine.completeUserTask(escalate.userTaskKey, {});
    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'overdue', 'escalate', 'endEscalated']);
  });

  it('given a listener on userTask events, when tasks are created, assigned, cancelled and completed, then CREATED, ASSIGNED, CANCELED and COMPLETED are emitted in order for the right tasks', async () => {
    const events: Array<{ intent: string; taskKey: string }> = [];
    t.engine.on('userTask', (e: { intent: string; taskKey: string }) => events.push({ intent: e.intent, taskKey: e.taskKey }));

    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-task-escalation' });
    const handle = (await openTask(t.engine, processInstanceKey, 'handle')).userTaskKey;
    await t.engine.assignUserTask(handle, 'zhao.min');
    await t.clock.advance(2 * HOUR);
    const escalate = (await openTask(t.engine, processInstanceKey, 'escalate')).userTaskKey;
    await t.engine.completeUserTask(escalate, { done: true });

    expect(events).to.deep.equal([
      { intent: 'CREATED', taskKey: handle },
      { intent: 'ASSIGNED', taskKey: handle },
      { intent: 'CANCELED', taskKey: handle },
      { intent: 'CREATED', taskKey: escalate },
      { intent: 'COMPLETED', taskKey: escalate },
    ]);
  });

  it('given a task modelled with an assignee, when it is created, then CREATED is followed by ASSIGNED, as Zeebe 8.8 records it', async () => {
    const events: Array<{ intent: string; taskKey: string }> = [];
    t.engine.on('userTask', (e: { intent: string; taskKey: string }) => events.push({ intent: e.intent, taskKey: e.taskKey }));
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars });
    const review = (await openTask(t.engine, processInstanceKey, 'review')).userTaskKey;

    expect(events.filter((e) => e.taskKey === review).map((e) => e.intent)).to.deep.equal(['CREATED', 'ASSIGNED']);
    const trail = (await t.engine.history(processInstanceKey)).filter((h) => h.elementId === 'review' && h.intent.startsWith('USER_TASK_'));
    expect(trail.map((h) => h.intent)).to.deep.equal(['USER_TASK_CREATED', 'USER_TASK_ASSIGNED']);
    expect(trail[1]!.payload).to.include({ userTaskKey: review, assignee: 'li.lei' });
  });
});
