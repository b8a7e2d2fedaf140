import { expect } from 'chai';
import { Cases } from '../../test/support/tables.js';
import { createCase, demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { BusinessCalendar } from '../calendar/index.js';
import { isDomainError } from '../shared/errors.js';
import { extendDeadline, extendHandleDeadline, extraStageLimit, lightAt, setExtraStageDeadline, setStageDeadline, stageDeadline } from './index.js';

const calendar = new BusinessCalendar(); // 08:30-12:00, 14:30-18:00 Beijing time, chinese-days holidays
const MONDAY_0900 = new Date('2026-03-02T01:00:00Z');

describe('stage deadlines (domain/deadlines)', () => {
  it('given 4 working hours from Monday 09:00, when computed, then warn 14:42, due 15:30, supervise 17:30 (Beijing time)', () => {
    const d = stageDeadline(calendar, { stage: 'handle', limit: '4h', clock: 'working', start: MONDAY_0900 });
    expect([d.warnAt, d.dueAt, d.superviseAt]).to.deep.equal(['2026-03-02T06:42:00.000Z', '2026-03-02T07:30:00.000Z', '2026-03-02T09:30:00.000Z']);
  });

  it('given an emergency limit of 60 natural minutes, when computed, then 48/60/90 minutes later on the 24×7 clock', () => {
    const d = stageDeadline(calendar, { stage: 'handle', limit: '60m', clock: 'natural', start: MONDAY_0900 });
    expect([d.warnAt, d.dueAt, d.superviseAt]).to.deep.equal(['2026-03-02T01:48:00.000Z', '2026-03-02T02:00:00.000Z', '2026-03-02T02:30:00.000Z']);
  });

  it('given Friday 17:00, when 4 working hours are due, then the weekend is skipped: Monday 11:30', () => {
    const d = stageDeadline(calendar, { stage: 'handle', limit: '4h', clock: 'working', start: new Date('2026-03-06T09:00:00Z') });
    expect(d.dueAt).to.equal('2026-03-09T03:30:00.000Z');
  });

  it('given Thursday 2026-04-30 17:00 before the Labour Day holiday (May 1–5), when 4 working hours are due, then Wednesday May 6 11:30', () => {
    const d = stageDeadline(calendar, { stage: 'handle', limit: '4h', clock: 'working', start: new Date('2026-04-30T09:00:00Z') });
    expect(d.dueAt).to.equal('2026-05-06T03:30:00.000Z');
  });

  it('given a handling deadline of 4 h, when extended by 8 working hours, then all marks move: 12 h from the same start', () => {
    const base = stageDeadline(calendar, { stage: 'handle', limit: '4h', clock: 'working', start: MONDAY_0900 });
    const d = extendDeadline(calendar, base, 8);
    expect(d.limit).to.equal('4h+8h');
    expect([d.warnAt, d.dueAt, d.superviseAt]).to.deep.equal(['2026-03-03T03:36:00.000Z', '2026-03-03T08:30:00.000Z', '2026-03-04T07:30:00.000Z']);
    expect(() => extendDeadline(calendar, base, 0)).to.throw(/positive/);
  });

  it('given marks, when the light is read at different times, then green, yellow at 80 %, red at 100 %', () => {
    const d = { warnAt: '2026-03-02T06:42:00.000Z', dueAt: '2026-03-02T07:30:00.000Z' };
    expect(lightAt(d, new Date('2026-03-02T06:41:59Z'))).to.equal('green');
    expect(lightAt(d, new Date('2026-03-02T06:42:00Z'))).to.equal('yellow');
    expect(lightAt(d, new Date('2026-03-02T07:30:00Z'))).to.equal('red');
  });

  it('given the extra stages of 违法建设 (停工=4h;处罚=7d;拆除=20d), when a stage is looked up by name, then its limit, or null for an unknown one', () => {
    const illegal = {
      extraStages: [
        { name: '停工', limit: '4h' },
        { name: '处罚', limit: '7d' },
        { name: '拆除', limit: '20d' },
      ],
    };
    expect(extraStageLimit(illegal, '处罚')).to.equal('7d');
    expect(extraStageLimit(illegal, '复耕')).to.equal(null);
    expect(extraStageLimit({ extraStages: null }, '停工')).to.equal(null);
    expect(extraStageLimit(null, '停工')).to.equal(null);
  });

  describe('on cases', () => {
    let db: Db;
    before(async () => {
      db = await demoDatabase();
    });
    after(() => db.close());
    const ctx = (at: Date, key?: string) => ({ actor: 'worker:case-deadline', at, ...(key ? { dedupKey: key } : {}) });

    it('given a case of 暴露垃圾, when its handle deadline is set, then the case carries the due time and a green light', async () => {
      const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
      const { deadline } = await setStageDeadline(c.id, 'handle', calendar, ctx(MONDAY_0900));
      expect(deadline.dueAt).to.equal('2026-03-02T07:30:00.000Z');
      const after = (await Cases.findByPk(c.id))!;
      expect(after.handleDueAt!.toISOString()).to.equal('2026-03-02T07:30:00.000Z');
      expect(after.dueAt!.toISOString()).to.equal('2026-03-02T07:30:00.000Z');
      expect(after.warningLight).to.equal('green');
    });

    it('given two extensions, when applied, then the second adds to the first', async () => {
      const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
      await setStageDeadline(c.id, 'handle', calendar, ctx(MONDAY_0900));
      await extendHandleDeadline(c.id, 4, calendar, ctx(MONDAY_0900));
      const { deadline } = await extendHandleDeadline(c.id, 4, calendar, ctx(MONDAY_0900));
      expect(deadline.limit).to.equal('4h+4h+4h');
      expect(deadline.dueAt).to.equal('2026-03-03T08:30:00.000Z');
      expect((await Cases.findByPk(c.id))!.handleDueAt!.toISOString()).to.equal('2026-03-03T08:30:00.000Z');
    });

    it('given no handling deadline yet, when extended, then it is refused', async () => {
      const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
      let err: unknown;
      try {
        await extendHandleDeadline(c.id, 4, calendar, ctx(MONDAY_0900));
      } catch (e) {
        err = e;
      }
      expect(isDomainError(err, 'INVALID_TRANSITION')).to.equal(true);
    });

    it('given a 违法建设 case, when the extra stage 停工 (4 working hours) is set from Monday 09:00, then 14:42 / 15:30 / 17:30 and the case is due then', async () => {
      const c = await createCase({ eventTypeCode: 'SJ-0501', status: 'dispatched' });
      const { deadline } = await setExtraStageDeadline(c.id, '停工', calendar, ctx(MONDAY_0900));
      expect(deadline).to.deep.include({ stage: 'extra', extraStage: '停工', limit: '4h', clock: 'working' });
      expect([deadline.warnAt, deadline.dueAt, deadline.superviseAt]).to.deep.equal([
        '2026-03-02T06:42:00.000Z',
        '2026-03-02T07:30:00.000Z',
        '2026-03-02T09:30:00.000Z',
      ]);
      const after = (await Cases.findByPk(c.id))!;
      expect(after.dueAt!.toISOString()).to.equal('2026-03-02T07:30:00.000Z');
      expect(after.handleDueAt).to.equal(null); // an extra stage has no column of its own
      const penalty = await setExtraStageDeadline(c.id, '处罚', calendar, ctx(MONDAY_0900));
      expect(penalty.deadline.dueAt).to.equal(stageDeadline(calendar, { stage: 'extra', limit: '7d', clock: 'working', start: MONDAY_0900 }).dueAt);
    });

    it('given a case whose event type has no such extra stage, when it is set, then it is refused naming the stages there are', async () => {
      const c = await createCase({ eventTypeCode: 'SJ-0501', status: 'dispatched' });
      let err: unknown;
      try {
        await setExtraStageDeadline(c.id, '复耕', calendar, ctx(MONDAY_0900));
      } catch (e) {
        err = e;
      }
      expect(isDomainError(err, 'INVALID_ARGUMENT')).to.equal(true);
      expect((err as Error).message).to.contain('停工, 处罚, 拆除');
    });

    it('given an unclassified case, when the accept deadline is set, then the fallback limit of 1 working hour applies', async () => {
      const c = await createCase({ eventTypeCode: null });
      const { deadline, detail } = await setStageDeadline(c.id, 'accept', calendar, ctx(MONDAY_0900));
      expect(deadline.dueAt).to.equal('2026-03-02T02:00:00.000Z');
      expect(detail['fallbackLimit']).to.equal(true);
    });
  });
});
