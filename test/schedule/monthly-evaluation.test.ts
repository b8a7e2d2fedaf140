import { expect } from 'chai';
import { Evaluations, Units, query, type Row } from '../support/tables.js';
import { evaluationsFor, monthlyEvaluation, monthPeriod } from '../../domain/schedule/index.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** A March 2026 morning; every case shares its deadlines: dispatch T+1h, handle T+5h, verify T+9h. */
const T = new Date('2026-03-10T01:00:00Z');
const h = (hours: number) => new Date(T.getTime() + hours * 3_600_000);
const MARCH = monthPeriod('2026-03'); // [2026-02-28T16:00Z, 2026-03-31T16:00Z): March in Beijing time

type Outcome = 'onTime' | 'late' | 'reworked' | 'extended' | 'returned' | 'unsatisfied';

/**
 * The outcomes (all filed and dispatched):
 * onTime — dispatched, handled and closed in time, satisfied · late — handled after the deadline, basically satisfied ·
 * reworked — as onTime after one 返工 · extended — dispatched late, one 延期, basically satisfied ·
 * returned — 退单 once, now back in handling · unsatisfied — closed after the verify deadline, unsatisfied.
 */
const OUTCOME: Record<Outcome, Partial<Row<'cases'>>> = {
  onTime: { status: 'closed', dispatchedAt: h(0.5), handledAt: h(4), closedAt: h(8), satisfaction: 'satisfied' },
  late: { status: 'closed', dispatchedAt: h(0.5), handledAt: h(6), closedAt: h(8), satisfaction: 'basic' },
  reworked: { status: 'closed', dispatchedAt: h(0.5), handledAt: h(4), closedAt: h(8), satisfaction: 'satisfied', reworkCount: 1 },
  extended: { status: 'closed', dispatchedAt: h(2), handledAt: h(4), closedAt: h(8), satisfaction: 'basic', extensionCount: 1 },
  returned: { status: 'handling', dispatchedAt: h(0.5), returnCount: 1 },
  unsatisfied: { status: 'closed', dispatchedAt: h(0.5), handledAt: h(4), closedAt: h(10), satisfaction: 'unsatisfied' },
};

/** 40 March cases: unit, grid (its township), event type (its category: SJ-0101 市容环境, SJ-0301 矛盾纠纷, SJ-0202 生态环境), outcome, how many. */
const MONTH: Array<[string, string, string, Outcome, number]> = [
  ['D-CGJ', 'G-XP-01-01', 'SJ-0101', 'onTime', 4],
  ['D-CGJ', 'G-XP-01-01', 'SJ-0101', 'late', 2],
  ['D-CGJ', 'G-LH-01-01', 'SJ-0301', 'onTime', 3],
  ['D-CGJ', 'G-LH-01-01', 'SJ-0301', 'reworked', 2],
  ['D-CGJ', 'G-LH-01-01', 'SJ-0301', 'returned', 1],
  ['D-SHJ', 'G-XP-01-01', 'SJ-0202', 'onTime', 3],
  ['D-SHJ', 'G-XP-01-01', 'SJ-0202', 'extended', 2],
  ['D-SHJ', 'G-LH-01-01', 'SJ-0202', 'unsatisfied', 3],
  ['D-SHJ', 'G-LH-01-01', 'SJ-0202', 'returned', 2],
  ['T-XP', 'G-XP-01-01', 'SJ-0101', 'onTime', 6],
  ['T-XP', 'G-XP-01-01', 'SJ-0101', 'reworked', 2],
  ['T-XP', 'G-XP-01-01', 'SJ-0301', 'late', 3],
  ['T-XP', 'G-XP-01-01', 'SJ-0301', 'extended', 2],
  ['T-XP', 'G-XP-01-01', 'SJ-0301', 'unsatisfied', 3],
  ['T-XP', 'G-XP-01-01', 'SJ-0101', 'returned', 2],
];

/*
 * Hand count. Per outcome (filed, dispatched = 1 for all):
 *               dispOnTime handled handOnTime closed closeOnTime reworked extended returned responded rated resolved satisfied
 * onTime             1        1        1        1        1          0        0        0        1       1      1        1
 * late               1        1        0        1        0          0        0        0        1       1      1        0
 * reworked           1        1        1        1        1          1        0        0        1       1      1        1
 * extended           0        1        1        1        1          0        1        0        1       1      1        0
 * returned           1        0        0        0        0          0        0        1        0       0      0        0
 * unsatisfied        1        1        1        1        0          0        0        0        1       1      0        0
 * Groups: 城管局 onTime 7 late 2 reworked 2 returned 1 (12) · 生态环境分局 onTime 3 extended 2 unsatisfied 3 returned 2 (10) ·
 * 西平街道 (unit) onTime 6 late 3 reworked 2 extended 2 unsatisfied 3 returned 2 (18) ·
 * township 西平 onTime 13 late 5 reworked 2 extended 4 unsatisfied 3 returned 2 (29) · township 龙华 onTime 3 reworked 2 unsatisfied 3 returned 3 (11) ·
 * 市容环境 onTime 10 late 2 reworked 2 returned 2 (16) · 矛盾纠纷 onTime 3 late 3 reworked 2 extended 2 unsatisfied 3 returned 1 (14) ·
 * 生态环境 = 生态环境分局.
 * Score = 30·响应率 + 35·解决率 + 35·满意率, rounded to 2 decimals.
 * In this set every handled case is closed, responded and rated, so those three counts equal 处置数 below.
 */
function expected(
  n: number,
  k: {
    dispOnTime: number;
    handled: number;
    handOnTime: number;
    closeOnTime: number;
    reworked: number;
    extended: number;
    returned: number;
    resolved: number;
    satisfied: number;
  },
  rates: number[],
) {
  const [
    filingRate,
    onTimeDispatchRate,
    onTimeHandleRate,
    onTimeCloseRate,
    closeRate,
    reworkRate,
    extensionRate,
    returnRate,
    responseRate,
    resolveRate,
    satisfactionRate,
  ] = rates;
  return {
    reported: n,
    filed: n,
    dispatched: n,
    dispatchedOnTime: k.dispOnTime,
    handled: k.handled,
    handledOnTime: k.handOnTime,
    shelved: 0,
    closed: k.handled,
    closedOnTime: k.closeOnTime,
    reworked: k.reworked,
    reworkTimes: k.reworked,
    extended: k.extended,
    returned: k.returned,
    responded: k.handled,
    rated: k.handled,
    resolved: k.resolved,
    satisfied: k.satisfied,
    filingRate,
    onTimeDispatchRate,
    onTimeHandleRate,
    onTimeCloseRate,
    closeRate,
    reworkRate,
    extensionRate,
    returnRate,
    responseRate,
    resolveRate,
    satisfactionRate,
  };
}
//                                                                                                             立案    按期派遣  按期处置  按期结案  结案     返工   延期   退单   响应    解决   满意
const CGJ = expected(12, { dispOnTime: 12, handled: 11, handOnTime: 9, closeOnTime: 9, reworked: 2, extended: 0, returned: 1, resolved: 11, satisfied: 9 }, [
  12 / 12,
  12 / 12,
  9 / 12,
  9 / 12,
  11 / 12,
  2 / 11,
  0 / 12,
  1 / 12,
  11 / 12,
  11 / 11,
  9 / 11,
]);
const SHJ = expected(10, { dispOnTime: 8, handled: 8, handOnTime: 8, closeOnTime: 5, reworked: 0, extended: 2, returned: 2, resolved: 5, satisfied: 3 }, [
  10 / 10,
  8 / 10,
  8 / 10,
  5 / 10,
  8 / 10,
  0 / 8,
  2 / 10,
  2 / 10,
  8 / 10,
  5 / 8,
  3 / 8,
]);
const TXP = expected(18, { dispOnTime: 16, handled: 16, handOnTime: 13, closeOnTime: 10, reworked: 2, extended: 2, returned: 2, resolved: 13, satisfied: 8 }, [
  18 / 18,
  16 / 18,
  13 / 18,
  10 / 18,
  16 / 18,
  2 / 16,
  2 / 18,
  2 / 18,
  16 / 18,
  13 / 16,
  8 / 16,
]);
const XP = expected(29, { dispOnTime: 25, handled: 27, handOnTime: 22, closeOnTime: 19, reworked: 2, extended: 4, returned: 2, resolved: 24, satisfied: 15 }, [
  29 / 29,
  25 / 29,
  22 / 29,
  19 / 29,
  27 / 29,
  2 / 27,
  4 / 29,
  2 / 29,
  27 / 29,
  24 / 27,
  15 / 27,
]);
const LH = expected(11, { dispOnTime: 11, handled: 8, handOnTime: 8, closeOnTime: 5, reworked: 2, extended: 0, returned: 3, resolved: 5, satisfied: 5 }, [
  11 / 11,
  11 / 11,
  8 / 11,
  5 / 11,
  8 / 11,
  2 / 8,
  0 / 11,
  3 / 11,
  8 / 11,
  5 / 8,
  5 / 8,
]);
const SRHJ = expected(
  16,
  { dispOnTime: 16, handled: 14, handOnTime: 12, closeOnTime: 12, reworked: 2, extended: 0, returned: 2, resolved: 14, satisfied: 12 },
  [16 / 16, 16 / 16, 12 / 16, 12 / 16, 14 / 16, 2 / 14, 0 / 16, 2 / 16, 14 / 16, 14 / 14, 12 / 14],
);
const MDJF = expected(14, { dispOnTime: 12, handled: 13, handOnTime: 10, closeOnTime: 7, reworked: 2, extended: 2, returned: 1, resolved: 10, satisfied: 5 }, [
  14 / 14,
  12 / 14,
  10 / 14,
  7 / 14,
  13 / 14,
  2 / 13,
  2 / 14,
  1 / 14,
  13 / 14,
  10 / 13,
  5 / 13,
]);

/** 30·11/12 + 35·11/11 + 35·9/11 = 27.5 + 35 + 28.636… */
const SCORE = {
  CGJ: 91.14,
  SHJ: 59 /* 24 + 21.875 + 13.125 */,
  TXP: 72.6 /* 26.667 + 28.4375 + 17.5 */,
  XP: 78.49 /* 27.931 + 31.111 + 19.444 */,
  LH: 65.57 /* 21.818 + 21.875 + 21.875 */,
  SRHJ: 91.25 /* 26.25 + 35 + 30 */,
  MDJF: 68.24 /* 27.857 + 26.923 + 13.462 */,
};

describe('monthly evaluation (domain/schedule)', () => {
  let db: Db;
  const id: Record<string, number> = {};
  const stored = async (scope: string, where: Record<string, unknown>) =>
    await Evaluations.findAll({ where: { scope, periodStart: MARCH.from, periodEnd: MARCH.to, ...where } });

  before(async () => {
    db = await demoDatabase();
    for (const code of ['D-CGJ', 'D-SHJ', 'T-XP', 'T-LH']) id[code] = (await Units.findOne({ where: { code } }))!.id;
    let first = true;
    for (const [unit, grid, type, outcome, count] of MONTH) {
      for (let i = 0; i < count; i++) {
        // the very first case is reported at local midnight starting 1 March: inside the month
        await createCase({
          eventTypeCode: type,
          gridCode: grid,
          unitId: id[unit]!,
          createdAt: first ? MARCH.from : T,
          fields: { acceptedAt: T, dispatchDueAt: h(1), handleDueAt: h(5), verifyDueAt: h(9), ...OUTCOME[outcome] },
        });
        first = false;
      }
    }
    // outside: one a second before March began (Beijing time), one at local midnight starting 1 April; and a merged duplicate
    await createCase({
      eventTypeCode: 'SJ-0101',
      gridCode: 'G-XP-01-01',
      unitId: id['D-CGJ']!,
      createdAt: new Date(MARCH.from.getTime() - 1000),
      fields: { acceptedAt: T, ...OUTCOME.returned },
    });
    await createCase({
      eventTypeCode: 'SJ-0101',
      gridCode: 'G-XP-01-01',
      unitId: id['D-CGJ']!,
      createdAt: MARCH.to,
      fields: { acceptedAt: T, ...OUTCOME.returned },
    });
    await createCase({
      eventTypeCode: 'SJ-0101',
      gridCode: 'G-XP-01-01',
      unitId: id['D-CGJ']!,
      createdAt: T,
      fields: { acceptedAt: T, ...OUTCOME.returned, status: 'merged' },
    });
  });
  after(() => db.close());

  it('given the generated month, when evaluated, then it stores 3 unit, 2 township and 3 category rows for March', async () => {
    const run = await monthlyEvaluation('2026-03');
    expect(run.month).to.equal('2026-03');
    expect([run.from.toISOString(), run.to.toISOString()]).to.deep.equal(['2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z']);
    expect(run.stored).to.deep.equal({ unit: 3, township: 2, category: 3 });
  });

  it('given the stored unit rows, then every metric and score equals the hand count', async () => {
    for (const [code, metrics, score] of [
      ['D-CGJ', CGJ, SCORE.CGJ],
      ['D-SHJ', SHJ, SCORE.SHJ],
      ['T-XP', TXP, SCORE.TXP],
    ] as const) {
      const [row, ...more] = await stored('unit', { unitId: id[code] });
      expect(more, code).to.have.length(0);
      expect(row!.metrics, code).to.deep.equal(metrics);
      expect(row!.score, code).to.equal(score);
    }
  });

  it('given the stored township rows, then every metric and score equals the hand count', async () => {
    for (const [code, metrics, score] of [
      ['T-XP', XP, SCORE.XP],
      ['T-LH', LH, SCORE.LH],
    ] as const) {
      const [row] = await stored('township', { unitId: id[code] });
      expect(row!.metrics, code).to.deep.equal(metrics);
      expect(row!.score, code).to.equal(score);
    }
  });

  it('given the stored category rows, then every metric and score equals the hand count and the row names its category in its column', async () => {
    const rows = await stored('category', {});
    const byCategory = new Map(rows.map((r) => [r.category, r]));
    expect([...byCategory.keys()]).to.have.members(['市容环境', '矛盾纠纷', '生态环境']);
    for (const [category, metrics, score] of [
      ['市容环境', SRHJ, SCORE.SRHJ],
      ['矛盾纠纷', MDJF, SCORE.MDJF],
      ['生态环境', SHJ, SCORE.SHJ],
    ] as const) {
      const row = byCategory.get(category)!;
      expect(row.unitId).to.equal(null);
      expect(row.metrics).to.deep.equal({ ...metrics });
      expect(row.score, category).to.equal(score);
    }
  });

  it('given the month, when queried by scope, then the rows come ranked best first with names', async () => {
    const units = await evaluationsFor({ scope: 'unit', period: '2026-03' });
    expect(units.map((r) => [r.rank, r.unitCode, r.name, r.score])).to.deep.equal([
      [1, 'D-CGJ', '城管局', 91.14],
      [2, 'T-XP', '西平街道', 72.6],
      [3, 'D-SHJ', '生态环境分局', 59],
    ]);
    expect(units[0]!.metrics).to.deep.equal(CGJ);
    const townships = await evaluationsFor({ scope: 'township', period: MARCH });
    expect(townships.map((r) => [r.rank, r.unitCode, r.score])).to.deep.equal([
      [1, 'T-XP', 78.49],
      [2, 'T-LH', 65.57],
    ]);
    const categories = await evaluationsFor({ scope: 'category', period: '2026-03' });
    expect(categories.map((r) => [r.rank, r.group, r.category, r.unitId, r.score])).to.deep.equal([
      [1, '市容环境', '市容环境', null, 91.25],
      [2, '矛盾纠纷', '矛盾纠纷', null, 68.24],
      [3, '生态环境', '生态环境', null, 59],
    ]);
    expect(categories[0]!.metrics).to.not.have.property('category');
    // one category's row, found by the column (and nothing for a category without cases that month)
    const disputes = await evaluationsFor({ scope: 'category', period: '2026-03', category: '矛盾纠纷' });
    expect(disputes.map((r) => [r.rank, r.group, r.score])).to.deep.equal([[1, '矛盾纠纷', 68.24]]);
    expect(await evaluationsFor({ scope: 'category', period: '2026-03', category: '食品安全' })).to.deep.equal([]);
    expect(await Evaluations.count({ where: { scope: 'category', category: '市容环境', periodStart: MARCH.from } })).to.equal(1);
    expect(await evaluationsFor({ scope: 'unit', period: '2026-05' })).to.deep.equal([]);
  });

  it('given a case changed since, when March is re-run, then its rows are replaced (not added to) and other rows stay', async () => {
    const feb = await monthlyEvaluation('2026-02'); // the case a second before March
    expect(feb.stored).to.deep.equal({ unit: 1, township: 1, category: 1 });
    const perCase = await Evaluations.create({
      scope: 'case',
      caseId: null,
      unitId: id['D-CGJ']!,
      periodStart: null,
      periodEnd: null,
      metrics: { closed: 1 },
      score: 100,
    });
    const before = await Evaluations.count();
    const oldIds = (await stored('unit', {})).map((r) => r.id);
    // one of 城管局's late cases is re-rated satisfied: 满意 9 → 10 of 11
    const late = (await query(`SELECT id FROM cases WHERE unit_id = ${id['D-CGJ']} AND satisfaction = 'basic' ORDER BY id LIMIT 1`)) as Array<{
      id: unknown;
    }>;
    await query(`UPDATE cases SET satisfaction = 'satisfied' WHERE id = ${String(late[0]!.id)}`);

    await monthlyEvaluation('2026-03');
    expect(await Evaluations.count()).to.equal(before);
    const [cgj] = await stored('unit', { unitId: id['D-CGJ'] });
    expect(oldIds).to.not.include(cgj!.id);
    expect(cgj!.metrics['satisfied']).to.equal(10);
    expect(cgj!.metrics['satisfactionRate']).to.equal(10 / 11);
    expect(cgj!.score).to.equal(94.32); // 27.5 + 35 + 35·10/11 = 94.318…
    expect(await Evaluations.count({ where: { scope: 'unit', periodStart: monthPeriod('2026-02').from } })).to.equal(1);
    expect(await Evaluations.findByPk(perCase.id)).to.not.equal(null);
  });

  it('given configured weights and the 1 April 01:00 run time, when evaluated, then it scores the month before with those weights', async () => {
    const run = await monthlyEvaluation(new Date('2026-03-31T17:00:00Z'), { weights: { closeRate: 1, satisfactionRate: 1 } });
    expect(run.month).to.equal('2026-03');
    const [shj] = await stored('unit', { unitId: id['D-SHJ'] });
    expect(shj!.score).to.equal(58.75); // (8/10 + 3/8) / 2 = 0.5875
  });
});
