import { expect } from 'chai';
import { Evaluations, Units, type Row } from '../../test/support/tables.js';
import { type CaseStatus } from '../../db/vocabulary.js';
import { createCase, demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { DEFAULT_WEIGHTS, caseMetrics, compositeScore, countCohort, evaluateCase, evaluateCohort, evaluatePeriod, type CaseFacts } from './index.js';

const T = new Date('2026-03-02T01:00:00Z');
const h = (hours: number) => new Date(T.getTime() + hours * 3_600_000);

/** Deadlines shared by the set: dispatch T+1h, handle T+5h, verify T+9h. */
type Facts = CaseFacts & { status: CaseStatus };

function facts(over: Partial<Facts>): Facts {
  return {
    status: 'reported',
    acceptedAt: null,
    dispatchedAt: null,
    dispatchDueAt: h(1),
    handledAt: null,
    handleDueAt: h(5),
    verifyDueAt: h(9),
    closedAt: null,
    reworkCount: 0,
    extensionCount: 0,
    returnCount: 0,
    escalationLevel: 0,
    satisfaction: null,
    ...over,
  };
}

/**
 * The hand-computed set (see the expectations below):
 * 1 closed, all on time, satisfied · 2 closed, handled late, basic, one rework · 3 closed, dispatched late,
 * closed after the verify deadline, unsatisfied, one extension · 4 handling after one 退单 · 5 shelved ·
 * 6 rejected · 7 still reported · 8 merged (left out).
 */
const SET: Facts[] = [
  facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(0.5), handledAt: h(4), closedAt: h(8), satisfaction: 'satisfied' }),
  facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(0.5), handledAt: h(6), closedAt: h(8), satisfaction: 'basic', reworkCount: 1 }),
  facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(2), handledAt: h(4), closedAt: h(10), satisfaction: 'unsatisfied', extensionCount: 1 }),
  facts({ status: 'handling', acceptedAt: T, dispatchedAt: h(0.5), returnCount: 1 }),
  facts({ status: 'shelved', acceptedAt: T, dispatchedAt: h(0.5) }),
  facts({ status: 'rejected' }),
  facts({ status: 'reported' }),
  facts({ status: 'merged', acceptedAt: T, dispatchedAt: h(0.5) }),
];

const EXPECTED_COUNTS = {
  reported: 7,
  filed: 5,
  dispatched: 5,
  dispatchedOnTime: 4,
  handled: 3,
  handledOnTime: 2,
  shelved: 1,
  closed: 3,
  closedOnTime: 1,
  reworked: 1,
  reworkTimes: 1,
  extended: 1,
  returned: 1,
  responded: 4,
  rated: 3,
  resolved: 2,
  satisfied: 1,
};

describe('evaluation (domain/evaluation)', () => {
  describe('formulas on a small hand-computed set', () => {
    const { counts, rates, score } = evaluateCohort(SET);

    it('given the set, when counted, then every counter matches the hand count (the merged case is left out)', () => {
      expect(counts).to.deep.equal(EXPECTED_COUNTS);
    });

    it('立案率 = 立案数 / 上报数 = 5/7', () => expect(rates.filingRate).to.equal(5 / 7));
    it('按期派遣率 = 按期派遣数 / 应派遣数(立案数) = 4/5', () => expect(rates.onTimeDispatchRate).to.equal(4 / 5));
    it('按期处置率 = 按期处置数 / 应处置数(派遣数) = 2/5', () => expect(rates.onTimeHandleRate).to.equal(2 / 5));
    it('按期结案率 = 按期结案数 / (应结案数 − 缓办数) = 1/(5−1)', () => expect(rates.onTimeCloseRate).to.equal(1 / 4));
    it('结案率 = 结案数 / (应结案数 − 缓办数) = 3/4', () => expect(rates.closeRate).to.equal(3 / 4));
    it('返工率 = 返工数 / 处置数 = 1/3', () => expect(rates.reworkRate).to.equal(1 / 3));
    it('延期率 = 延期数 / 应结案数 = 1/5', () => expect(rates.extensionRate).to.equal(1 / 5));
    it('退单率 = 退单数 / 派遣数 = 1/5', () => expect(rates.returnRate).to.equal(1 / 5));
    it('响应率 = 响应数 / 派遣数 = 4/5', () => expect(rates.responseRate).to.equal(4 / 5));
    it('解决率 = (满意 + 基本满意) / 回访数 = 2/3', () => expect(rates.resolveRate).to.equal(2 / 3));
    it('满意率 = 满意数 / 回访数 = 1/3', () => expect(rates.satisfactionRate).to.equal(1 / 3));

    it('given the default 三率 weights 30/35/35, when scored, then 30·0.8 + 35·2/3 + 35·1/3 = 59', () => {
      expect(DEFAULT_WEIGHTS).to.deep.equal({ responseRate: 30, resolveRate: 35, satisfactionRate: 35 });
      expect(score).to.equal(59);
    });

    it('given other weights, when scored, then the weighted mean of those rates (结案率 and 满意率 equally: 54.17)', () => {
      expect(evaluateCohort(SET, { closeRate: 1, satisfactionRate: 1 }).score).to.equal(54.17);
    });

    it('given a rate without a denominator, when scored, then it drops out and the other weights renormalise', () => {
      expect(compositeScore({ responseRate: 0.5, resolveRate: null, satisfactionRate: null })).to.equal(50);
      expect(compositeScore({ responseRate: null, resolveRate: null, satisfactionRate: null })).to.equal(null);
      expect(evaluateCohort([]).rates.filingRate).to.equal(null);
      expect(countCohort([]).reported).to.equal(0);
    });

    it('given single cases, when evaluated, then the flags and the case score follow', () => {
      expect(caseMetrics(SET[0]!)).to.deep.equal({
        metrics: {
          filed: 1,
          dispatchedOnTime: 1,
          handledOnTime: 1,
          closed: 1,
          closedOnTime: 1,
          reworkCount: 0,
          extended: 0,
          returned: 0,
          escalationLevel: 0,
          responded: 1,
          resolved: 1,
          satisfied: 1,
        },
        score: 100,
      });
      const third = caseMetrics(SET[2]!);
      expect(third.metrics).to.deep.include({ dispatchedOnTime: 0, handledOnTime: 1, closedOnTime: 0, extended: 1, resolved: 0, satisfied: 0 });
      expect(third.score).to.equal(30);
      expect(caseMetrics(SET[6]!).metrics).to.deep.include({ filed: 0, dispatchedOnTime: null, closedOnTime: null, satisfied: null });
    });
  });

  describe('in the database', () => {
    let db: Db;
    let txp: Row<'units'>;
    let cgj: Row<'units'>;
    before(async () => {
      db = await demoDatabase();
      txp = (await Units.findOne({ where: { code: 'T-XP' } }))!;
      cgj = (await Units.findOne({ where: { code: 'D-CGJ' } }))!;
      for (const f of SET) {
        await createCase({
          eventTypeCode: 'SJ-0101',
          gridCode: 'G-XP-01-01',
          createdAt: T,
          unitId: f.dispatchedAt ? txp.id : null,
          fields: { ...f, dueAt: null },
        });
      }
      // another unit in another township, and a case outside the period
      await createCase({
        eventTypeCode: 'SJ-0203',
        gridCode: 'G-LH-01-01',
        createdAt: T,
        unitId: cgj.id,
        fields: facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(0.5), handledAt: h(1), closedAt: h(2), satisfaction: 'satisfied' }),
      });
      await createCase({
        eventTypeCode: 'SJ-0101',
        gridCode: 'G-XP-01-01',
        createdAt: new Date('2026-04-02T01:00:00Z'),
        unitId: txp.id,
        fields: facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(0.5) }),
      });
    });
    after(() => db.close());

    const MARCH = { from: new Date('2026-02-28T16:00:00Z'), to: new Date('2026-03-31T16:00:00Z') }; // March, Beijing time

    it('given March by unit, when evaluated and stored, then 西平街道 has the hand-computed figures and a stored row', async () => {
      const results = await evaluatePeriod({ groupBy: 'unit', ...MARCH, store: true });
      const mine = results.find((r) => r.group === String(txp.id))!;
      // the rejected and the still-reported case were never dispatched: they have no unit
      expect(mine.counts).to.deep.include({ filed: 5, dispatched: 5, closed: 3, closedOnTime: 1, shelved: 1 });
      expect(mine.rates.closeRate).to.equal(3 / 4);
      expect(results.find((r) => r.group === 'none')!.counts.reported).to.equal(2);
      const stored = await Evaluations.findOne({ where: { scope: 'unit', unitId: txp.id } });
      expect(stored!.metrics['closeRate']).to.equal(3 / 4);
      expect(stored!.score).to.equal(mine.score);
      await evaluatePeriod({ groupBy: 'unit', ...MARCH, store: true }); // recomputed: overwritten, not duplicated
      expect(await Evaluations.count({ where: { scope: 'unit', unitId: txp.id } })).to.equal(1);
    });

    it('given March by township, category and for the district, when evaluated, then the groups partition the cases', async () => {
      const byTownship = await evaluatePeriod({ groupBy: 'township', ...MARCH });
      expect(byTownship.find((r) => r.group === String(txp.id))!.counts).to.deep.equal(EXPECTED_COUNTS);
      expect(byTownship.map((r) => r.counts.reported).reduce((a, b) => a + b)).to.equal(8);
      const byCategory = await evaluatePeriod({ groupBy: 'category', ...MARCH });
      expect(byCategory.map((r) => [r.group, r.counts.reported])).to.have.deep.members([
        ['市容环境', 7],
        ['生态环境', 1],
      ]);
      const district = await evaluatePeriod({ groupBy: 'district', ...MARCH });
      expect(district).to.have.length(1);
      expect(district[0]!.counts.closed).to.equal(4);
    });

    it('given a closed case, when evaluated twice with one dedup key, then one evaluation row holds its metrics', async () => {
      const c = await createCase({
        eventTypeCode: 'SJ-0101',
        createdAt: T,
        fields: facts({ status: 'closed', acceptedAt: T, dispatchedAt: h(0.5), handledAt: h(4), closedAt: h(8), satisfaction: 'satisfied' }),
      });
      const first = await evaluateCase(c.id, { actor: 'worker:case-evaluate', dedupKey: 'job:case-evaluate:1' });
      const second = await evaluateCase(c.id, { actor: 'worker:case-evaluate', dedupKey: 'job:case-evaluate:1' });
      expect(first.evaluation.score).to.equal(100);
      expect(second.applied).to.equal(false);
      expect(second.evaluation).to.deep.equal(first.evaluation);
      expect(await Evaluations.count({ where: { scope: 'case', caseId: c.id } })).to.equal(1);
      expect((await Evaluations.findOne({ where: { scope: 'case', caseId: c.id } }))!.category).to.equal('市容环境');
    });
  });
});
