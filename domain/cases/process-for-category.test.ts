import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { CATEGORIES } from '../../db/vocabulary.js';
import { EventTypes } from '../../test/support/tables.js';
import { demoDatabase } from '../../test/support/case-fixtures.js';
import { FALLBACK_PROCESS_ID, PROCESS_FOR_CATEGORY, REQUIRED_EXTRA_STAGES, processIdForCategory } from './process-for-category.js';

/** The `extraStage` headers of a process file: the stages its deadline jobs time. */
const extraStageHeaders = (processId: string) =>
  [...readFileSync(new URL(`../../processes/${processId}.bpmn`, import.meta.url), 'utf8').matchAll(/<zeebe:header key="extraStage" value="([^"]+)"/g)].map(
    (m) => m[1]!,
  );

describe('cases / process for a category (domain/cases/process-for-category)', () => {
  it('given each category, when its process is looked up, then it is the category process and its file exists in processes/', () => {
    expect(processIdForCategory('应急指挥')).to.equal('case-emergency');
    expect(processIdForCategory('住房建设')).to.equal('case-illegal-building');
    expect(processIdForCategory('矛盾纠纷')).to.equal('case-dispute');
    expect(processIdForCategory('市容环境')).to.equal('case-city-appearance');
    expect(processIdForCategory('生态环境')).to.equal('case-ecology');
    expect(processIdForCategory('食品安全')).to.equal('case-food-safety');
    for (const category of CATEGORIES) {
      const id = PROCESS_FOR_CATEGORY[category];
      expect(existsSync(new URL(`../../processes/${id}.bpmn`, import.meta.url)), `${category} → ${id}`).to.equal(true);
    }
  });

  it('given 其他, no category yet or an unknown one, when looked up, then the generic loop', () => {
    for (const c of ['其他', null, undefined, '', '外星人', 'toString']) expect(processIdForCategory(c)).to.equal(FALLBACK_PROCESS_ID);
  });

  it('given 矛盾纠纷 types with and without mediation stages, when looked up, then 邻里纠纷 mediates and 劳资纠纷 runs the generic loop', () => {
    expect(processIdForCategory('矛盾纠纷', { extraStages: ['首次调解', '再次调解'] })).to.equal('case-dispute');
    expect(processIdForCategory('矛盾纠纷', { extraStages: null })).to.equal('case-generic');
  });

  it('given the processes, when their extraStage headers are read, then they are the stages the lookup requires', () => {
    for (const [processId, stages] of Object.entries(REQUIRED_EXTRA_STAGES))
      expect(new Set(extraStageHeaders(processId)), processId).to.deep.equal(new Set(stages));
    for (const id of Object.values(PROCESS_FOR_CATEGORY)) if (!REQUIRED_EXTRA_STAGES[id]) expect(extraStageHeaders(id), id).to.deep.equal([]);
  });

  it('given every event type of the demo catalogue, when its process is looked up with its stages, then the process times only stages the type has', async () => {
    const db = await demoDatabase();
    try {
      const types = await EventTypes.findAll();
      expect(types.length).to.be.greaterThan(50);
      const chosen: Record<string, string> = {};
      for (const t of types) {
        const names = t.extraStages?.map((s) => s.name) ?? null;
        const processId = processIdForCategory(t.category, { extraStages: names });
        chosen[t.code] = processId;
        for (const stage of extraStageHeaders(processId)) expect(names ?? [], `${t.code} ${t.name} → ${processId}`).to.include(stage);
      }
      expect([chosen['SJ-0501'], chosen['SJ-0505'], chosen['SJ-0301'], chosen['SJ-0305'], chosen['SJ-0401']]).to.deep.equal([
        'case-illegal-building',
        'case-generic',
        'case-dispute',
        'case-generic',
        'case-emergency',
      ]);
    } finally {
      await db.close();
    }
  });

  it("given 住房建设 with the event type's extra stages, when looked up, then 违法建设 only with 停工, 处罚 and 拆除; otherwise the generic loop", () => {
    expect(processIdForCategory('住房建设', { extraStages: ['停工', '处罚', '拆除'] })).to.equal('case-illegal-building');
    expect(processIdForCategory('住房建设', { extraStages: null })).to.equal('case-generic'); // 施工占道
    expect(processIdForCategory('住房建设', { extraStages: ['停工', '处罚', '复耕'] })).to.equal('case-generic'); // 乱占耕地建房
    expect(processIdForCategory('应急指挥', { extraStages: null })).to.equal('case-emergency');
  });
});
