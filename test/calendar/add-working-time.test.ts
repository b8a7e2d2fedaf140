import { expect } from 'chai';
import { BusinessCalendar } from '../../domain/calendar/index.js';

/** China local time → instant. */
const cst = (local: string) => new Date(`${local}+08:00`);

describe('calendar / adding working time', () => {
  const cal = new BusinessCalendar();

  // 2026-03-02..06 and 03-09..13 are plain Mon–Fri weeks (no holiday, no 调休).
  describe('given a normal week with the default hours 08:30-12:00,14:30-18:00', () => {
    const cases: Array<[string, string, number, string]> = [
      ['Friday 17:00 + 2h (the classic)', '2026-03-06T17:00:00', 120, '2026-03-09T09:30:00'],
      ['Friday 18:00 exactly + 2h', '2026-03-06T18:00:00', 120, '2026-03-09T10:30:00'],
      ['Friday 18:00 + 7h lands on Monday 18:00, not Tuesday 08:30', '2026-03-06T18:00:00', 420, '2026-03-09T18:00:00'],
      ['Monday 08:30 + 3.5h lands on 12:00, not 14:30', '2026-03-09T08:30:00', 210, '2026-03-09T12:00:00'],
      ['Monday 10:00 + 2h lands on 12:00', '2026-03-09T10:00:00', 120, '2026-03-09T12:00:00'],
      ['Monday 10:00 + 2h01m jumps the lunch break', '2026-03-09T10:00:00', 121, '2026-03-09T14:31:00'],
      ['lunch break 12:30 + 1h counts from 14:30', '2026-03-09T12:30:00', 60, '2026-03-09T15:30:00'],
      ['exactly 12:00 + 30m', '2026-03-09T12:00:00', 30, '2026-03-09T15:00:00'],
      ['exactly 14:30 + 3.5h lands on 18:00', '2026-03-09T14:30:00', 210, '2026-03-09T18:00:00'],
      ['Monday 08:30 + 7h is the same day 18:00', '2026-03-09T08:30:00', 420, '2026-03-09T18:00:00'],
      ['before work 07:00 + 1h', '2026-03-09T07:00:00', 60, '2026-03-09T09:30:00'],
      ['late evening 22:00 + 1h', '2026-03-09T22:00:00', 60, '2026-03-10T09:30:00'],
      ['Saturday 10:00 + 2h', '2026-03-07T10:00:00', 120, '2026-03-09T10:30:00'],
      ['Sunday 23:59 + 1m', '2026-03-08T23:59:00', 1, '2026-03-09T08:31:00'],
      ['17:59:30 + 1m carries seconds over to the next day', '2026-03-09T17:59:30', 1, '2026-03-10T08:30:30'],
      ['Thursday 11:00 + 3 working days (21h)', '2026-03-05T11:00:00', 1260, '2026-03-10T11:00:00'],
      ['Friday 17:00 + 0 is unchanged', '2026-03-06T17:00:00', 0, '2026-03-06T17:00:00'],
      ['Saturday 10:00 + 0 is unchanged (nothing to count)', '2026-03-07T10:00:00', 0, '2026-03-07T10:00:00'],
    ];
    for (const [what, start, minutes, expected] of cases) {
      it(`when ${what} then the result is ${expected}`, () => {
        expect(cal.addWorkingMinutes(cst(start), minutes)).to.deep.equal(cst(expected));
      });
    }

    it('when adding hours, minutes and milliseconds for the same amount then all agree', () => {
      const start = cst('2026-03-06T17:00:00');
      expect(cal.addWorkingHours(start, 2)).to.deep.equal(cst('2026-03-09T09:30:00'));
      expect(cal.addWorkingHours(start, 1.5)).to.deep.equal(cst('2026-03-09T09:00:00'));
      expect(cal.addWorkingMillis(start, 2 * 3_600_000)).to.deep.equal(cst('2026-03-09T09:30:00'));
    });
  });

  describe('given working days as an amount (1d = 7 working hours)', () => {
    const cases: Array<[string, string, number, string]> = [
      ['Monday 10:00 + 1d', '2026-03-09T10:00:00', 1, '2026-03-10T10:00:00'],
      ['Friday 10:00 + 1d', '2026-03-06T10:00:00', 1, '2026-03-09T10:00:00'],
      ['Monday 08:30 + 1d (a full day ends the same evening)', '2026-03-09T08:30:00', 1, '2026-03-09T18:00:00'],
      ['Monday 08:30 + 0.5d', '2026-03-09T08:30:00', 0.5, '2026-03-09T12:00:00'],
      ['Monday 10:00 + 0.5d', '2026-03-09T10:00:00', 0.5, '2026-03-09T16:00:00'],
      ['Saturday 09:00 + 1d', '2026-03-07T09:00:00', 1, '2026-03-09T18:00:00'],
      // 20 working days: 03-10..04-03 gives 19, 清明 04-04..06 is off, 04-07 is the 20th.
      ['Monday 09:00 + 20d across 清明', '2026-03-09T09:00:00', 20, '2026-04-07T09:00:00'],
    ];
    for (const [what, start, days, expected] of cases) {
      it(`when ${what} then the result is ${expected}`, () => {
        expect(cal.addWorkingDays(cst(start), days)).to.deep.equal(cst(expected));
      });
    }
  });

  describe('given the 2026 holidays and their 调休 working weekends', () => {
    const cases: Array<[string, string, number, string]> = [
      ['Wed 09-30 17:00 + 2h skips 国庆 10-01..07', '2026-09-30T17:00:00', 120, '2026-10-08T09:30:00'],
      ['Wed 09-30 17:00 + 9h', '2026-09-30T17:00:00', 540, '2026-10-09T09:30:00'],
      ['Fri 10-09 17:00 + 2h lands on the 调休 Saturday 10-10', '2026-10-09T17:00:00', 120, '2026-10-10T09:30:00'],
      ['Sat 10-10 17:00 + 2h skips Sunday 10-11', '2026-10-10T17:00:00', 120, '2026-10-12T09:30:00'],
      ['Fri 09-18 17:00 + 2h lands on the 调休 Sunday 09-20', '2026-09-18T17:00:00', 120, '2026-09-20T09:30:00'],
      ['Thu 09-24 17:00 + 2h skips 中秋 09-25..27', '2026-09-24T17:00:00', 120, '2026-09-28T09:30:00'],
      ['a start inside the holiday, 10-03 10:00 + 1h', '2026-10-03T10:00:00', 60, '2026-10-08T09:30:00'],
      ['Fri 02-13 17:00 + 2h lands on the 调休 Saturday 02-14', '2026-02-13T17:00:00', 120, '2026-02-14T09:30:00'],
      ['Sat 02-14 17:00 + 2h skips 春节 02-15..23', '2026-02-14T17:00:00', 120, '2026-02-24T09:30:00'],
      ['Fri 02-27 17:00 + 2h lands on the 调休 Saturday 02-28', '2026-02-27T17:00:00', 120, '2026-02-28T09:30:00'],
      ['Wed 2025-12-31 17:00 + 2h skips 元旦 and lands on the 调休 Sunday 01-04', '2025-12-31T17:00:00', 120, '2026-01-04T09:30:00'],
    ];
    for (const [what, start, minutes, expected] of cases) {
      it(`when ${what} then the result is ${expected}`, () => {
        expect(cal.addWorkingMinutes(cst(start), minutes)).to.deep.equal(cst(expected));
      });
    }

    it('when adding 3 working days from Wed 09-30 10:00 then it lands on the 调休 Saturday 10-10 10:00', () => {
      expect(cal.addWorkingDays(cst('2026-09-30T10:00:00'), 3)).to.deep.equal(cst('2026-10-10T10:00:00'));
    });
  });

  describe('given the local date boundary at +08:00', () => {
    it('when an instant is 23:59:59.999 on 09-30 local (15:59 UTC) then its day is a working day', () => {
      expect(cal.isWorkingDay(new Date('2026-09-30T15:59:59.999Z'))).to.equal(true);
      expect(cal.localDate(new Date('2026-09-30T15:59:59.999Z'))).to.equal('2026-09-30');
    });

    it('when an instant is 00:00 on 10-01 local (16:00 UTC the day before) then its day is a holiday', () => {
      expect(cal.isWorkingDay(new Date('2026-09-30T16:00:00Z'))).to.equal(false);
      expect(cal.localDate(new Date('2026-09-30T16:00:00Z'))).to.equal('2026-10-01');
    });

    it('when the calendar is at UTC instead then the same instant belongs to another day', () => {
      const utc = new BusinessCalendar({ utcOffsetMinutes: 0 });
      // Friday 23:00 UTC is Saturday 07:00 in China.
      const instant = new Date('2026-03-06T23:00:00Z');
      expect(cal.isWorkingDay(instant)).to.equal(false);
      expect(utc.isWorkingDay(instant)).to.equal(true);
      expect(utc.addWorkingHours(new Date('2026-03-06T17:00:00Z'), 2)).to.deep.equal(new Date('2026-03-09T09:30:00Z'));
    });
  });

  describe('given working time and its boundaries', () => {
    const cases: Array<[string, boolean, string]> = [
      ['2026-03-09T08:29:59', false, '2026-03-09T08:30:00'],
      ['2026-03-09T08:30:00', true, '2026-03-09T08:30:00'],
      ['2026-03-09T11:59:59', true, '2026-03-09T11:59:59'],
      ['2026-03-09T12:00:00', false, '2026-03-09T14:30:00'],
      ['2026-03-09T18:00:00', false, '2026-03-10T08:30:00'],
      ['2026-03-06T18:00:00', false, '2026-03-09T08:30:00'],
      ['2026-09-30T18:00:00', false, '2026-10-08T08:30:00'],
    ];
    for (const [at, working, next] of cases) {
      it(`when the instant is ${at} then isWorkingTime is ${working} and counting starts at ${next}`, () => {
        expect(cal.isWorkingTime(cst(at))).to.equal(working);
        expect(cal.nextWorkingTime(cst(at))).to.deep.equal(cst(next));
      });
    }
  });

  describe('given any start around the National Day fortnight', () => {
    it('when x minutes are added then exactly x working minutes elapse, and not one millisecond earlier', () => {
      const amounts = [1, 29, 210, 211, 420, 421, 1000, 5000];
      let checked = 0;
      for (let t = cst('2026-09-17T00:00:00').getTime(); t < cst('2026-10-14T00:00:00').getTime(); t += 37 * 60_000) {
        const start = new Date(t);
        for (const minutes of amounts) {
          const end = cal.addWorkingMinutes(start, minutes);
          expect(cal.workingMinutesBetween(start, end), `${start.toISOString()} + ${minutes}m`).to.equal(minutes);
          expect(cal.workingMillisBetween(start, new Date(end.getTime() - 1))).to.equal(minutes * 60_000 - 1);
          checked++;
        }
      }
      expect(checked).to.be.greaterThan(8000);
    });
  });
});
