import { expect } from 'chai';
import { AuditRecords, Evaluations, OutboxMessages } from '../support/tables.js';
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
  openProcessWorld,
  reload,
  reportCase,
  type ProcessWorld,
} from './support/process-harness.js';

const calendar = new BusinessCalendar();

/** 邻里纠纷 (SJ-0301, 首次调解=3d;再次调解=7d) in 文昌社区: mediated by the township (属地). */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-dispute on ${name}: mediation and hand-over`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-03-02T09:00:00'), adapter);
    });
    afterEach(() => world.close());

    it("given a neighbours' quarrel, when the first mediation brings an agreement the other side does not keep, then it is verified and closed, 回访 reopens it (重办) for 再次调解, and it closes and is evaluated after a satisfied 回访", async () => {
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0301', gridCode: 'G-XP-01-01', description: '楼上漏水，邻居协商不成' },
        'case-dispute',
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0301' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      const first = await completeTask(world, tree, 'mediate1', { mediationOutcome: 'agreed', mediationResult: '双方达成维修和赔偿协议' });
      expect(first.candidateGroups).to.deep.equal(['T-XP']);
      expect(first.dueDate).to.equal(stageDeadline(calendar, { stage: 'extra', limit: '3d', clock: 'working', start: at('2026-03-02T09:00:00') }).dueAt);
      await completeTask(world, tree, 'verify', { verified: true });
      // 回访 (case-followup): not satisfied — the agreement was not kept; 重办 goes back to 再次调解
      await eventually(
        '结案 and the 回访 wait',
        async () =>
          (await reload(caseRow)).status === 'closed' &&
          (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      await world.port.publishMessage({
        name: 'case-rating',
        correlationKey: caseRow.id,
        variables: { satisfied: false, rating: 2, ratingComment: '对方未按协议维修' },
        timeToLiveMs: 0,
      });
      const again = await eventually('再次调解 after 重办', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'mediate2' }))[0]);
      expect(again.candidateGroups).to.deep.equal(['T-XP']);
      expect((await reload(caseRow)).status).to.equal('handling');
      await completeTask(world, tree, 'mediate2', { mediationOutcome: 'agreed', mediationResult: '督促对方三日内完成维修' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the second 回访 wait', async () =>
        (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      await world.port.publishMessage({ name: 'case-rating', correlationKey: caseRow.id, variables: { satisfied: true, rating: 5 }, timeToLiveMs: 0 });
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
      const c = await reload(caseRow);
      expect(c.status).to.equal('closed');
      expect(await completedElements(world, instanceKey)).to.include.members(['followupUnsatisfied', 'reopen', 'followup']);
      expect(await Evaluations.count({ where: { caseId: caseRow.id, scope: 'case' } })).to.equal(1);
    });

    it('given a quarrel two mediations cannot settle, when the second runs late and fails, then it is 督办, handed over to 司法 and closed as handed over', async () => {
      const { caseRow, instanceKey } = await reportCase(
        world,
        { eventTypeCode: 'SJ-0301', gridCode: 'G-XP-01-01', description: '相邻通行权纠纷' },
        'case-dispute',
      );
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0301' });
      // 属地: the centre confirms the township at 派遣
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      await completeTask(world, tree, 'mediate1', { mediationOutcome: 'failed', mediationResult: '一方拒绝调解' });

      // 再次调解: 7 working days from now; it runs past its due time
      const second = stageDeadline(calendar, { stage: 'extra', limit: '7d', clock: 'working', start: at('2026-03-02T09:00:00') });
      const task = await eventually('the 再次调解 task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'mediate2' }))[0]);
      expect(task.dueDate).to.equal(second.dueAt);
      await world.clock.set(new Date(Date.parse(second.warnAt) + 60_000));
      await eventually('the 催办', async () => (await OutboxMessages.count({ where: { caseId: caseRow.id, kind: 'remind' } })) > 0);
      await world.clock.set(new Date(Date.parse(second.dueAt) + 60_000));
      await eventually('the 督办', async () => (await reload(caseRow)).escalationLevel === 1);
      await completeTask(world, tree, 'mediate2', { mediationOutcome: 'failed', mediationResult: '双方分歧大，无法达成协议' });

      // 调解不成 → the centre hands it over to 司法; nobody verifies a hand-over
      const handOver = await completeTask(world, tree, 'handOver', { handOverTo: 'judicial', handOverNote: '已告知当事人向人民法院起诉' });
      expect(handOver.candidateGroups).to.deep.equal(['operator']);
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');

      const c = await reload(caseRow);
      expect(c.status).to.equal('closed');
      expect(c.escalationLevel).to.equal(1);
      expect(await world.engine.listUserTasks({ elementId: 'verify' })).to.deep.equal([]);
      const handedOver = await AuditRecords.findOne({ where: { caseId: caseRow.id, action: 'handed-over' } });
      expect(handedOver!.detail).to.deep.equal({ handOverTo: 'judicial', note: '已告知当事人向人民法院起诉' });
      const stages = (await AuditRecords.findAll({ where: { caseId: caseRow.id, action: 'deadline-set' }, order: [['id', 'ASC']] })).map(
        (r) => (r.detail as { extraStage?: string }).extraStage ?? r.detail!['stage'],
      );
      expect(stages).to.deep.equal(['accept', '首次调解', '再次调解']);
      expect(await firedTimers(world, instanceKey)).to.have.members(['mediate2Warn', 'mediate2Due']);
      const kinds = (await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind).sort();
      // the reporter learns the dispute went to 司法, not that it was 办结 and should be rated
      expect(kinds).to.deep.equal(['escalate-1', 'escalate-1', 'remind', 'reporter-accepted', 'reporter-dispatched', 'reporter-handedOver']);
      expect((await OutboxMessages.findOne({ where: { caseId: caseRow.id, kind: 'reporter-handedOver' } }))!.body).to.contain('司法部门');
      expect(await completedElements(world, instanceKey))
        .to.include.members(['recordHandedOver', 'notifyHandedOver', 'handedOverEnd'])
        .and.not.include.members(['closedEnd', 'followup']);
      expect(await Evaluations.count({ where: { caseId: caseRow.id, scope: 'case' } })).to.equal(1);
    });
  });
