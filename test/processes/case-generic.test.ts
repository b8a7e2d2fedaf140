import { expect } from 'chai';
import { Evaluations, OutboxMessages } from '../support/tables.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { BusinessCalendar } from '../../domain/calendar/index.js';
import { rateCase } from '../../domain/intake/tracking.js';
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
  thrownEscalations,
  type ProcessWorld,
} from './support/process-harness.js';

/**
 * The generic case loop end to end through the port, on the test clock: 暴露垃圾 in 文昌社区 reported on
 * the afternoon before the 2026 National Day week, so every deadline has to jump the holiday.
 */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-generic on ${name}: the closed loop on the working-day calendar`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-09-30T16:00:00'), adapter);
    });
    afterEach(() => world.close());

    it('given a report before the National Day week, when it is accepted, handled late, fails verification once and is rated, then deadlines, lights, escalation, rework and evaluation are right', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '文昌社区路边有暴露垃圾' });
      const tree = () => instanceTree(world, instanceKey);

      // 受理: 0.5 working hours from 16:00 Wednesday
      const accept = await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      expect(accept.candidateGroups).to.deep.equal(['operator']);
      expect(accept.dueDate).to.equal(iso('2026-09-30T16:30:00'));

      // routed by 属地 to the township, handled there: 4 working hours = 2 h on Wednesday + 2 h after the holiday
      const handle = await eventually('the handle task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' }))[0]);
      expect(handle.candidateGroups).to.deep.equal(['T-XP']);
      expect(handle.dueDate).to.equal(iso('2026-10-08T10:30:00'));
      let c = await reload(caseRow);
      expect(c.status).to.equal('dispatched');
      expect(c.warningLight).to.equal('green');

      // 80 % of the limit (3.2 h): yellow light and a 催办 reminder
      await world.clock.set(at('2026-10-08T09:45:00'));
      // the worker turns the light yellow, then queues the reminder: wait for both
      await eventually(
        'the yellow light and the 催办 reminder',
        async () => (await reload(caseRow)).warningLight === 'yellow' && (await OutboxMessages.count({ where: { caseId: caseRow.id, kind: 'remind' } })) > 0,
      );

      // 100 %: red light and 督办 (level 1)
      await world.clock.set(at('2026-10-08T10:31:00'));
      c = await eventually('督办', async () => ((await reload(caseRow)).escalationLevel >= 1 ? reload(caseRow) : null));
      expect(c.warningLight).to.equal('red');
      expect(c.escalationLevel).to.equal(1);
      // case-handling hands 督办 up as an escalation; the caller's boundary on the call activity takes it to the centre's 督办 job
      expect(await thrownEscalations(world, instanceKey)).to.deep.equal([{ code: 'supervise', caughtBy: 'handlingSupervise' }]);
      await eventually("the caller's 督办 path to end", async () => (await completedElements(world, instanceKey)).includes('escalate1End'));
      expect(await completedElements(world, instanceKey)).to.include.members(['handlingSupervise', 'escalate1']);

      // handled; verification fails once (返工), handled again, verified
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已清运' });
      await completeTask(world, tree, 'verify', { verified: false, verifyComment: '仍有残留' });
      await eventually('返工 recorded', async () => (await reload(caseRow)).reworkCount === 1);
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已彻底清理' });
      await completeTask(world, tree, 'verify', { verified: true });
      c = await eventually('结案', async () => ((await reload(caseRow)).status === 'closed' ? reload(caseRow) : null));
      expect(c.closedAt).to.be.instanceOf(Date);

      // 回访: the reporter is satisfied
      // the rating may arrive before the process opens 回访: buffered for a week, as the API publishes it
      await world.port.publishMessage({
        name: 'case-rating',
        correlationKey: caseRow.id,
        variables: { satisfied: true, rating: 5 },
        timeToLiveMs: 7 * 86_400_000,
      });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');

      c = await reload(caseRow);
      expect(c.reworkCount).to.equal(1);
      expect(c.escalationLevel).to.equal(1);
      // reporter told three times; one 催办 to the unit; 督办 to the unit leader and the centre
      const kinds = (await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind).sort();
      expect(kinds).to.deep.equal(['escalate-1', 'escalate-1', 'remind', 'reporter-accepted', 'reporter-closed', 'reporter-dispatched']);
      const evaluation = await Evaluations.findOne({ where: { caseId: caseRow.id, scope: 'case' } });
      expect(evaluation, 'the case evaluation').to.not.equal(null);
      expect(evaluation!.metrics['reworkCount'] ?? evaluation!.metrics['rework']).to.equal(1);
      expect((await verifyAuditChain()).ok).to.equal(true);
    });

    it('given a report that is not a matter for the centre, when the operator refuses to file it, then the reporter is told and the case is rejected', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '咨询公交线路' });
      await completeTask(world, () => instanceTree(world, instanceKey), 'accept', { filed: false, rejectReason: '非城市管理问题，已告知拨打交通热线' });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      expect((await reload(caseRow)).status).to.equal('rejected');
      expect(await OutboxMessages.count({ where: { caseId: caseRow.id } })).to.be.greaterThan(0);
    });

    it('given a unit that returns the case and later asks for more time, when the centre approves both, then the case is re-dispatched and the deadline moves', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '垃圾桶旁堆放建筑垃圾' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });

      // 退单: the township says this is construction waste, the centre agrees and re-dispatches (改派) by hand
      await completeTask(world, tree, 'handle', { handleOutcome: 'return', returnReason: '属建筑垃圾，应由城管局处理' });
      await completeTask(world, tree, 'returnReview', { returnApproved: true, reviewComment: '同意改派' });
      await completeTask(world, tree, 'dispatch', { unitCode: 'D-CGJ', dispatchNote: '改派城管局' });
      let c = await eventually('改派', async () => ((await reload(caseRow)).returnCount === 1 ? reload(caseRow) : null));

      // 延期: the bureau asks for 7 more working hours; approved, the handle deadline moves by one working day
      const before = await eventually('the handle task of the new unit', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find((t) => t.candidateGroups.includes('D-CGJ')),
      );
      await completeTask(world, tree, 'handle', { handleOutcome: 'extend', extensionHours: 7, extensionReason: '需调派清运车辆' });
      await completeTask(world, tree, 'extensionReview', { extensionApproved: true, extensionHours: 7 });
      const after = await eventually('the handle task after the extension', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find((t) => t.userTaskKey !== before.userTaskKey),
      );
      expect(after.candidateGroups).to.deep.equal(['D-CGJ']);
      expect(after.dueDate).to.equal(new BusinessCalendar().addWorkingHours(new Date(before.dueDate!), 7).toISOString());
      const dueTimers = (await world.engine.listTimers({})).filter((t) => t.elementId === 'handleDue');
      expect(dueTimers.map((t) => new Date(t.dueAt).toISOString())).to.deep.equal([after.dueDate]);
      c = await reload(caseRow);
      expect(c.extensionCount).to.equal(1);
      expect(c.status).to.equal('dispatched');
    });

    it("given a problem that needs next year's works programme, when the unit asks to shelve it and the centre agrees, then the case is 挂账 and leaves the loop", async () => {
      const { caseRow, instanceKey } = await reportCase(world, {
        eventTypeCode: 'SJ-0101',
        gridCode: 'G-XP-01-01',
        description: '背街小巷长期积存垃圾，需新建垃圾房',
      });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });

      // a first request is refused: the unit keeps handling it
      await completeTask(world, tree, 'handle', { handleOutcome: 'shelve', shelveReason: '需新建垃圾房' });
      await completeTask(world, tree, 'shelveReview', { shelveApproved: false, reviewComment: '先行清运，垃圾房另行申报' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'shelve', shelveReason: '清运后仍反复堆积，需纳入明年工程计划' });
      await completeTask(world, tree, 'shelveReview', { shelveApproved: true });
      await eventually('the instance to end', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      const c = await reload(caseRow);
      expect(c.status).to.equal('shelved');
      expect(await world.engine.listUserTasks({ state: 'CREATED' })).to.deep.equal([]);
    });

    it('given a reporter unsatisfied at 回访, when the rating arrives, then case-followup hands it back, the case is reopened (重办) and handled, verified, closed and rated again', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '小区门口垃圾满溢' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      const first = await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已清运' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually(
        '结案 and the 回访 wait',
        async () =>
          (await reload(caseRow)).status === 'closed' &&
          (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      // the reporter's own path (the public page): rateCase publishes the rating
      await rateCase(world.port, caseRow.trackingToken, { satisfied: false, rating: 2, comment: '垃圾又堆起来了' });

      // 重办: handled again by the same unit, then verified and closed a second time
      const again = await eventually('the reopened handle task', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find((t) => t.userTaskKey !== first.userTaskKey),
      );
      expect(again.candidateGroups).to.deep.equal(['T-XP']);
      let c = await reload(caseRow);
      expect([c.status, c.closedAt]).to.deep.equal(['handling', null]);
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已清运并增设垃圾桶' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the second 回访 wait', async () =>
        (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      // a new round: the reporter may rate again (the first answer stays in the 重办 audit record)
      await rateCase(world.port, caseRow.trackingToken, { satisfied: true, rating: 5 });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      c = await reload(caseRow);
      expect([c.status, c.satisfaction]).to.deep.equal(['closed', 'satisfied']);
      const path = await completedElements(world, instanceKey);
      expect(path.filter((e) => e === 'followup')).to.have.length(1); // the first call ended in the error, caught by the boundary
      expect(path).to.include.members(['followupUnsatisfied', 'reopen', 'evaluate']);
      expect(await OutboxMessages.findAll({ where: { caseId: caseRow.id, kind: 'reporter-closed' } })).to.have.length(2);
    });

    it('given a reporter who never rates, when three days pass after 结案, then 回访 times out and the case is evaluated', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '路边垃圾桶破损' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已更换' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the 回访 wait', async () =>
        (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      await world.clock.advance(3 * 86_400_000 + 60_000);
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      expect(await Evaluations.count({ where: { caseId: caseRow.id, scope: 'case' } })).to.equal(1);
      expect((await reload(caseRow)).satisfaction).to.equal(null);
    });

    it('given a unit that lets the case run to 150 % of its limit, when 挂牌督办 falls due, then case-handling hands it up as supervise-listed and the category process escalates to level 2', async () => {
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '商铺门前长期堆放杂物' },
        'case-city-appearance',
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      const handle = await eventually('the handle task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' }))[0]);
      const marks = await world.engine.getVariables(handle.processInstanceKey);
      await world.clock.set(new Date(Date.parse(String(marks['handleSuperviseAt'])) + 60_000));
      await eventually('挂牌督办 on the case', async () => (await reload(caseRow)).escalationLevel === 2);
      // the 督办 and 挂牌督办 jobs run side by side: wait for both paths of the caller to end
      await eventually("the caller's 督办 and 挂牌督办 paths to end", async () => {
        const done = await completedElements(world, instanceKey);
        return done.includes('escalate1End') && done.includes('escalate2End');
      });
      expect(await thrownEscalations(world, instanceKey)).to.deep.equal([
        { code: 'supervise', caughtBy: 'handlingSupervise' },
        { code: 'supervise-listed', caughtBy: 'handlingSuperviseListed' },
      ]);
      expect(await completedElements(world, instanceKey)).to.include.members(['handlingSupervise', 'escalate1', 'handlingSuperviseListed', 'escalate2']);
      const c = await reload(caseRow);
      expect([c.warningLight, c.status]).to.deep.equal(['red', 'dispatched']);
      const kinds = new Set((await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind));
      expect([...kinds].sort()).to.deep.equal(['escalate-1', 'escalate-2', 'remind', 'reporter-accepted', 'reporter-dispatched']);
      // the unit is still at work: the escalations did not interrupt 处置
      expect((await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).map((t) => t.userTaskKey)).to.deep.equal([handle.userTaskKey]);
    });
  });
