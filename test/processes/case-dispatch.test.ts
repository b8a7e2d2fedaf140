import { expect } from 'chai';
import { AuditRecords, Units } from '../support/tables.js';
import { BusinessCalendar } from '../../domain/calendar/index.js';
import { MESSAGES } from '../../processes/contract.js';
import {
  ADAPTERS,
  at,
  completedElements,
  completeTask,
  eventually,
  instanceTree,
  iso,
  openProcessWorld,
  reload,
  reportCase,
  type ProcessWorld,
} from './support/process-harness.js';

/**
 * 派遣 and 改派 (issue #14 item 2, docs/domain.md "派遣 and 改派"): a 属地 route stops at the centre's 派遣 where the
 * operator confirms the township or picks another unit; a sure 属主 route is dispatched automatically; after
 * dispatch the centre's 改派 (message case-redispatch) ends the unit's open task and the new unit starts with a
 * fresh 处置 limit. A plain working Monday in March, 4 working hours for 暴露垃圾 (SJ-0101).
 */
for (const { adapter, name } of ADAPTERS)
  describe(`process / 派遣 and 改派 on ${name}`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-03-02T09:00:00'), adapter);
    });
    afterEach(() => world.close());

    const openTasks = async (elementId: string, keys: string[]) =>
      (await world.engine.listUserTasks({ state: 'CREATED', elementId })).filter((t) => keys.includes(t.processInstanceKey));
    const unitIdOf = async (code: string) => (await Units.findOne({ where: { code } }))!.id;
    const redispatch = (caseId: string, unitCode: string, redispatchReason: string) =>
      world.port.publishMessage({
        name: MESSAGES.caseRedispatch.name,
        correlationKey: caseId,
        timeToLiveMs: 0,
        variables: { unitCode, redispatchReason, redispatchBy: 'operator' },
      });

    it('given 暴露垃圾 (属地) in 文昌社区, when filed, then 派遣 waits for the centre with the township proposed; the operator picks the community and it handles the case', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '文昌社区路边有暴露垃圾' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });

      const dispatch = await eventually('the 派遣 task', async () => (await openTasks('dispatch', [instanceKey]))[0]);
      expect(dispatch.candidateGroups).to.deep.equal(['operator']);
      const vars = await world.port.userTaskVariables(dispatch.userTaskKey);
      expect(vars).to.deep.include({ unitCode: 'T-XP', routeSure: true, routeBasis: 'territory' });
      expect(String(vars['routeReason'])).to.contain('西平街道');
      // nothing is dispatched before the centre decides
      expect((await reload(caseRow)).status).to.equal('accepted');
      expect(await openTasks('handle', await tree())).to.deep.equal([]);

      await world.port.completeUserTask(dispatch.userTaskKey, { unitCode: 'C-XP-01', dispatchNote: '请社区先行清理' });
      const handle = await eventually("the community's 处置 task", async () => (await openTasks('handle', await tree()))[0]);
      expect(handle.candidateGroups).to.deep.equal(['C-XP-01']);
      expect(handle.dueDate).to.equal(iso('2026-03-02T15:30:00')); // 4 working hours: 09:00–12:00, 14:30–15:30
      const c = await reload(caseRow);
      expect([c.status, c.unitId]).to.deep.equal(['dispatched', await unitIdOf('C-XP-01')]);
      const recorded = await AuditRecords.findOne({ where: { caseId: caseRow.id, action: 'dispatched' } });
      expect(recorded!.detail).to.deep.include({ unitCode: 'C-XP-01', note: '请社区先行清理', redispatch: false });
    });

    it('given 上水井盖 (部件, 属主), when filed, then it is dispatched to the water company without a 派遣 task', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'BJ-0101', gridCode: 'G-XP-01-01', description: '人行道上水井盖缺失' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'BJ-0101' });
      const handle = await eventually('the 处置 task', async () => (await openTasks('handle', await tree()))[0]);
      expect(handle.candidateGroups).to.deep.equal(['E-GPS']);
      expect(await completedElements(world, instanceKey)).to.not.include('dispatch');
      expect((await reload(caseRow)).status).to.equal('dispatched');
    });

    it("given the township handling a case for two hours, when the centre orders 改派 to 城管局, then the township's task ends, 城管局 gets a fresh 4-hour limit and the audit keeps the reason", async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '路口堆放建筑垃圾' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      const first = await eventually("the township's 处置 task", async () => (await openTasks('handle', await tree()))[0]);
      expect(first.dueDate).to.equal(iso('2026-03-02T15:30:00'));

      // two working hours later the centre learns it is construction waste: 改派
      await world.clock.set(at('2026-03-02T11:00:00'));
      await redispatch(caseRow.id, 'D-CGJ', '建筑垃圾属城管局职责');
      const second = await eventually("城管局's 处置 task", async () =>
        (await openTasks('handle', await tree())).find((t) => t.candidateGroups.includes('D-CGJ')),
      );
      // restarted: 4 working hours from 11:00 (1 h before noon, 3 h from 14:30), not the township's 14:30
      expect(second.dueDate).to.equal(new BusinessCalendar().addWorkingHours(at('2026-03-02T11:00:00'), 4).toISOString());
      expect(second.dueDate).to.equal(iso('2026-03-02T17:30:00'));
      expect((await world.engine.listUserTasks({ state: 'CANCELED', elementId: 'handle' })).map((t) => t.userTaskKey)).to.deep.equal([first.userTaskKey]);
      expect((await openTasks('handle', await tree())).map((t) => t.userTaskKey)).to.deep.equal([second.userTaskKey]);
      // the township's timers went with its task: only the new unit's marks are armed
      const dueTimers = (await world.engine.listTimers({})).filter((t) => t.elementId === 'handleDue');
      expect(dueTimers.map((t) => new Date(t.dueAt).toISOString())).to.deep.equal([second.dueDate]);

      const c = await eventually('the case at 城管局', async () => {
        const r = await reload(caseRow);
        return r.unitId === (await unitIdOf('D-CGJ')) ? r : null;
      });
      expect([c.status, c.returnCount, c.warningLight]).to.deep.equal(['dispatched', 0, 'green']);
      const audit = await AuditRecords.findOne({ where: { caseId: caseRow.id, action: 'redispatched' } });
      expect(audit!.detail).to.deep.include({ unitCode: 'D-CGJ', previousUnitCode: 'T-XP', reason: '建筑垃圾属城管局职责', orderedBy: 'operator' });
      expect(await completedElements(world, instanceKey)).to.include.members(['redispatchOrdered', 'recordRedispatched']);

      // the loop goes on at the new unit
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已清运' });
      await eventually('核查', async () => (await openTasks('verify', [instanceKey])).length === 1);
    });

    it("given a unit's 退单 waiting for review, when the centre orders 改派 instead, then the review task ends and the new unit handles it", async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '河道边垃圾' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'return', returnReason: '属水务局管理河段' });
      const review = await eventually('退单审核', async () => (await openTasks('returnReview', await tree()))[0]);
      await redispatch(caseRow.id, 'D-SWJ', '水务局管理河段');
      await eventually("水务局's 处置 task", async () => (await openTasks('handle', await tree())).find((t) => t.candidateGroups.includes('D-SWJ')));
      expect((await world.engine.listUserTasks({ state: 'CANCELED', elementId: 'returnReview' })).map((t) => t.userTaskKey)).to.deep.equal([
        review.userTaskKey,
      ]);
      // the unit asked to return it and the centre agreed by moving it: a 退单 not recorded as approved, a 改派 recorded
      const c = await eventually('the case at 水务局', async () => {
        const r = await reload(caseRow);
        return r.unitId === (await unitIdOf('D-SWJ')) ? r : null;
      });
      expect([c.status, c.returnCount]).to.deep.equal(['dispatched', 0]);
    });

    it('given a case in 核查, when a 改派 message arrives, then nothing moves: it is not buffered for a later handling', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'BJ-0101', gridCode: 'G-XP-01-01', description: '井盖松动' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'BJ-0101' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已加固' });
      const verify = await eventually('核查', async () => (await openTasks('verify', [instanceKey]))[0]);
      await redispatch(caseRow.id, 'D-CGJ', '误发');
      // 返工 re-enters handling: the earlier message must not be waiting there
      await world.port.completeUserTask(verify.userTaskKey, { verified: false, verifyComment: '仍松动' });
      const again = await eventually('the 返工 处置 task', async () => (await openTasks('handle', await tree()))[0]);
      expect(again.candidateGroups).to.deep.equal(['E-GPS']);
      expect(await AuditRecords.count({ where: { caseId: caseRow.id, action: 'redispatched' } })).to.equal(0);
      expect(await completedElements(world, instanceKey)).to.not.include('redispatchOrdered');
    });
  });
