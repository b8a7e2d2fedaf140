import { expect } from 'chai';
import { Cases, ClassifyExamples, EventTypes, Units } from '../../test/support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { MONDAY_0900, createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseRecordHandler } from './handler.js';

describe('worker case-record', () => {
  let db: Db;
  const { deps } = testDeps();
  const handler = caseRecordHandler(deps);
  const record = (caseId: string, action: string, variables: Record<string, unknown> = {}) =>
    handler(makeJob('case-record', { caseId, ...variables }, { action }));
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it("given a reported case, when accepted with the type the operator picked, then it is filed at the clock's time with that type", async () => {
    const c = await createCase();
    expect(await record(c.id, 'accepted', { filed: true, eventTypeCode: 'SJ-0105' })).to.deep.equal({ outcome: 'complete' });
    const after = (await Cases.findByPk(c.id))!;
    expect(after.status).to.equal('accepted');
    expect(after.acceptedAt!.getTime()).to.equal(MONDAY_0900.getTime());
    expect(after.eventTypeId).to.equal((await EventTypes.findOne({ where: { code: 'SJ-0105' } }))!.id);
    expect((await caseAuditTrail(c.id))[0]).to.deep.include({ action: 'accepted', actor: 'worker:case-record', actorRole: 'system' });
  });

  it('given a report the classifier left to a person, when 受理 files it with a type, then the decision becomes an operator example; one it filed itself does not', async () => {
    const byPerson = await createCase();
    await record(byPerson.id, 'accepted', { filed: true, eventTypeCode: 'SJ-0105', needsManualAccept: true });
    const example = await ClassifyExamples.findOne({ where: { code: `OP-${byPerson.id}` } });
    expect(example).to.deep.include({ label: 'SJ-0105', source: 'operator', text: byPerson.description });
    const byItself = await createCase();
    await record(byItself.id, 'accepted', { filed: true, eventTypeCode: 'SJ-0105', needsManualAccept: false });
    expect(await ClassifyExamples.findOne({ where: { code: `OP-${byItself.id}` } })).to.equal(null);
  });

  it('given a reported case, when rejected, then it is 不予立案 with the reason in the audit log', async () => {
    const c = await createCase();
    await record(c.id, 'rejected', { rejectReason: '重复反映' });
    expect((await Cases.findByPk(c.id))!.status).to.equal('rejected');
    expect((await caseAuditTrail(c.id))[0]!.detail).to.deep.include({ reason: '重复反映' });
  });

  it('given an accepted case, when dispatched, returned and dispatched again, then unit, times and the return count follow', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'accepted' });
    await record(c.id, 'dispatched', { unitCode: 'T-XP', dispatchNote: '请处理' });
    expect((await Cases.findByPk(c.id))!.unitId).to.equal((await Units.findOne({ where: { code: 'T-XP' } }))!.id);
    await record(c.id, 'returned', { returnReason: '属于城管执法' });
    await record(c.id, 'dispatched', { unitCode: 'D-CGJ' });
    const after = (await Cases.findByPk(c.id))!;
    expect([after.status, after.returnCount, after.unitId]).to.deep.equal(['dispatched', 1, (await Units.findOne({ where: { code: 'D-CGJ' } }))!.id]);
    expect(after.dispatchedAt!.getTime()).to.equal(MONDAY_0900.getTime());
  });

  it("given a case the township is handling, when the centre's 改派 is recorded, then it is at 城管局 with a green light, no 退单 counted, the reason and who ordered it audited; without a unit it is an incident", async () => {
    const township = (await Units.findOne({ where: { code: 'T-XP' } }))!;
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'handling', unitId: township.id, fields: { warningLight: 'yellow' } });
    expect(await record(c.id, 'redispatched', { unitCode: 'D-CGJ', redispatchReason: '建筑垃圾', redispatchBy: 'operator' })).to.deep.equal({
      outcome: 'complete',
    });
    const after = (await Cases.findByPk(c.id))!;
    expect([after.status, after.returnCount, after.warningLight, after.unitId]).to.deep.equal([
      'dispatched',
      0,
      'green',
      (await Units.findOne({ where: { code: 'D-CGJ' } }))!.id,
    ]);
    expect((await caseAuditTrail(c.id))[0]).to.deep.include({ action: 'redispatched', actor: 'worker:case-record' });
    expect((await caseAuditTrail(c.id))[0]!.detail).to.deep.include({
      from: 'handling',
      to: 'dispatched',
      unitCode: 'D-CGJ',
      previousUnitCode: 'T-XP',
      reason: '建筑垃圾',
      orderedBy: 'operator',
    });
    const bad = await record(c.id, 'redispatched', { redispatchReason: '无单位' });
    expect(bad).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((bad as { errorMessage: string }).errorMessage).to.contain('unitCode');
  });

  it('given a case being handled, when an extension and then 挂账 are recorded, then the count goes up and it is shelved', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'handling' });
    await record(c.id, 'extended', { extensionHours: 8, extensionReason: '等待材料' });
    await record(c.id, 'shelved', { shelveReason: '需列入年度计划' });
    const after = (await Cases.findByPk(c.id))!;
    expect([after.extensionCount, after.status]).to.deep.equal([1, 'shelved']);
  });

  it('given a dispute whose mediations failed, when the hand-over to 司法 is recorded, then the audit log says where it went; a bad handOverTo is an incident', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0301', status: 'dispatched' });
    expect(await record(c.id, 'handedOver', { handOverTo: 'judicial', handOverNote: '已引导当事人向人民法院起诉' })).to.deep.equal({ outcome: 'complete' });
    expect((await caseAuditTrail(c.id))[0]).to.deep.include({ action: 'handed-over' });
    expect((await caseAuditTrail(c.id))[0]!.detail).to.deep.equal({ handOverTo: 'judicial', note: '已引导当事人向人民法院起诉' });
    const bad = await record(c.id, 'handedOver', { handOverTo: 'moon' });
    expect(bad).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((bad as { errorMessage: string }).errorMessage).to.contain('handOverTo');
  });

  it('given a dispatch without unitCode, an unknown unit, an unknown action or a step the status forbids, when handled, then each is an incident with a clear message', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'accepted' });
    const msg = async (p: ReturnType<typeof record>) => {
      const o = await p;
      expect(o).to.deep.include({ outcome: 'fail', retries: 0 });
      return (o as { errorMessage: string }).errorMessage;
    };
    expect(await msg(record(c.id, 'dispatched'))).to.contain('unitCode');
    expect(await msg(record(c.id, 'dispatched', { unitCode: 'X-NONE' }))).to.contain('X-NONE');
    expect(await msg(record(c.id, 'celebrated'))).to.contain('header action');
    expect(await msg(record(c.id, 'rejected')))
      .to.contain('accepted')
      .and.contain('rejected');
    expect((await Cases.findByPk(c.id))!.status).to.equal('accepted');
  });

  it('given the same job delivered twice, when handled again, then the counter moved once and nothing else changes', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    const job = makeJob('case-record', { caseId: c.id, returnReason: '非本单位职责' }, { action: 'returned' });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
    expect((await Cases.findByPk(c.id))!.returnCount).to.equal(1);
  });
});
