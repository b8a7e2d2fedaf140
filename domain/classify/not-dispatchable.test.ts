import { expect } from 'chai';
import { demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { loadCatalogueClassifier } from './index.js';

describe('not-dispatchable calls: no evidence, and how such calls talk (domain/classify)', function () {
  this.timeout(60_000);
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  // written for this test: not in the corpus nor in the held-out set
  for (const text of ['喂喂？', '。。。', '啊']) {
    it(`given 「${text}」 (nothing the model has learned), when classified, then it is 信息不全 and files nothing, not a guessed type`, async () => {
      const c = (await loadCatalogueClassifier()).classify(text);
      expect(c.dispatchable).to.equal(false);
      expect(c.notDispatchable!.label).to.equal('NONE-VAGUE');
      expect(c.confidence).to.equal(0); // nothing filed by itself
    });
  }

  for (const [text, label] of [
    ['请问老年证在哪里办，需要什么材料', 'NONE-CONSULT'],
    ['代办各类贷款，加微信详谈', 'NONE-SPAM'],
  ] as const) {
    it(`given 「${text}」, when classified, then it is ${label}`, async () => {
      const c = (await loadCatalogueClassifier()).classify(text);
      expect(c.dispatchable).to.equal(false);
      expect(c.notDispatchable!.label).to.equal(label);
    });
  }

  it('given a real report that also says thanks, when classified, then it is still a case', async () => {
    const c = (await loadCatalogueClassifier()).classify('小区门口的井盖不见了，晚上很危险，麻烦处理一下谢谢');
    expect(c.dispatchable).to.equal(true);
    expect(
      c.candidates
        .map((x) => x.code)
        .slice(0, 3)
        .join(' '),
    ).to.match(/BJ-01/);
  });
});
