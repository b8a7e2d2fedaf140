import { expect } from 'chai';
import { Cases, EventTypes } from '../../test/support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseClassifyHandler } from './handler.js';

describe('worker case-classify', () => {
  let db: Db;
  const { deps } = testDeps();
  const handler = caseClassifyHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given a hotline report without a type, when classified, then the keywords pick 污水井盖 with high confidence and the case gets it', async () => {
    const c = await createCase({ description: '小区门口污水井盖冒水，臭味很大' });
    const outcome = await handler(makeJob('case-classify', { caseId: c.id, description: c.description, eventTypeCode: null }));
    // the trained model's calibrated confidence (the keyword rules alone said 1 here)
    expect(outcome).to.deep.include({ outcome: 'complete' });
    const v = (outcome as { variables: Record<string, unknown> }).variables;
    expect(v).to.deep.include({ eventTypeCode: 'BJ-0102', category: '市容环境', needsManualAccept: false });
    expect(v['classifyConfidence']).to.be.within(0.6, 1);
    const after = (await Cases.findByPk(c.id))!;
    expect(after.eventTypeId).to.equal((await EventTypes.findOne({ where: { code: 'BJ-0102' } }))!.id);
    expect(after.category).to.equal('市容环境');
    expect((await caseAuditTrail(c.id))[0]).to.deep.include({ action: 'classified', actor: 'worker:case-classify' });
  });

  it('given an AI camera capture with a known type, when classified, then that type is kept with confidence 1', async () => {
    const c = await createCase({ channel: 'ai_camera', description: '检测到占道经营', reporterPhone: null });
    const outcome = await handler(makeJob('case-classify', { caseId: c.id, description: c.description, eventTypeCode: 'SJ-0106' }));
    expect(outcome).to.deep.include({ outcome: 'complete' });
    expect((outcome as { variables: Record<string, unknown> }).variables).to.deep.include({
      eventTypeCode: 'SJ-0106',
      classifyConfidence: 1,
      needsManualAccept: false,
    });
  });

  it('given text no keyword matches, when classified, then no type is guessed and a person must accept it', async () => {
    const c = await createCase({ description: '想咨询一下社保政策' });
    const outcome = await handler(makeJob('case-classify', { caseId: c.id, description: c.description, eventTypeCode: null }));
    expect(outcome).to.deep.equal({ outcome: 'complete', variables: { eventTypeCode: null, category: null, classifyConfidence: 0, needsManualAccept: true } });
    expect((await Cases.findByPk(c.id))!.eventTypeId).to.equal(null);
  });

  it('given a vague text, when classified, then the confidence is below the threshold and 受理 decides', async () => {
    const c = await createCase({ description: '这里有垃圾' });
    const outcome = await handler(makeJob('case-classify', { caseId: c.id, description: c.description, eventTypeCode: null }));
    const v = (outcome as { variables: Record<string, unknown> }).variables;
    expect(v['needsManualAccept']).to.equal(true);
    expect(v['classifyConfidence']).to.be.below(0.6);
  });

  it('given the same job delivered twice, when handled again, then nothing changes and the same answer comes back', async () => {
    const c = await createCase({ description: '路边有人焚烧秸秆' });
    const job = makeJob('case-classify', { caseId: c.id, description: c.description, eventTypeCode: null });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    const second = await handler(job);
    expect(second).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });

  it('given a case id that does not exist, when handled, then the job fails without retries (an incident) naming the case', async () => {
    const outcome = await handler(makeJob('case-classify', { caseId: '987654321', description: 'x', eventTypeCode: null }));
    expect(outcome).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((outcome as { errorMessage: string }).errorMessage).to.contain('case 987654321 not found');
  });
});
