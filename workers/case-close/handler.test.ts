import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { MONDAY_0900, createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseCloseHandler } from './handler.js';

describe('worker case-close', () => {
  let db: Db;
  const { deps, clock } = testDeps();
  const handler = caseCloseHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it("given a verified case, when closed, then it is closed at the clock's time and the handled time is filled in", async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'verifying' });
    expect(await handler(makeJob('case-close', { caseId: c.id, verified: true }))).to.deep.equal({ outcome: 'complete' });
    const after = (await Cases.findByPk(c.id))!;
    expect(after.status).to.equal('closed');
    expect(after.closedAt!.getTime()).to.equal(MONDAY_0900.getTime());
    expect(after.handledAt!.getTime()).to.equal(MONDAY_0900.getTime());
  });

  it('given a case still reported, when a close job comes, then it is an incident naming both statuses', async () => {
    const c = await createCase();
    const outcome = await handler(makeJob('case-close', { caseId: c.id }));
    expect(outcome).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((outcome as { errorMessage: string }).errorMessage)
      .to.contain('reported')
      .and.contain('closed');
  });

  it('given the same job delivered again a day later, when handled, then the closed time does not move', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'verifying' });
    const job = makeJob('case-close', { caseId: c.id });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    clock.now = new Date(MONDAY_0900.getTime() + 86_400_000);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
