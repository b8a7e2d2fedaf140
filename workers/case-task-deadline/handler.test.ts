import { expect } from 'chai';
import { AuditRecords, Cases } from '../../test/support/tables.js';
import { MONDAY_0900, createCase, demoDatabase, makeJob, testDeps, type Db } from '../../test/support/case-fixtures.js';
import { caseTaskDeadlineHandler } from './handler.js';

describe('worker case-task-deadline', () => {
  let db: Db;
  const { deps, clock } = testDeps();
  const handler = caseTaskDeadlineHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());
  beforeEach(() => {
    clock.now = new Date(MONDAY_0900);
  });
  const listenerJob = (caseId: string, elementId: string) => ({ ...makeJob('case-task-deadline', { caseId }), elementId });

  it('given 暴露垃圾 (1 working hour to dispatch, 4 to verify) on Monday 09:00, when 派遣, a review and 核查 start, then each is due after its limit and the case is not touched', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    const before = await Cases.findByPk(c.id);
    const audits = await AuditRecords.count({ where: { caseId: c.id } });
    expect(await handler(listenerJob(c.id, 'dispatch'))).to.deep.equal({ outcome: 'complete', variables: { taskDueAt: '2026-03-02T02:00:00.000Z' } });
    expect(await handler(listenerJob(c.id, 'returnReview'))).to.deep.equal({ outcome: 'complete', variables: { taskDueAt: '2026-03-02T02:00:00.000Z' } });
    expect(await handler(listenerJob(c.id, 'verify'))).to.deep.equal({ outcome: 'complete', variables: { taskDueAt: '2026-03-02T07:30:00.000Z' } });
    expect(await Cases.findByPk(c.id)).to.deep.equal(before);
    expect(await AuditRecords.count({ where: { caseId: c.id } })).to.equal(audits);
  });

  it('given a fire (应急, 10 natural minutes to dispatch) on a Saturday night, when its 派遣 starts, then it is due 10 minutes later on the 24×7 clock', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0401' });
    clock.now = new Date('2026-03-07T14:00:00Z');
    expect(await handler(listenerJob(c.id, 'dispatch'))).to.deep.equal({ outcome: 'complete', variables: { taskDueAt: '2026-03-07T14:10:00.000Z' } });
  });

  it('given no case id, when the listener runs, then an incident says so', async () => {
    const outcome = await handler(listenerJob('', 'dispatch'));
    expect(outcome).to.include({ outcome: 'fail', retries: 0 });
  });
});
