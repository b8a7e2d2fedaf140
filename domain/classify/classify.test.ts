import { expect } from 'chai';
import { EventTypes } from '../../test/support/tables.js';
import { demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { KeywordClassifier, confidenceOf, loadCatalogueClassifier } from './index.js';

describe('keyword classifier (domain/classify)', () => {
  describe('on a small hand-made catalogue', () => {
    const classifier = new KeywordClassifier([
      { code: 'A', name: '污水井盖', category: '市容环境', keywords: ['污水井', '井盖'] },
      { code: 'B', name: '雨水井盖', category: '市容环境', keywords: ['雨水井', '井盖'] },
      { code: 'C', name: '暴露垃圾', category: '市容环境', keywords: ['垃圾', '垃圾堆'] },
    ]);

    it('given a longer keyword that contains a shorter one of another type, when classified, then the longer one wins alone', () => {
      const r = classifier.classify('路口的污水井盖不见了');
      expect(r.eventTypeCode).to.equal('A');
      expect(r.matched).to.include('污水井盖');
      expect(r.alternatives.map((a) => a.code)).to.not.include('B'); // 「井盖」 inside 「污水井盖」 does not count for B
      expect(r.confidence).to.equal(1);
    });

    it('given only a short shared word, when classified, then it is a tie with low confidence', () => {
      const r = classifier.classify('有个井盖松了');
      expect(r.confidence).to.equal(confidenceOf(2, 2, 2)); // strength 0.5 × margin 0.5
      expect(r.confidence).to.equal(0.25);
    });

    it('given full-width characters and spaces, when classified, then they are normalised first', () => {
      expect(classifier.classify('垃 圾 堆 成山').eventTypeCode).to.equal('C');
    });

    it('given no keyword at all, when classified, then nothing is guessed', () => {
      expect(classifier.classify('今天天气很好')).to.deep.include({ eventTypeCode: null, confidence: 0 });
    });

    it('given the confidence formula, when checked by hand, then strength × margin', () => {
      expect(confidenceOf(6, 4, 2)).to.equal(0.75); // 1 × 6/8
      expect(confidenceOf(3, 3, 0)).to.equal(0.75); // 3/4 × 1
    });
  });

  describe('on the demo catalogue', () => {
    let db: Db;
    before(async () => {
      db = await demoDatabase();
    });
    after(() => db.close());

    it('given typical citizen reports, when classified, then each lands on the right 小类', async () => {
      const classifier = await loadCatalogueClassifier();
      const cases: Array<[string, string]> = [
        ['小区门口污水井盖冒水，臭味很大', 'BJ-0102'],
        ['路边有人焚烧秸秆，浓烟很大', 'SJ-0205'],
        ['楼下烧烤店油烟太大了', 'SJ-0203'],
        ['隔壁邻居天天吵架，邻里纠纷', 'SJ-0301'],
      ];
      for (const [text, code] of cases) expect(classifier.classify(text).eventTypeCode, text).to.equal(code);
    });

    it('given the catalogue changed through the model, when classified again at once, then the change is used (the kept classifier is dropped)', async () => {
      const text = '小区门口污水井盖冒水，臭味很大';
      expect((await loadCatalogueClassifier()).classify(text).eventTypeCode).to.equal('BJ-0102');
      await EventTypes.update({ active: false }, { where: { code: 'BJ-0102' } });
      try {
        expect((await loadCatalogueClassifier()).classify(text).eventTypeCode).to.not.equal('BJ-0102');
        const type = (await EventTypes.findOne({ where: { code: 'SJ-0301' } }))!;
        await EventTypes.updateRow(type, { keywords: [...(type.keywords ?? []), '污水井盖冒水'] });
        // the model keeps what it learnt; the catalogue's new keyword reaches the keyword rules at once
        expect((await loadCatalogueClassifier()).classify(text).candidates.map((c) => c.code)).to.not.include('BJ-0102');
      } finally {
        await EventTypes.update({ active: true }, { where: { code: 'BJ-0102' } });
      }
      expect((await loadCatalogueClassifier()).classify('路边有人焚烧秸秆').eventTypeCode).to.equal('SJ-0205');
    });
  });
});
