import { expect } from 'chai';
import { OutboxMessages } from '../support/tables.js';
import { processIdForCategory } from '../../domain/cases/process-for-category.js';
import { ADAPTERS, at, completeTask, eventually, instanceTree, openProcessWorld, reload, reportCase, type ProcessWorld } from './support/process-harness.js';

/** 市容环境, 生态环境 and 食品安全 run the generic loop under their own process ids. */
const LOOPS = [
  { category: '市容环境', processId: 'case-city-appearance', eventTypeCode: 'SJ-0101', unit: 'T-XP', description: '文昌社区路边有暴露垃圾' },
  { category: '生态环境', processId: 'case-ecology', eventTypeCode: 'SJ-0205', unit: 'T-XP', description: '村口有人焚烧秸秆，浓烟很大' },
  { category: '食品安全', processId: 'case-food-safety', eventTypeCode: 'SJ-0602', unit: 'D-SJJ', description: '小卖部在卖过期牛奶' },
] as const;

for (const { adapter, name } of ADAPTERS)
  describe(`process / the generic loop of 市容环境, 生态环境, 食品安全 on ${name}`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-03-02T09:00:00'), adapter);
    });
    afterEach(() => world.close());

    for (const loop of LOOPS) {
      it(`given a ${loop.category} report, when it runs ${loop.processId}, then it is accepted, handled by ${loop.unit}, verified, rated and closed`, async () => {
        expect(processIdForCategory(loop.category)).to.equal(loop.processId);
        const { caseRow, instanceKey } = await reportCase(
          world,
          { eventTypeCode: loop.eventTypeCode, gridCode: 'G-XP-01-01', description: loop.description },
          loop.processId,
        );
        expect((await world.engine.getInstance(instanceKey))!.bpmnProcessId).to.equal(loop.processId);
        const tree = () => instanceTree(world, instanceKey);
        await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: loop.eventTypeCode });
        // 属地 (the township) stops at the centre's 派遣 to be confirmed; 属主 (食品安全 → 市场监管局) goes straight on
        if (loop.unit.startsWith('T-')) await completeTask(world, tree, 'dispatch', { unitCode: loop.unit });
        const handle = await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已处置' });
        expect(handle.candidateGroups).to.deep.equal([loop.unit]);
        await completeTask(world, tree, 'verify', { verified: true });
        await world.port.publishMessage({
          name: 'case-rating',
          correlationKey: caseRow.id,
          variables: { satisfied: true, rating: 5 },
          timeToLiveMs: 7 * 86_400_000,
        });
        await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
        const c = await reload(caseRow);
        expect([c.status, c.category]).to.deep.equal(['closed', loop.category]);
        const kinds = (await OutboxMessages.findAll({ where: { caseId: caseRow.id } })).map((m) => m.kind).sort();
        expect(kinds).to.deep.equal(['reporter-accepted', 'reporter-closed', 'reporter-dispatched']);
      });
    }
  });
