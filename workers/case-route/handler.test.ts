import { expect } from 'chai';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseRouteHandler } from './handler.js';

describe('worker case-route', () => {
  let db: Db;
  const handler = caseRouteHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given 暴露垃圾 (事件, 属地) in a grid of 西平街道, when routed, then unitCode T-XP, sure', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', status: 'accepted' });
    const outcome = await handler(makeJob('case-route', { caseId: c.id }));
    expect(outcome).to.deep.include({ outcome: 'complete' });
    const v = (outcome as { variables: Record<string, unknown> }).variables;
    // sure, but 属地: the process stops at the centre's 派遣 to confirm it (routeBasis)
    expect(v).to.deep.include({ unitCode: 'T-XP', routeSure: true, routeBasis: 'territory' });
    expect(v['routeReason']).to.contain('西平街道');
  });

  it('given a 燃气井盖 (部件, 属主), when routed, then the gas company, sure', async () => {
    const c = await createCase({ eventTypeCode: 'BJ-0105', gridCode: 'G-XP-01-01', status: 'accepted' });
    expect(((await handler(makeJob('case-route', { caseId: c.id }))) as { variables: Record<string, unknown> }).variables).to.deep.include({
      unitCode: 'E-RQ',
      routeSure: true,
      routeBasis: 'owner',
    });
  });

  it('given 暴露垃圾 with no grid, when routed, then the owner department is proposed but the route is unsure', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'accepted' });
    expect(((await handler(makeJob('case-route', { caseId: c.id }))) as { variables: Record<string, unknown> }).variables).to.deep.include({
      unitCode: 'D-CGJ',
      routeSure: false,
    });
  });

  it('given an emergency started with 协办 units, or without, when routed, then assistUnits comes back as given (cleaned) or empty', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0403', gridCode: 'G-XP-01-01', status: 'accepted' });
    const vars = async (variables: Record<string, unknown>) =>
      ((await handler(makeJob('case-route', { caseId: c.id, ...variables }))) as { variables: Record<string, unknown> }).variables;
    expect(await vars({ assistUnits: ['D-XFDD', ' T-XP ', 'D-XFDD', 7, ''] })).to.deep.include({ unitCode: 'E-RQ', assistUnits: ['D-XFDD', 'T-XP'] });
    expect((await vars({}))['assistUnits']).to.deep.equal([]);
    expect((await vars({ assistUnits: null }))['assistUnits']).to.deep.equal([]);
  });

  it('given the same job delivered twice, when handled again, then nothing changes and the same answer comes back', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0202', gridCode: 'G-XP-01-02', status: 'accepted' });
    const job = makeJob('case-route', { caseId: c.id });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
