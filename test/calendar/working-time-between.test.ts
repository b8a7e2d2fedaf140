import { expect } from 'chai';
import { BusinessCalendar } from '../../domain/calendar/index.js';

const cst = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;

describe('calendar / working time between two instants', () => {
  const cal = new BusinessCalendar();

  const cases: Array<[string, string, string, number]> = [
    ['within one morning period', '2026-03-09T09:00:00', '2026-03-09T11:00:00', 120],
    ['across the lunch break', '2026-03-09T11:00:00', '2026-03-09T15:00:00', 90],
    ['both ends inside the lunch break', '2026-03-09T12:10:00', '2026-03-09T14:20:00', 0],
    ['a full working day', '2026-03-09T00:00:00', '2026-03-10T00:00:00', 420],
    ['Friday 17:00 to Monday 09:30', '2026-03-06T17:00:00', '2026-03-09T09:30:00', 120],
    ['a whole weekend', '2026-03-07T00:00:00', '2026-03-09T00:00:00', 0],
    ['Wed 09-30 17:00 to Thu 10-08 09:30 across 国庆', '2026-09-30T17:00:00', '2026-10-08T09:30:00', 120],
    ['09-30 08:30 to 10-08 18:00 (two working days around the holiday)', '2026-09-30T08:30:00', '2026-10-08T18:00:00', 840],
    ['inside the holiday only', '2026-10-01T08:30:00', '2026-10-07T18:00:00', 0],
    ['Fri 10-09 08:30 to Mon 10-12 08:30 includes the 调休 Saturday', '2026-10-09T08:30:00', '2026-10-12T08:30:00', 840],
    ['Fri 09-18 18:00 to Mon 09-21 08:30 includes the 调休 Sunday', '2026-09-18T18:00:00', '2026-09-21T08:30:00', 420],
    ['春节: Fri 02-13 08:30 to Wed 02-25 08:30', '2026-02-13T08:30:00', '2026-02-25T08:30:00', 3 * 420],
    ['sub-minute precision', '2026-03-09T08:30:00', '2026-03-09T08:30:30', 0.5],
  ];
  for (const [what, a, b, minutes] of cases) {
    it(`given ${what} when measured then it is ${minutes} working minutes`, () => {
      expect(cal.workingMinutesBetween(cst(a), cst(b))).to.equal(minutes);
      expect(cal.workingMillisBetween(cst(a), cst(b))).to.equal(minutes * 60_000);
      expect(cal.elapsed(cst(a), cst(b), 'working')).to.equal(minutes * 60_000);
    });
  }

  it('given b before a when measured then it is 0, and equal instants give 0', () => {
    expect(cal.workingMillisBetween(cst('2026-03-09T11:00:00'), cst('2026-03-09T09:00:00'))).to.equal(0);
    expect(cal.workingMillisBetween(cst('2026-03-09T10:00:00'), cst('2026-03-09T10:00:00'))).to.equal(0);
    expect(cal.elapsed(cst('2026-03-09T11:00:00'), cst('2026-03-09T09:00:00'), 'natural')).to.equal(0);
  });

  it('given a declared day off when measured across it then that day does not count', () => {
    const local = new BusinessCalendar({ overrides: [{ date: '2026-03-10', working: false }] });
    const a = cst('2026-03-09T08:30:00');
    const b = cst('2026-03-12T08:30:00');
    expect(cal.workingMillisBetween(a, b)).to.equal(3 * 7 * HOUR);
    expect(local.workingMillisBetween(a, b)).to.equal(2 * 7 * HOUR);
  });

  it('given a year-long span when measured then it counts the 248 working days of 2026 × 7h', () => {
    // 2026 has 248 working days by the official arrangement: 261 weekdays − 19 weekday holidays
    // (元旦 2, 春节 6, 清明 1, 劳动节 3, 端午 1, 中秋 1, 国庆 5) + 6 调休 working weekend days.
    let workingDays = 0;
    for (let d = new Date('2026-01-01T00:00:00Z'); d.getUTCFullYear() === 2026; d = new Date(d.getTime() + 86_400_000)) {
      if (cal.isWorkingDate(d.toISOString().slice(0, 10))) workingDays++;
    }
    expect(workingDays).to.equal(248);
    expect(cal.workingMillisBetween(cst('2026-01-01T00:00:00'), cst('2027-01-01T00:00:00'))).to.equal(248 * 7 * HOUR);
  });
});
