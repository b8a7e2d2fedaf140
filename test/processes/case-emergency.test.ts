import { expect } from 'chai';
import { OutboxMessage } from '../../db/models/index.js';
import { BusinessCalendar } from '../../domain/calendar/index.js';
import { stageDeadline } from '../../domain/deadlines/index.js';
import {
  ADAPTERS, at, completeTask, eventually, firedTimers, instanceTree, iso, openProcessWorld, reload, reportCase, type ProcessWorld,
} from './support/process-harness.js';

const calendar = new BusinessCalendar();

/** 火灾 (SJ-0401: natural minutes, 受理 10 min, 处置 60 min), 属主: the fire brigade D-XFDD leads. */
for (const { adapter, name } of ADAPTERS) describe(`process / case-emergency on ${name}: 24×7 minutes, 主办 and 协办`, function () {
  this.timeout(60_000);
  let world: ProcessWorld;
  afterEach(() => world.close());

  it('given a fire reported on a Saturday afternoon, when the operator files it at once and the brigade alone puts it out in time, then it closes without any light', async () => {
    world = await openProcessWorld(at('2026-03-07T15:00:00'), adapter);
    const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0401', gridCode: 'G-XP-01-01', description: '文昌社区一居民楼冒烟起火' }, 'case-emergency');
    const tree = () => instanceTree(world, instanceKey);
    const accept = await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0401' });
    expect(accept.dueDate).to.equal(iso('2026-03-07T15:10:00')); // 10 natural minutes, on a Saturday
    const handle = await completeTask(world, tree, 'handle', { handleResult: '明火已扑灭，无人员伤亡' });
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
    const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0403', gridCode: 'G-XP-01-01', description: '文昌社区某小区楼道内燃气味很浓' }, 'case-emergency',
      { assistUnits: ['D-XFDD', 'T-XP'] });
    const tree = () => instanceTree(world, instanceKey);

    // 受理 waits 2 minutes at most: then the case is filed automatically and dispatched (属主: 燃气公司)
    await eventually('the accept task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'accept' })).length > 0);
    await world.clock.set(at('2026-03-02T23:32:00'));
    const handle = await eventually('the lead unit\'s task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' }))[0]);
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

    // 00:20:48 (80 %) 催办, 00:32 督办, 01:02 挂牌督办 — natural minutes after midnight
    await world.clock.set(at('2026-03-03T00:21:00'));
    await eventually('the 催办', async () => (await OutboxMessage.count({ where: { caseId: caseRow.id, kind: 'remind' } })) > 0);
    await world.clock.set(at('2026-03-03T00:33:00'));
    await eventually('督办', async () => (await reload(caseRow)).escalationLevel === 1);
    await world.clock.set(at('2026-03-03T01:03:00'));
    c = await eventually('挂牌督办', async () => ((await reload(caseRow)).escalationLevel === 2 ? reload(caseRow) : null));
    expect(c.warningLight).to.equal('red');

    // both 协办 units and the lead report; the join waits for all three
    for (const t of assists) await world.port.completeUserTask(t.userTaskKey, { assistResult: `${t.candidateGroups[0]} 已到场配合` });
    expect(await world.engine.listUserTasks({ state: 'CREATED', elementId: 'verify' })).to.deep.equal([]);
    await completeTask(world, tree, 'handle', { handleResult: '已关阀堵漏，检测合格' });
    await eventually('the verify task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'verify' })).length > 0);
    const results = (await world.engine.getVariables(instanceKey))['assistResults'] as Array<{ unitCode: string; result: string }>;
    expect(results).to.deep.equal([{ unitCode: 'D-XFDD', result: 'D-XFDD 已到场配合' }, { unitCode: 'T-XP', result: 'T-XP 已到场配合' }]);
    await completeTask(world, tree, 'verify', { verified: true });
    await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');

    c = await reload(caseRow);
    expect(c.status).to.equal('closed');
    expect(c.escalationLevel).to.equal(2);
    expect(await firedTimers(world, instanceKey)).to.have.members(['acceptAuto', 'handleWarn', 'handleDue', 'handleSupervise']);
    const kinds = new Set((await OutboxMessage.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind));
    expect([...kinds].sort()).to.deep.equal(['escalate-1', 'escalate-2', 'remind', 'reporter-accepted', 'reporter-closed', 'reporter-dispatched']);
  });
});
