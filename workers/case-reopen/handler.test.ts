import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseReopenHandler } from './handler.js';

describe('worker case-reopen', () => {
  let db: Db;
  const handler = caseReopenHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given a closed case the reporter is unhappy with, when reopened (重办), then it is back in handling and no longer closed', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'closed', fields: { closedAt: new Date('2026-03-02T05:00:00Z') } });
    expect(await handler(makeJob('case-reopen', { caseId: c.id, satisfied: false, ratingComment: '垃圾又堆起来了' }))).to.deep.equal({ outcome: 'complete' });
    const after = (await Cases.findByPk(c.id))!;
    expect([after.status, after.closedAt]).to.deep.equal(['handling', null]);
    expect((await caseAuditTrail(c.id))[0]!.detail).to.deep.include({ reason: '垃圾又堆起来了', previousClosedAt: '2026-03-02T05:00:00.000Z' });
  });

  it('given a case that is not closed, when a reopen job comes, then it is an incident', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    expect(await handler(makeJob('case-reopen', { caseId: c.id }))).to.deep.include({ outcome: 'fail', retries: 0 });
  });

  it('given the same job delivered twice, when handled again, then nothing changes', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'closed' });
    const job = makeJob('case-reopen', { caseId: c.id });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
