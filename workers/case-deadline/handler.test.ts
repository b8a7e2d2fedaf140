import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { MONDAY_0900, createCase, demoDatabase, makeJob, testDeps, worldSnapshot, type Db } from '../../test/support/case-fixtures.js';
import { caseDeadlineHandler } from './handler.js';

describe('worker case-deadline', () => {
  let db: Db;
  const { deps, clock } = testDeps();
  const handler = caseDeadlineHandler(deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());
  beforeEach(() => {
    clock.now = new Date(MONDAY_0900);
  });

  it('given 暴露垃圾 (4 working hours) dispatched Monday 09:00, when the handle deadline is computed, then 14:42 / 15:30 / 17:30 Beijing time', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    const outcome = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'handle' }));
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: {
        handleWarnAt: '2026-03-02T06:42:00.000Z',
        handleDueAt: '2026-03-02T07:30:00.000Z',
        handleSuperviseAt: '2026-03-02T09:30:00.000Z',
      },
    });
    expect((await Cases.findByPk(c.id))!.handleDueAt!.toISOString()).to.equal('2026-03-02T07:30:00.000Z');
  });

  it('given a fire (应急, 10 natural minutes to accept), when the accept deadline is computed, then 8 / 10 / 15 minutes on the 24×7 clock', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0401' });
    clock.now = new Date('2026-03-07T14:00:00Z'); // Saturday 22:00: emergencies do not wait for Monday
    const outcome = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'accept' }));
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: {
        acceptWarnAt: '2026-03-07T14:08:00.000Z',
        acceptDueAt: '2026-03-07T14:10:00.000Z',
        acceptSuperviseAt: '2026-03-07T14:15:00.000Z',
      },
    });
  });

  it('given an approved extension of 8 hours, when computed with stage extend, then the handle marks move (as handle* and extend*)', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'handle' }));
    clock.now = new Date('2026-03-02T05:00:00Z'); // the extension is approved later; the limit still counts from dispatch
    const outcome = await handler(makeJob('case-deadline', { caseId: c.id, extensionHours: 8 }, { stage: 'extend' }));
    const moved = { WarnAt: '2026-03-03T03:36:00.000Z', DueAt: '2026-03-03T08:30:00.000Z', SuperviseAt: '2026-03-04T07:30:00.000Z' };
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: {
        handleWarnAt: moved.WarnAt,
        handleDueAt: moved.DueAt,
        handleSuperviseAt: moved.SuperviseAt,
        extendWarnAt: moved.WarnAt,
        extendDueAt: moved.DueAt,
        extendSuperviseAt: moved.SuperviseAt,
      },
    });
  });

  it('given 违法建设 with extra stages, when computed with stage extra and extraStage 停工, then stage* marks of 4 working hours', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0501', status: 'dispatched' });
    const outcome = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'extra', extraStage: '停工' }));
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: {
        stageWarnAt: '2026-03-02T06:42:00.000Z',
        stageDueAt: '2026-03-02T07:30:00.000Z',
        stageSuperviseAt: '2026-03-02T09:30:00.000Z',
        extraStage: '停工',
      },
    });
    expect((await Cases.findByPk(c.id))!.dueAt!.toISOString()).to.equal('2026-03-02T07:30:00.000Z');
  });

  it('given a dispute (首次调解=3d;再次调解=7d), when 再次调解 is computed, then its due time is 7 working days later', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0301', status: 'dispatched' });
    const outcome = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'extra', extraStage: '再次调解' }));
    expect((outcome as { variables: Record<string, string> }).variables['stageDueAt']).to.equal(
      deps.calendar.addWorkingHours(MONDAY_0900, 7 * 7).toISOString(),
    );
  });

  it('given stage extra without extraStage, or naming a stage the event type lacks, when handled, then an incident says what is wrong', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0501', status: 'dispatched' });
    const noName = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'extra' }));
    expect(noName).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((noName as { errorMessage: string }).errorMessage).to.contain('header extraStage');
    const unknown = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'extra', extraStage: '复耕' }));
    expect(unknown).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((unknown as { errorMessage: string }).errorMessage).to.contain('复耕');
  });

  it('given a bad stage header or a missing extensionHours, when handled, then the job raises an incident saying what is wrong', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    const bad = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'lunch' }));
    expect(bad).to.deep.include({ outcome: 'fail', retries: 0 });
    expect((bad as { errorMessage: string }).errorMessage).to.contain('header stage');
    const noHours = await handler(makeJob('case-deadline', { caseId: c.id }, { stage: 'extend' }));
    expect((noHours as { errorMessage: string }).errorMessage).to.contain('extensionHours');
  });

  it('given the same job delivered again an hour later, when handled, then the first deadlines come back and nothing moves', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0102', status: 'dispatched' });
    const job = makeJob('case-deadline', { caseId: c.id }, { stage: 'handle' });
    const first = await handler(job);
    const snapshot = await worldSnapshot(c.id);
    clock.now = new Date(MONDAY_0900.getTime() + 3_600_000);
    expect(await handler(job)).to.deep.equal(first);
    expect(await worldSnapshot(c.id)).to.deep.equal(snapshot);
  });
});
