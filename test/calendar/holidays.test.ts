import { expect } from 'chai';
import chineseDays from 'chinese-days';
import { BusinessCalendar, CHINESE_DAYS, formatEpochDay, parseIsoDate, weekdayOf } from '../../domain/calendar/index.js';

/** All dates in [from, to] (inclusive) for which `pick` holds. */
function datesWhere(from: string, to: string, pick: (date: string) => boolean): string[] {
  const out: string[] = [];
  for (let d = parseIsoDate(from)!; d <= parseIsoDate(to)!; d++) {
    const date = formatEpochDay(d);
    if (pick(date)) out.push(date);
  }
  return out;
}

const isWeekend = (date: string) => [0, 6].includes(weekdayOf(parseIsoDate(date)!));

describe('calendar / statutory holidays (chinese-days) and overrides', () => {
  const cal = new BusinessCalendar();

  describe('given the installed chinese-days data', () => {
    it('when asked for its coverage then it spans 2004 to 2026', () => {
      expect(CHINESE_DAYS.firstYear).to.equal(2004);
      expect(CHINESE_DAYS.lastYear).to.equal(2026);
      expect(cal.days.coversYear(2026)).to.equal(true);
      expect(cal.days.coversYear(2027)).to.equal(false);
    });

    // Official arrangement: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
    const arrangements: Array<{ name: string; from: string; to: string; off: string[]; makeUp: string[] }> = [
      {
        name: '元旦 (1月1日–3日放假, 1月4日周日上班)',
        from: '2025-12-25',
        to: '2026-01-11',
        off: ['2026-01-01', '2026-01-02', '2026-01-03'],
        makeUp: ['2026-01-04'],
      },
      {
        name: '春节 (2月15日–23日放假, 2月14日周六、2月28日周六上班)',
        from: '2026-02-07',
        to: '2026-03-08',
        off: ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'],
        makeUp: ['2026-02-14', '2026-02-28'],
      },
      {
        name: '中秋 (9月25日–27日) and 国庆 (10月1日–7日放假, 9月20日周日、10月10日周六上班)',
        from: '2026-09-14',
        to: '2026-10-18',
        off: ['2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
        makeUp: ['2026-09-20', '2026-10-10'],
      },
    ];

    for (const a of arrangements) {
      it(`when looking at 2026 ${a.name} then the statutory days off are exactly those`, () => {
        const statutoryOff = datesWhere(a.from, a.to, (d) => CHINESE_DAYS.lookup(parseIsoDate(d)!)?.working === false);
        expect(statutoryOff).to.deep.equal(a.off);
      });

      it(`when looking at 2026 ${a.name} then the 调休 working weekend days are exactly those`, () => {
        const workingWeekend = datesWhere(a.from, a.to, (d) => isWeekend(d) && cal.isWorkingDate(d));
        expect(workingWeekend).to.deep.equal(a.makeUp);
      });

      it(`when looking at 2026 ${a.name} then every other weekday is a working day`, () => {
        const nonWorkingWeekdays = datesWhere(a.from, a.to, (d) => !isWeekend(d) && !cal.isWorkingDate(d));
        expect(nonWorkingWeekdays).to.deep.equal(a.off.filter((d) => !isWeekend(d)));
      });
    }

    it('when asked about 2026-10-01 then it explains the day as 国庆节 from the statutory source', () => {
      expect(cal.dayInfo('2026-10-01')).to.deep.equal({
        date: '2026-10-01',
        working: false,
        source: 'statutory',
        note: '国庆节',
      });
      expect(cal.dayInfo('2026-10-10')).to.deep.equal({
        date: '2026-10-10',
        working: true,
        source: 'statutory',
        note: '国庆节',
      });
      expect(cal.dayInfo('2026-10-12')).to.deep.equal({ date: '2026-10-12', working: true, source: 'weekday' });
    });

    it('when compared day by day with the package functions (2004–2026) then the adapter agrees', () => {
      // The package's functions read dates in the process TZ; a local-noon Date keeps them consistent.
      const disagreements: string[] = [];
      for (let d = parseIsoDate('2004-01-01')!; d <= parseIsoDate('2026-12-31')!; d++) {
        const date = formatEpochDay(d);
        const [y, m, dd] = date.split('-').map(Number) as [number, number, number];
        if (chineseDays.isWorkday(new Date(y, m - 1, dd, 12)) !== cal.isWorkingDate(date)) disagreements.push(date);
      }
      expect(disagreements).to.deep.equal([]);
    });
  });

  describe('given a date outside the package coverage (2027)', () => {
    it('when checked then plain Monday–Friday applies', () => {
      expect(cal.isWorkingDate('2027-10-01')).to.equal(true); // a Friday; no 2027 data yet
      expect(cal.isWorkingDate('2027-10-02')).to.equal(false); // Saturday
      expect(cal.dayInfo('2027-10-01').source).to.equal('weekday');
    });
  });

  describe('given local overrides', () => {
    const local = new BusinessCalendar({
      overrides: [
        { date: '2026-03-10', working: false, note: '区级防汛停工' }, // a Tuesday declared off
        { date: '2026-03-15', working: true, note: '网格集中整治日' }, // a Sunday declared working
        { date: '2026-10-05', working: true }, // beats the statutory holiday
        { date: '2026-10-10', working: false }, // beats the statutory 调休 workday
        { date: '2027-10-01', working: false, note: '国庆 (2027 arrangement not in package yet)' },
      ],
    });

    const table: Array<[string, boolean, boolean]> = [
      // date, default calendar, with overrides
      ['2026-03-10', true, false],
      ['2026-03-15', false, true],
      ['2026-10-05', false, true],
      ['2026-10-10', true, false],
      ['2027-10-01', true, false],
      ['2026-03-11', true, true], // untouched neighbours
      ['2026-10-06', false, false],
    ];
    for (const [date, byDefault, overridden] of table) {
      it(`when ${date} is checked then it is ${overridden ? 'working' : 'off'} (default calendar: ${byDefault ? 'working' : 'off'})`, () => {
        expect(cal.isWorkingDate(date)).to.equal(byDefault);
        expect(local.isWorkingDate(date)).to.equal(overridden);
      });
    }

    it('when explained then the override and its note are reported', () => {
      expect(local.dayInfo('2026-03-15')).to.deep.equal({
        date: '2026-03-15',
        working: true,
        source: 'override',
        note: '网格集中整治日',
      });
      expect(local.dayInfo('2026-10-05')).to.deep.equal({ date: '2026-10-05', working: true, source: 'override' });
    });

    const invalid: Array<[string, unknown[], RegExp]> = [
      ['a malformed date', [{ date: '2026/10/01', working: false }], /Invalid override date "2026\/10\/01"/],
      ['an impossible date', [{ date: '2026-02-30', working: false }], /Invalid override date "2026-02-30"/],
      ['a non-boolean flag', [{ date: '2026-10-01', working: 'yes' }], /"working" must be true or false/],
      [
        'the same date twice',
        [
          { date: '2026-10-01', working: false },
          { date: '2026-10-01', working: true },
        ],
        /Duplicate override for 2026-10-01/,
      ],
    ];
    for (const [what, overrides, why] of invalid) {
      it(`when an override has ${what} then construction fails`, () => {
        expect(() => new BusinessCalendar({ overrides: overrides as never })).to.throw(why);
      });
    }
  });

  describe('given a date string', () => {
    for (const bad of ['2026-1-1', '20261001', '2026-13-01', '']) {
      it(`when "${bad}" is checked then it throws`, () => {
        expect(() => cal.isWorkingDate(bad)).to.throw(/expected a real calendar date as YYYY-MM-DD/);
      });
    }
  });
});
