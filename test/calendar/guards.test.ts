import { expect } from 'chai';
import { BusinessCalendar, CHINESE_DAYS, MAX_IDLE_DAYS, parseIsoDate, type StatutoryCalendar } from '../../domain/calendar/index.js';

const cst = (local: string) => new Date(`${local}+08:00`);

/** A statutory source that closes every day before `openFrom` and says nothing afterwards. */
function closedUntil(openFrom: string): StatutoryCalendar {
  const open = parseIsoDate(openFrom)!;
  return {
    source: 'test',
    firstYear: 2000,
    lastYear: 2100,
    lookup: (day) => (day < open ? { working: false, name: 'closed' } : undefined),
  };
}

describe('calendar / guards and efficiency', () => {
  const cal = new BusinessCalendar();

  describe('given a calendar with no working day at all', () => {
    const never = new BusinessCalendar({ statutory: closedUntil('2100-01-01') });

    it('when working time is added then it throws instead of looping forever', () => {
      expect(() => never.addWorkingHours(cst('2026-03-09T09:00:00'), 1)).to.throw(`No working day in ${MAX_IDLE_DAYS} consecutive days from 2026-03-09`);
    });

    it('when the next working time is asked then it throws too', () => {
      expect(() => never.nextWorkingTime(cst('2026-03-09T09:00:00'))).to.throw(/No working day in 366 consecutive days/);
    });
  });

  describe('given a calendar closed for 365 days, just under the guard', () => {
    it('when working time is added then it lands on the first open day', () => {
      // 2026-03-09 + 365 days = 2027-03-09, a Tuesday.
      const longClosure = new BusinessCalendar({ statutory: closedUntil('2027-03-09') });
      expect(longClosure.addWorkingHours(cst('2026-03-09T09:00:00'), 1)).to.deep.equal(cst('2027-03-09T09:30:00'));
    });
  });

  describe('given a calendar closed for exactly 366 days', () => {
    it('when working time is added then the guard trips although a working day would follow', () => {
      const closure = new BusinessCalendar({ statutory: closedUntil('2027-03-10') });
      expect(() => closure.addWorkingHours(cst('2026-03-09T09:00:00'), 1)).to.throw(/No working day in 366 consecutive days/);
      expect(() => closure.nextWorkingTime(cst('2026-03-09T09:00:00'))).to.throw(/No working day in 366 consecutive days/);
    });
  });

  describe('given nonsensical amounts or instants', () => {
    const start = cst('2026-03-09T09:00:00');
    it('when the amount is negative, NaN or infinite then it throws a RangeError', () => {
      expect(() => cal.addWorkingMinutes(start, -1)).to.throw(RangeError, /Invalid minutes -1/);
      expect(() => cal.addWorkingHours(start, Number.NaN)).to.throw(RangeError, /Invalid hours NaN/);
      expect(() => cal.addWorkingDays(start, Number.POSITIVE_INFINITY)).to.throw(RangeError, /Invalid days/);
    });

    it('when the amount would run for more than a century then it throws instead of scanning forever', () => {
      expect(() => cal.addWorkingDays(start, 10_000_000)).to.throw(RangeError, /beyond 36600 days/);
    });

    it('when the instant is an invalid Date then it throws', () => {
      expect(() => cal.addWorkingHours(new Date('nope'), 1)).to.throw(/Invalid start: expected a valid Date/);
      expect(() => cal.isWorkingDay(new Date(Number.NaN))).to.throw(/Invalid instant/);
      expect(() => cal.workingMillisBetween(start, new Date('nope'))).to.throw(/Invalid end/);
    });
  });

  describe('given 20 working days to add', () => {
    it('when computed then it looks at each calendar day at most once (no minute-by-minute loop)', () => {
      let lookups = 0;
      const counting: StatutoryCalendar = {
        ...CHINESE_DAYS,
        lookup: (day) => {
          lookups++;
          return CHINESE_DAYS.lookup(day);
        },
      };
      const counted = new BusinessCalendar({ statutory: counting });
      expect(counted.addWorkingDays(cst('2026-03-09T09:00:00'), 20)).to.deep.equal(cst('2026-04-07T09:00:00'));
      // 2026-03-09 .. 2026-04-07 is 30 calendar days.
      expect(lookups).to.equal(30);
    });

    it('when 20 working years are added then it still finishes in well under a second', () => {
      const t0 = performance.now();
      const end = cal.addWorkingDays(cst('2026-03-09T09:00:00'), 20 * 250);
      expect(performance.now() - t0).to.be.lessThan(1000);
      expect(end.getTime()).to.be.greaterThan(cst('2045-01-01T00:00:00').getTime());
    });
  });

  describe('given a process TZ other than China', () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      it(`when TZ=${tz} then results are the same instants`, () => {
        process.env.TZ = tz;
        const fresh = new BusinessCalendar();
        expect(fresh.addWorkingHours(cst('2026-09-30T17:00:00'), 9)).to.deep.equal(cst('2026-10-09T09:30:00'));
        expect(fresh.isWorkingDay(cst('2026-10-01T00:00:00'))).to.equal(false);
        expect(fresh.isWorkingDay(cst('2026-10-10T23:59:59'))).to.equal(true);
        expect(fresh.localDate(cst('2026-10-01T00:00:00'))).to.equal('2026-10-01');
        expect(fresh.workingMinutesBetween(cst('2026-09-30T17:00:00'), cst('2026-10-08T09:30:00'))).to.equal(120);
      });
    }

    it('when TZ is changed then the process really does see a different local offset (so the test above means something)', () => {
      process.env.TZ = 'America/Los_Angeles';
      const la = new Date('2026-10-01T00:00:00Z').getTimezoneOffset();
      process.env.TZ = 'UTC';
      const utc = new Date('2026-10-01T00:00:00Z').getTimezoneOffset();
      expect(la).to.equal(420);
      expect(utc).to.equal(0);
    });
  });
});
