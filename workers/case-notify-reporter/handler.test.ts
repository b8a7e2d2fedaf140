import { expect } from 'chai';
import { OutboxMessages, Units } from '../../test/support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseNotifyReporterHandler } from './handler.js';

describe('worker case-notify-reporter', () => {
  let db: Db;
  const { deps } = testDeps();
  const handler = caseNotifyReporterHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given a hotline reporter with a phone, when the case is accepted, then an SMS with the case number and tracking code is queued', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'accepted', reporterPhone: '13912345678' });
    expect(await handler(makeJob('case-notify-reporter', { caseId: c.id }, { event: 'accepted' }))).to.deep.equal({ outcome: 'complete' });
    const [m] = await OutboxMessages.findAll({ where: { caseId: c.id } });
    expect(m).to.deep.include({ channel: 'sms', recipient: '13912345678', kind: 'reporter-accepted', status: 'pending' });
    expect(m!.body).to.contain(c.caseNo).and.contain(c.trackingToken);
    expect(m!.nextAttemptAt.getTime()).to.equal(deps.now().getTime());
  });

  it('given a dispatched case, when the reporter is told, then the message names the unit', async () => {
    const unit = (await Units.findOne({ where: { code: 'T-XP' } }))!;
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: unit.id });
    await handler(makeJob('case-notify-reporter', { caseId: c.id }, { event: 'dispatched' }));
    expect((await OutboxMessages.findOne({ where: { caseId: c.id } }))!.body).to.contain(unit.name);
  });

  it('given a rejected case, when the reporter is told, then the reason is in the message', async () => {
    const c = await createCase({ status: 'rejected' });
    await handler(makeJob('case-notify-reporter', { caseId: c.id, rejectReason: '不属于受理范围' }, { event: 'rejected' }));
    expect((await OutboxMessages.findOne({ where: { caseId: c.id } }))!.body).to.contain('不属于受理范围');
  });

  it('given a dispute handed over to 信访 after failed mediation, when the reporter is told, then the message says where it went and asks for no rating', async () => {
    const c = await createCase({ status: 'closed' });
    await handler(makeJob('case-notify-reporter', { caseId: c.id, handOverTo: 'petition', handOverNote: '请至区信访局登记' }, { event: 'handedOver' }));
    const m = (await OutboxMessages.findOne({ where: { caseId: c.id } }))!;
    expect(m.kind).to.equal('reporter-handedOver');
    expect(m.body).to.contain('信访部门').and.contain('请至区信访局登记').and.not.contain('评价');
  });

  it('given an AI camera capture (no reporter), when told, then nothing is queued and the audit log says why', async () => {
    const c = await createCase({ channel: 'ai_camera', reporterPhone: null, status: 'closed' });
    expect(await handler(makeJob('case-notify-reporter', { caseId: c.id }, { event: 'closed' }))).to.deep.equal({ outcome: 'complete' });
    expect(await OutboxMessages.count({ where: { caseId: c.id } })).to.equal(0);
    expect((await caseAuditTrail(c.id))[0]!.detail).to.deep.include({ sent: false, reason: 'no reporter contact' });
  });

  it('given an unknown event header, when handled, then the job raises an incident', async () => {
    const c = await createCase();
    expect(await handler(makeJob('case-notify-reporter', { caseId: c.id }, { event: 'party' }))).to.deep.include({ outcome: 'fail', retries: 0 });
  });

  it('given the same job delivered twice, when handled again, then one message is queued and nothing else changes', async () => {
    const c = await createCase({ status: 'closed' });
    const job = makeJob('case-notify-reporter', { caseId: c.id }, { event: 'closed' });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
    expect(await OutboxMessages.count({ where: { caseId: c.id } })).to.equal(1);
  });
});
