import { expect } from 'chai';
import { at, eventually, instanceTree, iso, openProcessWorld, reload, reportCase, type ProcessWorld } from './support/process-harness.js';

/**
 * The centre's own tasks have a deadline (issue #14 item 9): a start execution listener (`case-task-deadline`)
 * times each from its start on the working-day calendar and the task's `zeebe:taskSchedule dueDate` reads it —
 * 派遣 and the reviews (退单审核, 延期审批, 挂账审核) on the event type's dispatch limit, 核查 on its verify limit. The
 * unit's 处置 deadline on the case stays as it was while the centre reviews. 暴露垃圾 (SJ-0101): 1 working hour to
 * dispatch, 4 to handle and to verify; working hours 08:30–12:00 and 14:30–18:00, Monday 2 March 2026.
 *
 * Embedded engine only: the Camunda simulation does not hold an element for its start listener (its README, "What
 * it does not simulate"), so there the task would be created before its due time is known.
 */
describe('process / the centre tasks (派遣, reviews, 核查) are due on the business calendar', function () {
  this.timeout(60_000);
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await openProcessWorld(at('2026-03-02T09:00:00'), 'embedded');
  });
  afterEach(() => world.close());

  const openTask = (keys: () => Promise<string[]>, elementId: string) =>
    eventually(`the ${elementId} task`, async () => {
      const tree = new Set(await keys());
      return (await world.engine.listUserTasks({ state: 'CREATED', elementId })).find((t) => tree.has(t.processInstanceKey)) ?? null;
    });

  it('given a 属地 case, when it waits for 派遣, a 退单 review, a 延期 review, a 挂账 review and 核查, then each task is due after its limit in working time, and the reviews leave the case at its 处置 deadline', async () => {
    const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '文昌社区路边有暴露垃圾' });
    const tree = () => instanceTree(world, instanceKey);
    const accept = await openTask(tree, 'accept');
    expect(accept.dueDate).to.equal(iso('2026-03-02T09:30:00'));
    await world.port.completeUserTask(accept.userTaskKey, { filed: true, eventTypeCode: 'SJ-0101' });

    // 派遣 at 09:00: 1 working hour
    const dispatch = await openTask(tree, 'dispatch');
    expect(dispatch.dueDate).to.equal(iso('2026-03-02T10:00:00'));
    await world.port.completeUserTask(dispatch.userTaskKey, { unitCode: 'T-XP' });
    const handle = await openTask(tree, 'handle');
    expect(handle.dueDate).to.equal(iso('2026-03-02T15:30:00'));

    // 退单 at 11:30: half an hour before the lunch break, half an hour after it
    await world.clock.set(at('2026-03-02T11:30:00'));
    await world.port.completeUserTask(handle.userTaskKey, { handleOutcome: 'return', returnReason: '不属本街道' });
    const returnReview = await openTask(tree, 'returnReview');
    expect(returnReview.dueDate).to.equal(iso('2026-03-02T15:00:00'));
    const c = await reload(caseRow);
    expect(c.dueAt!.toISOString()).to.equal(iso('2026-03-02T15:30:00'));
    expect(c.handleDueAt!.toISOString()).to.equal(iso('2026-03-02T15:30:00'));
    // the due time is the task's own (local to it)
    expect(await world.port.userTaskVariables(returnReview.userTaskKey)).to.have.property('taskDueAt', returnReview.dueDate);
    await world.port.completeUserTask(returnReview.userTaskKey, { returnApproved: false, reviewComment: '属本街道' });

    // 延期 asked at 17:30: the hour runs on into the next working morning
    await world.clock.set(at('2026-03-02T17:30:00'));
    const again = await openTask(tree, 'handle');
    // …and leaks into no other task of the process
    expect(await world.port.userTaskVariables(again.userTaskKey)).to.not.have.property('taskDueAt');
    await world.port.completeUserTask(again.userTaskKey, { handleOutcome: 'extend', extensionHours: 4, extensionReason: '需协调车辆' });
    const extensionReview = await openTask(tree, 'extensionReview');
    expect(extensionReview.dueDate).to.equal(iso('2026-03-03T09:00:00'));
    await world.port.completeUserTask(extensionReview.userTaskKey, { extensionApproved: false });

    await world.clock.set(at('2026-03-03T08:00:00'));
    const third = await openTask(tree, 'handle');
    await world.port.completeUserTask(third.userTaskKey, { handleOutcome: 'shelve', shelveReason: '待雨季后清理' });
    const shelveReview = await openTask(tree, 'shelveReview');
    expect(shelveReview.dueDate).to.equal(iso('2026-03-03T09:30:00'));
    await world.port.completeUserTask(shelveReview.userTaskKey, { shelveApproved: false, reviewComment: '请按期处置' });

    // 核查 at 10:00: 4 working hours (10:00–12:00, 14:30–16:30)
    await world.clock.set(at('2026-03-03T10:00:00'));
    const fourth = await openTask(tree, 'handle');
    await world.port.completeUserTask(fourth.userTaskKey, { handleOutcome: 'done', handleResult: '已清运' });
    const verify = await openTask(tree, 'verify');
    expect(verify.dueDate).to.equal(iso('2026-03-03T16:30:00'));
  });
});
