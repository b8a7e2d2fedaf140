import { expect } from 'chai';
import { Cases, InboxTasks, OutboxMessages, Units, type Row } from '../../test/support/tables.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseRemindHandler } from './handler.js';

async function openTask(caseId: string): Promise<void> {
  await InboxTasks.create({
    userTaskKey: `ut-${caseId}`,
    caseId,
    processInstanceKey: null,
    elementId: 'handle',
    name: '处置',
    formId: 'case-handle',
    unitId: null,
    assignee: null,
    candidateGroups: ['T-XP'],
    state: 'created',
    dueAt: null,
    followUpAt: null,
    completedAt: null,
    completedBy: null,
  });
}

describe('worker case-remind', () => {
  let db: Db;
  let txp: Row<'units'>;
  const handler = caseRemindHandler(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
    txp = (await Units.findOne({ where: { code: 'T-XP' } }))!;
  });
  after(() => db.close());

  it('given a dispatched case at its 80 % mark, when reminded (催办), then the case and its task turn yellow and the unit gets a reminder', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: txp.id, fields: { handleDueAt: new Date('2026-03-02T07:30:00Z') } });
    await openTask(c.id);
    expect(await handler(makeJob('case-remind', { caseId: c.id }, { stage: 'handle' }))).to.deep.equal({ outcome: 'complete' });
    expect((await Cases.findByPk(c.id))!.warningLight).to.equal('yellow');
    expect((await InboxTasks.findOne({ where: { caseId: c.id } }))!.warningLight).to.equal('yellow');
    const [m] = await OutboxMessages.findAll({ where: { caseId: c.id } });
    expect(m).to.deep.include({ kind: 'remind', channel: 'sms', recipient: txp.contactPhone });
    expect(m!.body).to.contain('催办').and.contain('处置').and.contain('2026-03-02 15:30');
  });

  it('given an emergency with a 协办 unit at its 80 % mark, when reminded at stage assist, then the assisting unit (not the lead) gets a reminder with its own due time', async () => {
    const fire = (await Units.findOne({ where: { code: 'D-XFDD' } }))!;
    const c = await createCase({ eventTypeCode: 'SJ-0403', status: 'dispatched', unitId: fire.id });
    const job = makeJob('case-remind', { caseId: c.id, assistUnit: 'T-XP', assistDueAt: '2026-03-02T16:32:00.000Z' }, { stage: 'assist' });
    expect(await handler(job)).to.deep.equal({ outcome: 'complete' });
    const messages = await OutboxMessages.findAll({ where: { caseId: c.id } });
    expect(messages.map((m) => m.recipient)).to.deep.equal([txp.contactPhone]);
    expect(messages[0]!.body).to.contain('协办').and.contain('2026-03-03 00:32');
    expect(await handler(makeJob('case-remind', { caseId: c.id }, { stage: 'assist' }))).to.deep.include({ outcome: 'fail', retries: 0 });
  });

  it('given a case already red, when a reminder comes late, then it stays red', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: txp.id, fields: { warningLight: 'red' } });
    await handler(makeJob('case-remind', { caseId: c.id }, { stage: 'handle' }));
    expect((await Cases.findByPk(c.id))!.warningLight).to.equal('red');
  });

  it('given a case not yet dispatched, when reminded at the accept stage, then the command centre is reminded', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101' });
    await handler(makeJob('case-remind', { caseId: c.id }, { stage: 'accept' }));
    const centre = (await Units.findOne({ where: { kind: 'centre' } }))!;
    expect((await OutboxMessages.findOne({ where: { caseId: c.id } }))!.recipient).to.equal(centre.contactPhone);
  });

  it('given the same job delivered twice, when handled again, then nothing changes', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched', unitId: txp.id });
    await openTask(c.id);
    const job = makeJob('case-remind', { caseId: c.id }, { stage: 'handle' });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
