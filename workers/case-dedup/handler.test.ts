import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseDedupHandler } from './handler.js';

const NORTH_PER_M = 1 / 111_195;
const T = new Date('2026-03-02T01:00:00Z');

describe('worker case-dedup', () => {
  let db: Db;
  const { deps } = testDeps(T);
  const handler = caseDedupHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given an open report of 暴露垃圾 20 m away an hour ago, when a new one is checked, then it is merged into the first (并单)', async () => {
    const first = await createCase({ eventTypeCode: 'SJ-0101', lat: 25.61, lng: 103.83, createdAt: new Date(T.getTime() - 3_600_000) });
    const next = await createCase({ eventTypeCode: 'SJ-0101', lat: 25.61 + 20 * NORTH_PER_M, lng: 103.83, createdAt: T });
    const outcome = await handler(makeJob('case-dedup', { caseId: next.id }));
    expect(outcome).to.deep.equal({ outcome: 'complete', variables: { duplicateOfCaseId: first.id } });
    expect((await Cases.findByPk(next.id))!.status).to.equal('merged');
    expect((await Cases.findByPk(first.id))!.duplicateCount).to.equal(1);
  });

  it('given nothing similar nearby, when checked, then duplicateOfCaseId is null and the case stays reported', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0104', lat: 25.62, lng: 103.83, createdAt: T });
    expect(await handler(makeJob('case-dedup', { caseId: c.id }))).to.deep.equal({ outcome: 'complete', variables: { duplicateOfCaseId: null } });
    expect((await Cases.findByPk(c.id))!.status).to.equal('reported');
  });

  it('given an AI camera capturing the same spot three times, when each repeat is checked, then one case remains with a count of 2', async () => {
    const spot = { channel: 'ai_camera' as const, eventTypeCode: 'SJ-0106', gridCode: 'G-XP-01-03', reporterPhone: null };
    const first = await createCase({ ...spot, createdAt: new Date(T.getTime() - 7_200_000) });
    for (const minutes of [60, 30]) {
      const repeat = await createCase({ ...spot, lat: null, lng: null, createdAt: new Date(T.getTime() - minutes * 60_000) });
      expect(await handler(makeJob('case-dedup', { caseId: repeat.id }))).to.deep.equal({ outcome: 'complete', variables: { duplicateOfCaseId: first.id } });
    }
    expect((await Cases.findByPk(first.id))!.duplicateCount).to.equal(2);
  });

  it('given the same job delivered twice, when handled again, then nothing changes and the same answer comes back', async () => {
    const first = await createCase({ eventTypeCode: 'SJ-0102', lat: 25.63, lng: 103.83, createdAt: new Date(T.getTime() - 60_000) });
    const next = await createCase({ eventTypeCode: 'SJ-0102', lat: 25.63, lng: 103.83, createdAt: T });
    const job = makeJob('case-dedup', { caseId: next.id });
    const once = await handler(job);
    const snapshot = [await worldSnapshot(next.id), await worldSnapshot(first.id)];
    expect(await handler(job)).to.deep.equal(once);
    expect([await worldSnapshot(next.id), await worldSnapshot(first.id)]).to.deep.equal(snapshot);
  });
});
