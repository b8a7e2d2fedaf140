import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ClassifyExamples, ClassifyModels } from '../../test/support/tables.js';
import { importCsvFiles, ImportError } from '../../db/import/importer.js';
import { demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { listModels, loadCatalogueClassifier, recordDecision, retrain, rollback, RollbackError } from './index.js';

describe('trained intake classifier on the demo district (domain/classify)', function () {
  this.timeout(60_000);
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  // reports written for this test, not in the corpus: colloquial words the catalogue does not have
  const reports: Array<[string, string]> = [
    ['我们单元楼下那个盖子不见了，下面是臭水沟', 'BJ-0102'],
    ['隔壁那条狗天天半夜叫，吵得睡不着', 'SJ-0301'],
    ['老板跑路了，我们十几个工人的钱没人给', 'SJ-0305'],
    ['马路中间陷下去一个大洞，车差点掉进去', 'SJ-0402'],
    ['楼下烧烤摊的烟全飘进我家', 'SJ-0203'],
  ];
  for (const [text, code] of reports) {
    it(`given 「${text}」, when classified, then ${code} is among the top three and it is dispatchable`, async () => {
      const c = (await loadCatalogueClassifier()).classify(text);
      expect(c.method).to.equal('model');
      expect(c.dispatchable).to.equal(true);
      expect(c.candidates.slice(0, 3).map((x) => x.code)).to.include(code);
      expect(c.candidates[0]!.confidence).to.be.within(0, 1);
    });
  }

  for (const text of ['请问办居住证需要带什么材料', '推销贷款的，无抵押当天放款']) {
    it(`given 「${text}」, when classified, then it is not dispatchable and files nothing`, async () => {
      const c = (await loadCatalogueClassifier()).classify(text);
      expect(c.dispatchable).to.equal(false);
      expect(c.notDispatchable!.label).to.match(/^NONE-/);
      expect(c.confidence).to.equal(0);
    });
  }

  const places: Array<[string, string, string]> = [
    ['文昌社区第2网格：路灯不亮', 'G-XP-01-02', 'grid'],
    ['红星农贸市场门口有人摆摊', 'grid of 红星农贸市场', 'landmark'],
    ['白水镇有人烧秸秆', 'first grid of 白水镇', 'township'],
  ];
  for (const [text, where, level] of places) {
    it(`given 「${text}」 without coordinates, when classified, then the place is read at ${level} level (${where})`, async () => {
      const p = (await loadCatalogueClassifier()).classify(text).place!;
      expect(p.level).to.equal(level);
      if (level === 'grid') expect(p.gridCode).to.equal(where);
      expect(p.confidence).to.be.within(0.2, 0.95);
    });
  }

  it('given an operator files a report under a type, when the model is retrained, then it is a new active version that knows the decision, and rollback makes the previous one active', async () => {
    await loadCatalogueClassifier(); // the first model exists
    const before = await listModels();
    await recordDecision({ caseId: '990001', text: '小区后门那个铁疙瘩又被人搬走了', filed: true, eventTypeCode: 'BJ-0101' });
    const example = (await ClassifyExamples.findOne({ where: { code: 'OP-990001' } }))!;
    expect(example).to.deep.include({ label: 'BJ-0101', source: 'operator' });
    const made = (await retrain('test'))!;
    expect(made.active).to.equal(true);
    expect(made.operatorExamples).to.equal(1);
    expect(made.typeTop1).to.be.within(0, 1);
    expect((await loadCatalogueClassifier()).modelVersion).to.equal(made.version);
    const back = await rollback();
    expect(back.version).to.equal(before[0]!.version);
    expect((await loadCatalogueClassifier()).modelVersion).to.equal(before[0]!.version);
    expect(await ClassifyModels.count({ where: { active: true } })).to.equal(1);
  });

  it('given a 不予立案 whose reason is a duplicate, when recorded, then nothing is learnt; given 咨询, then NONE-CONSULT', async () => {
    await recordDecision({ caseId: '990002', text: '路灯不亮', filed: false, rejectReason: '重复反映，已并单' });
    expect(await ClassifyExamples.count({ where: { code: 'OP-990002' } })).to.equal(0);
    await recordDecision({ caseId: '990003', text: '请问公积金怎么取', filed: false, rejectReason: '政策咨询，已直接答复' });
    expect((await ClassifyExamples.findOne({ where: { code: 'OP-990003' } }))!.label).to.equal('NONE-CONSULT');
  });

  it('given an example CSV with an unknown label, when imported, then nothing is imported and the row is named', async () => {
    const file = join(tmpdir(), `classify-examples-${process.pid}.csv`);
    writeFileSync(file, 'code,text,label,channel,source\nT-1,井盖没了,BJ-0101,wechat,admin\nT-2,随便,XX-9999,wechat,admin\n');
    const count = await ClassifyExamples.count();
    const err = await importCsvFiles(db.sql, { classifyExamples: file }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ImportError);
    expect((err as ImportError).problems).to.deep.include({
      file: file.split('/').pop(),
      row: 3,
      column: 'label',
      message: 'XX-9999 is not a known event type or NONE-CONSULT, NONE-PRAISE, NONE-VAGUE, NONE-SPAM',
    });
    expect(await ClassifyExamples.count()).to.equal(count);
  });

  it('given only one model version, when rolled back, then it is refused', async () => {
    await ClassifyModels.destroy({ where: {} });
    await retrain('alone');
    expect(await rollback().catch((e: unknown) => e)).to.be.instanceOf(RollbackError);
  });
});
