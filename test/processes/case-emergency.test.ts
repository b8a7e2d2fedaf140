import { expect } from 'chai';
import { OutboxMessages, Units } from '../support/tables.js';
import { BusinessCalendar } from '../../domain/calendar/index.js';
import { stageDeadline } from '../../domain/deadlines/index.js';
import {
  ADAPTERS,
  at,
  completedElements,
  completeTask,
  eventually,
  firedTimers,
  instanceTree,
  iso,
  openProcessWorld,
  reload,
  reportCase,
  thrownEscalations,
  type ProcessWorld,
} from './support/process-harness.js';

const calendar = new BusinessCalendar();

/** 火灾 (SJ-0401: natural minutes, 受理 10 min, 处置 60 min), 属主: the fire brigade D-XFDD leads. */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-emergency on ${name}: 24×7 minutes, 主办 and 协办`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    afterEach(() => world.close());

    it('given a fire reported on a Saturday afternoon, when the operator files it at once and the brigade alone puts it out in time, then it closes without any light', async () => {
      world = await openProcessWorld(at('2026-03-07T15:00:00'), adapter);
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0401', gridCode: 'G-XP-01-01', description: '文昌社区一居民楼冒烟起火' },
        'case-emergency',
      );
      const tree = () => instanceTree(world, instanceKey);
      const accept = await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0401' });
      expect(accept.dueDate).to.equal(iso('2026-03-07T15:10:00')); // 10 natural minutes, on a Saturday
      const handle = await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '明火已扑灭，无人员伤亡' });
      expect(handle.candidateGroups).to.deep.equal(['D-XFDD']);
      expect(handle.dueDate).to.equal(iso('2026-03-07T16:00:00'));
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      const c = await reload(caseRow);
      expect([c.status, c.escalationLevel, c.warningLight]).to.deep.equal(['closed', 0, 'green']);
      expect(await world.engine.listUserTasks({ elementId: 'assist' })).to.deep.equal([]); // no 协办 units named
      expect(await firedTimers(world, instanceKey)).to.deep.equal([]);
    });

    it('given a gas leak at 23:30 nobody files by hand, when the lead unit runs past midnight, then it is filed after 2 minutes and reminded, 督办 and 挂牌督办 on the minute, 协办 units work in parallel', async () => {
      world = await openProcessWorld(at('2026-03-02T23:30:00'), adapter);
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0403', gridCode: 'G-XP-01-01', description: '文昌社区某小区楼道内燃气味很浓' },
        'case-emergency',
        { assistUnits: ['D-XFDD', 'T-XP'] },
      );
      const tree = () => instanceTree(world, instanceKey);

      // 受理 waits 2 minutes at most: then the case is filed automatically and dispatched (属主: 燃气公司)
      await eventually('the accept task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'accept' })).length > 0);
      await world.clock.set(at('2026-03-02T23:32:00'));
      const handle = await eventually("the lead unit's task", async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' }))[0]);
      const marks = stageDeadline(calendar, { stage: 'handle', limit: '60m', clock: 'natural', start: at('2026-03-02T23:32:00') });
      expect(handle.candidateGroups).to.deep.equal(['E-RQ']);
      expect(handle.dueDate).to.equal(iso('2026-03-03T00:32:00')).and.equal(marks.dueAt); // across midnight, no working-day calendar
      let c = await reload(caseRow);
      expect(c.status).to.equal('dispatched');
      expect(c.acceptedAt!.toISOString()).to.equal(iso('2026-03-02T23:32:00'));

      // 协办: one task per unit, at the same time as the lead
      const assists = await eventually('two 协办 tasks', async () => {
        const keys = new Set(await tree());
        const tasks = (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'assist' })).filter((t) => keys.has(t.processInstanceKey));
        return tasks.length === 2 ? tasks : null;
      });
      expect(assists.map((t) => t.candidateGroups[0]).sort()).to.deep.equal(['D-XFDD', 'T-XP']);

      // 协办 has the lead's catalogue limit from the same dispatch: its own due time on each task
      expect(assists.map((t) => t.dueDate)).to.deep.equal([marks.dueAt, marks.dueAt]);

      // 00:20:48 (80 %) 催办 to the lead and to each 协办 unit, 00:32 督办, 01:02 挂牌督办 — natural minutes after midnight
      await world.clock.set(at('2026-03-03T00:21:00'));
      const units = await Units.findAll({ where: { code: ['E-RQ', 'D-XFDD', 'T-XP'] } });
      const phones = units.map((u) => u.contactPhone).sort();
      await eventually(
        'the 催办 to the lead and both 协办 units',
        async () =>
          (await OutboxMessages.findAll({ where: { caseId: caseRow.id, kind: 'remind' } }))
            .map((m) => m.recipient)
            .sort()
            .join() === phones.join(),
      );
      await world.clock.set(at('2026-03-03T00:33:00'));
      await eventually('督办', async () => (await reload(caseRow)).escalationLevel === 1);
      // each overdue 协办 hands its 督办 up from the sub-process; the boundary on the multi-instance takes it to the centre
      await eventually(
        'both 协办 督办 handed up',
        async () => (await completedElements(world, instanceKey)).filter((e) => e === 'assistEscalate1End').length === 2,
      );
      expect(await thrownEscalations(world, instanceKey)).to.deep.equal([
        { code: 'supervise', caughtBy: 'assistSupervised' },
        { code: 'supervise', caughtBy: 'assistSupervised' },
      ]);
      await world.clock.set(at('2026-03-03T01:03:00'));
      c = await eventually('挂牌督办', async () => ((await reload(caseRow)).escalationLevel === 2 ? reload(caseRow) : null));
      expect(c.warningLight).to.equal('red');

      // both 协办 units and the lead report; the join waits for all three
      for (const t of assists) await world.port.completeUserTask(t.userTaskKey, { assistResult: `${t.candidateGroups[0]} 已到场配合` });
      expect(await world.engine.listUserTasks({ state: 'CREATED', elementId: 'verify' })).to.deep.equal([]);
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已关阀堵漏，检测合格' });
      await eventually('the verify task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'verify' })).length > 0);
      const results = (await world.engine.getVariables(instanceKey))['assistResults'] as Array<{ unitCode: string; result: string }>;
      expect(results).to.deep.equal([
        { unitCode: 'D-XFDD', result: 'D-XFDD 已到场配合' },
        { unitCode: 'T-XP', result: 'T-XP 已到场配合' },
      ]);
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');

      c = await reload(caseRow);
      expect(c.status).to.equal('closed');
      expect(c.escalationLevel).to.equal(2);
      expect((await firedTimers(world, instanceKey)).sort()).to.deep.equal([
        'acceptAuto',
        'assistDue',
        'assistDue',
        'assistWarn',
        'assistWarn',
        'handleDue',
        'handleSupervise',
        'handleWarn',
      ]);
      const kinds = new Set((await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind));
      expect([...kinds].sort()).to.deep.equal(['escalate-1', 'escalate-2', 'remind', 'reporter-accepted', 'reporter-closed', 'reporter-dispatched']);
    });

    it("given a fire the brigade says is a gas matter, when it returns the case (refused once, then approved), the centre re-dispatches to the gas company, which gets an extension, then the lead's deadline and timers move while the 协办 keeps its own", async () => {
      world = await openProcessWorld(at('2026-03-07T15:00:00'), adapter);
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0401', gridCode: 'G-XP-01-01', description: '文昌社区一商铺冒烟，疑似燃气管道破裂' },
        'case-emergency',
        { assistUnits: ['T-XP'] },
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0401' });
      const assist = await eventually('the 协办 task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'assist' }))[0]);
      expect(assist.dueDate).to.equal(iso('2026-03-07T16:00:00'));

      // 退单 refused: the brigade keeps it
      const first = await completeTask(world, tree, 'handle', { handleOutcome: 'return', returnReason: '系燃气泄漏，应由燃气公司主办' });
      expect(first.candidateGroups).to.deep.equal(['D-XFDD']);
      await completeTask(world, tree, 'returnReview', { returnApproved: false, reviewComment: '先行警戒疏散，燃气公司协同' });
      const again = await eventually('the lead task again', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find((t) => t.userTaskKey !== first.userTaskKey),
      );
      expect(again.candidateGroups).to.deep.equal(['D-XFDD']);
      expect((await reload(caseRow)).returnCount).to.equal(0);

      // 退单 approved at 15:10: the centre re-dispatches the lead to 燃气公司, whose 60 minutes start now
      await world.clock.set(at('2026-03-07T15:10:00'));
      await completeTask(world, tree, 'handle', { handleOutcome: 'return', returnReason: '现场确认为燃气管道破裂' });
      await completeTask(world, tree, 'returnReview', { returnApproved: true, reviewComment: '同意，改派燃气公司' });
      const redispatch = await completeTask(world, tree, 'redispatch', { unitCode: 'E-RQ', dispatchNote: '改派燃气公司主办' });
      expect(redispatch.candidateGroups).to.deep.equal(['operator']);
      const gas = await eventually("the gas company's task", async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find((t) => t.candidateGroups.includes('E-RQ')),
      );
      expect(gas.dueDate).to.equal(iso('2026-03-07T16:10:00'));
      let c = await reload(caseRow);
      expect(c.returnCount).to.equal(1);
      expect(c.unitId).to.equal((await Units.findOne({ where: { code: 'E-RQ' } }))!.id);

      // 延期 1 hour approved: the lead's due time and its 督办 timer move to 17:10; the 协办's stay at 16:00
      await completeTask(world, tree, 'handle', { handleOutcome: 'extend', extensionHours: 1, extensionReason: '需等待抢修车和专用配件' });
      await completeTask(world, tree, 'extensionReview', { extensionApproved: true, extensionHours: 1 });
      const extended = await eventually('the extended lead task', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' })).find(
          (t) => t.userTaskKey !== gas.userTaskKey && t.candidateGroups.includes('E-RQ'),
        ),
      );
      expect(extended.dueDate).to.equal(iso('2026-03-07T17:10:00'));
      const dueAt = async (elementId: string) =>
        (await world.engine.listTimers({})).filter((x) => x.elementId === elementId).map((x) => new Date(x.dueAt).toISOString());
      expect(await dueAt('handleDue')).to.deep.equal([iso('2026-03-07T17:10:00')]);
      expect(await dueAt('assistDue')).to.deep.equal([iso('2026-03-07T16:00:00')]);
      c = await reload(caseRow);
      expect(c.extensionCount).to.equal(1);

      await world.port.completeUserTask(assist.userTaskKey, { assistResult: '已疏散群众并设置警戒' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已更换破损管段，检测合格' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      c = await reload(caseRow);
      expect([c.status, c.returnCount, c.extensionCount, c.escalationLevel, c.warningLight]).to.deep.equal(['closed', 1, 1, 0, 'green']);
      expect(await firedTimers(world, instanceKey)).to.deep.equal([]);
    });
  });
