import { expect } from 'chai';
import { Cases, Evaluations } from '../../test/support/tables.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseEvaluateHandler } from './handler.js';

const T = new Date('2026-03-02T01:00:00Z');
const h = (hours: number) => new Date(T.getTime() + hours * 3_600_000);
const closedOnTime = {
  status: 'closed' as const,
  acceptedAt: T,
  dispatchedAt: h(0.5),
  dispatchDueAt: h(1),
  handledAt: h(4),
  handleDueAt: h(5),
  verifyDueAt: h(9),
  closedAt: h(8),
};

describe('worker case-evaluate', () => {
  let db: Db;
  const handler = caseEvaluateHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given a case closed on time and a satisfied rating of 5, when evaluated, then the rating is recorded and every flag is 1 with score 100', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', fields: closedOnTime });
    const outcome = await handler(makeJob('case-evaluate', { caseId: c.id, satisfied: true, rating: 5, ratingComment: '很及时' }));
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: {
        evaluation: {
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
        },
      },
    });
    expect((await Cases.findByPk(c.id))!.satisfaction).to.equal('satisfied');
    expect((await Evaluations.findOne({ where: { scope: 'case', caseId: c.id } }))!.score).to.equal(100);
  });

  it('given a case handled late with a rework and an unhappy reporter, when evaluated, then 按期处置 0, 返工 1, 满意 0', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', fields: { ...closedOnTime, handledAt: h(6), reworkCount: 1 } });
    const outcome = await handler(makeJob('case-evaluate', { caseId: c.id, satisfied: false, rating: 1 }));
    const { metrics, score } = (outcome as unknown as { variables: { evaluation: { metrics: Record<string, number>; score: number } } }).variables.evaluation;
    expect(metrics).to.deep.include({ handledOnTime: 0, closedOnTime: 0, reworkCount: 1, satisfied: 0, resolved: 0 });
    expect(score).to.equal(30); // only 响应 (30 %) earned
  });

  it('given no rating variables, when evaluated, then satisfaction stays unknown', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', fields: closedOnTime });
    const outcome = await handler(makeJob('case-evaluate', { caseId: c.id }));
    expect((outcome as unknown as { variables: { evaluation: { metrics: Record<string, unknown> } } }).variables.evaluation.metrics['satisfied']).to.equal(
      null,
    );
    expect((await Cases.findByPk(c.id))!.satisfaction).to.equal(null);
  });

  it('given the same job delivered twice, when handled again, then one evaluation row and the same answer', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', fields: closedOnTime });
    const job = makeJob('case-evaluate', { caseId: c.id, rating: 4 });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
