import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseReworkHandler } from './handler.js';

describe('worker case-rework', () => {
  let db: Db;
  const handler = caseReworkHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given a case whose verification failed twice, when each rework job runs, then it is back with the unit and counted 1 then 2', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'verifying' });
    expect(await handler(makeJob('case-rework', { caseId: c.id, verified: false, verifyComment: '垃圾未清完' }))).to.deep.equal({
      outcome: 'complete',
      variables: { reworkCount: 1 },
    });
    expect((await Cases.findByPk(c.id))!.status).to.equal('handling');
    await Cases.update({ status: 'verifying' }, { where: { id: c.id } });
    expect(await handler(makeJob('case-rework', { caseId: c.id, verified: false }))).to.deep.equal({ outcome: 'complete', variables: { reworkCount: 2 } });
  });

  it('given a closed case, when a rework job comes, then it is an incident (the process and the case disagree)', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'closed' });
    expect(await handler(makeJob('case-rework', { caseId: c.id }))).to.deep.include({ outcome: 'fail', retries: 0 });
  });

  it('given the same job delivered twice, when handled again, then it counts once and returns the same count', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'verifying' });
    const job = makeJob('case-rework', { caseId: c.id });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
