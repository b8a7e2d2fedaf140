import { expect } from 'chai';
import { AuditRecords, OutboxMessages } from '../support/tables.js';
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
  type ProcessWorld,
} from './support/process-harness.js';

const calendar = new BusinessCalendar();

/**
 * 违法建设 (SJ-0501, extra stages 停工=4h;处罚=7d;拆除=20d) in 文昌社区 on a plain March week: three
 * stages for the township, each timed from the catalogue; 处罚 runs late.
 */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-illegal-building on ${name}: 停工 → 处罚 → 拆除`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-03-02T09:00:00'), adapter);
    });
    afterEach(() => world.close());

    it('given a rooftop extension, when 停工 is on time and 处罚 runs late, then each stage has its catalogue deadline, 处罚 is reminded and 督办, and the case closes after 拆除', async () => {
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0501', gridCode: 'G-XP-01-01', description: '文昌社区某楼顶违法加盖彩钢房' },
        'case-illegal-building',
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0501' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });

      // 停工: 4 working hours from dispatch at 09:00 → 15:30, for the township (属地)
      const stopWork = await completeTask(world, tree, 'stopWork', { stageResult: '已送达责令停止建设通知书，现场已停工' });
      expect(stopWork.candidateGroups).to.deep.equal(['T-XP']);
      expect(stopWork.dueDate).to.equal(iso('2026-03-02T15:30:00'));
      let c = await reload(caseRow);
      expect(c.status).to.equal('dispatched');

      // 处罚: 7 working days from the moment 停工 was done (the clock has not moved: 09:00)
      const penaltyMarks = stageDeadline(calendar, { stage: 'extra', limit: '7d', clock: 'working', start: at('2026-03-02T09:00:00') });
      const penalty = await eventually('the 处罚 task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'penalty' }))[0]);
      expect(penalty.candidateGroups).to.deep.equal(['T-XP']);
      expect(penalty.dueDate).to.equal(penaltyMarks.dueAt);
      c = await eventually('the case due at the 处罚 deadline', async () => {
        const r = await reload(caseRow);
        return r.dueAt?.toISOString() === penaltyMarks.dueAt ? r : null;
      });
      expect(c.warningLight).to.equal('green');

      // 80 %: 催办; 100 %: 督办 (red); the unit is still working on it
      await world.clock.set(new Date(Date.parse(penaltyMarks.warnAt) + 60_000));
      await eventually('the 处罚 催办', async () => (await OutboxMessages.count({ where: { caseId: caseRow.id, kind: 'remind' } })) > 0);
      await world.clock.set(new Date(Date.parse(penaltyMarks.dueAt) + 60_000));
      c = await eventually('the 处罚 督办', async () => ((await reload(caseRow)).escalationLevel >= 1 ? reload(caseRow) : null));
      expect(c.warningLight).to.equal('red');
      const remind = await OutboxMessages.findOne({ where: { caseId: caseRow.id, kind: 'remind' } });
      expect(remind!.body).to.contain('处罚');

      // late, 处罚 is decided; 拆除 gets 20 working days from now
      const demolishStart = new Date(world.clock.now());
      await completeTask(world, tree, 'penalty', { stageResult: '已作出行政处罚决定书' });
      const demolish = await eventually('the 拆除 task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'demolish' }))[0]);
      expect(demolish.dueDate).to.equal(stageDeadline(calendar, { stage: 'extra', limit: '20d', clock: 'working', start: demolishStart }).dueAt);
      await completeTask(world, tree, 'demolish', { stageResult: '违建已拆除，现场恢复原状' });
      await completeTask(world, tree, 'verify', { verified: true, verifyComment: '核查拆除到位' });
      // 回访 (case-followup): the reporter is satisfied
      await world.port.publishMessage({
        name: 'case-rating',
        correlationKey: caseRow.id,
        variables: { satisfied: true, rating: 5 },
        timeToLiveMs: 7 * 86_400_000,
      });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');

      c = await reload(caseRow);
      expect(c.status).to.equal('closed');
      expect(c.escalationLevel).to.equal(1);
      const timers = await firedTimers(world, instanceKey);
      expect(timers).to.include.members(['penaltyWarn', 'penaltyDue']);
      expect(timers.filter((t) => t.startsWith('stopWork') || t.startsWith('demolish') || t === 'penaltySupervise')).to.deep.equal([]);
      const stages = (await AuditRecords.findAll({ where: { caseId: caseRow.id, action: 'deadline-set' }, order: [['id', 'ASC']] })).map(
        (r) => (r.detail as { extraStage?: string; stage: string }).extraStage ?? r.detail!['stage'],
      );
      expect(stages).to.deep.equal(['accept', '停工', '处罚', '拆除']);
      const kinds = (await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind).sort();
      expect(kinds).to.deep.equal(['escalate-1', 'escalate-1', 'remind', 'reporter-accepted', 'reporter-closed', 'reporter-dispatched']);
    });

    it('given a reporter unsatisfied that the structure is only half removed, when 回访 says so, then the case is reopened (重办) at 拆除 with a fresh deadline and closes after a second 回访', async () => {
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0501', gridCode: 'G-XP-01-01', description: '文昌社区院内违建棚房' },
        'case-illegal-building',
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0501' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      await completeTask(world, tree, 'stopWork', { stageResult: '已停工' });
      await completeTask(world, tree, 'penalty', { stageResult: '已处罚' });
      const firstDemolish = await completeTask(world, tree, 'demolish', { stageResult: '已拆除' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually(
        '结案 and the 回访 wait',
        async () =>
          (await reload(caseRow)).status === 'closed' &&
          (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      await world.clock.set(at('2026-03-04T10:00:00'));
      await world.port.publishMessage({
        name: 'case-rating',
        correlationKey: caseRow.id,
        variables: { satisfied: false, rating: 1, ratingComment: '只拆了一半' },
        timeToLiveMs: 0,
      });

      const again = await eventually('拆除 again', async () =>
        (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'demolish' })).find((t) => t.userTaskKey !== firstDemolish.userTaskKey),
      );
      expect(again.candidateGroups).to.deep.equal(['T-XP']);
      expect(again.dueDate).to.equal(stageDeadline(calendar, { stage: 'extra', limit: '20d', clock: 'working', start: at('2026-03-04T10:00:00') }).dueAt);
      expect((await reload(caseRow)).status).to.equal('handling');
      await completeTask(world, tree, 'demolish', { stageResult: '残余部分已全部拆除' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the second 回访 wait', async () =>
        (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      await world.port.publishMessage({ name: 'case-rating', correlationKey: caseRow.id, variables: { satisfied: true, rating: 4 }, timeToLiveMs: 0 });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      expect((await reload(caseRow)).status).to.equal('closed');
      expect(await completedElements(world, instanceKey)).to.include.members(['followupUnsatisfied', 'reopen', 'followup', 'evaluate']);
      const audit = (await AuditRecords.findAll({ where: { caseId: caseRow.id }, order: [['id', 'ASC']] })).map((r) => r.action);
      expect(audit).to.include('reopened');
    });
  });
