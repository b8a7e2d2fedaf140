import { expect } from 'chai';
import { Cases, OutboxMessages, Units, type Row } from '../../test/support/tables.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseEscalateHandler } from './handler.js';

describe('worker case-escalate', () => {
  let db: Db;
  let cgj: Row<'units'>;
  let centre: Row<'units'>;
  const handler = caseEscalateHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
    cgj = (await Units.findOne({ where: { code: 'D-CGJ' } }))!;
    centre = (await Units.findOne({ where: { kind: 'centre' } }))!;
  });
  after(() => db.close());

  const recipients = async (caseId: string, kind: string) =>
    (await OutboxMessages.findAll({ where: { caseId, kind }, order: [['id', 'ASC']] })).map((m) => m.recipient);

  it('given an overdue case of 城管局, when escalated to level 1 (督办), then red light, level 1, the bureau leader and the centre are told', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: cgj.id });
    expect(await handler(makeJob('case-escalate', { caseId: c.id }, { level: '1' }))).to.deep.equal({ outcome: 'complete', variables: { escalationLevel: 1 } });
    const after = (await Cases.findByPk(c.id))!;
    expect([after.escalationLevel, after.warningLight]).to.deep.equal([1, 'red']);
    expect(await recipients(c.id, 'escalate-1')).to.deep.equal(['0874-3100004', centre.contactPhone]); // demo dept_leader of 城管局, centre duty phone
  });

  it('given a level-1 case still overdue, when escalated to level 2 (挂牌督办), then the district leader is told too', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: cgj.id, fields: { escalationLevel: 1, warningLight: 'red' } });
    expect(await handler(makeJob('case-escalate', { caseId: c.id }, { level: '2' }))).to.deep.equal({ outcome: 'complete', variables: { escalationLevel: 2 } });
    expect(await recipients(c.id, 'escalate-2')).to.include('0874-3100006');
  });

  it('given a level-2 case, when a level-1 timer fires late, then the level stays 2', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: cgj.id, fields: { escalationLevel: 2 } });
    expect(await handler(makeJob('case-escalate', { caseId: c.id }, { level: '1' }))).to.deep.equal({ outcome: 'complete', variables: { escalationLevel: 2 } });
  });

  it('given a level header that is not 1 or 2, when handled, then the job raises an incident', async () => {
    const c = await createCase();
    expect(await handler(makeJob('case-escalate', { caseId: c.id }, { level: '3' }))).to.deep.include({ outcome: 'fail', retries: 0 });
  });

  it('given the same job delivered twice, when handled again, then nothing changes and the same level comes back', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: cgj.id });
    const job = makeJob('case-escalate', { caseId: c.id }, { level: '1' });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
