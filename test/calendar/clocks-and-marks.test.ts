import { expect } from 'chai';
import { BusinessCalendar, DEFAULT_MARK_FRACTIONS, type Clock } from '../../domain/calendar/index.js';

const cst = (local: string) => new Date(`${local}+08:00`);

describe('calendar / durations on the working and natural clocks', () => {
  const cal = new BusinessCalendar();

  describe('given a catalogue duration', () => {
    const cases: Array<[string, string, Clock, string]> = [
      ['Friday 17:00', '2h', 'working', '2026-03-09T09:30:00'],
      ['Friday 17:00', '2h', 'natural', '2026-03-06T19:00:00'],
      ['Friday 17:00', '30m', 'natural', '2026-03-06T17:30:00'],
      ['Friday 17:00', '1d', 'natural', '2026-03-07T17:00:00'],
      ['Friday 17:00', '1d', 'working', '2026-03-09T17:00:00'],
      ['Friday 17:00', '0.5d', 'working', '2026-03-09T11:00:00'],
      ['Friday 17:00', '0.5d', 'natural', '2026-03-07T05:00:00'],
      ['Wed 09-30 17:00', '4h', 'natural', '2026-09-30T21:00:00'],
      ['Wed 09-30 17:00', '4h', 'working', '2026-10-08T11:30:00'],
      ['Thu 10-01 10:00 (holiday)', '30m', 'natural', '2026-10-01T10:30:00'],
      ['Thu 10-01 10:00 (holiday)', '30m', 'working', '2026-10-08T09:00:00'],
    ];
    const startOf: Record<string, string> = {
      'Friday 17:00': '2026-03-06T17:00:00',
      'Wed 09-30 17:00': '2026-09-30T17:00:00',
      'Thu 10-01 10:00 (holiday)': '2026-10-01T10:00:00',
    };
    for (const [start, duration, clock, expected] of cases) {
      it(`when ${duration} is added to ${start} on the ${clock} clock then the result is ${expected}`, () => {
        const s = cst(startOf[start]!);
        expect(cal.addDuration(s, duration, clock)).to.deep.equal(cst(expected));
        // The parsed form gives the same answer as the catalogue string.
        const amount = Number(duration.slice(0, -1));
        const unit = duration.slice(-1) as 'm' | 'h' | 'd';
        expect(cal.addDuration(s, { amount, unit }, clock)).to.deep.equal(cst(expected));
      });
    }

    it('when the duration text is invalid then it throws', () => {
      expect(() => cal.addDuration(cst('2026-03-09T09:00:00'), '2 hours', 'working')).to.throw(/Invalid duration "2 hours"/);
      expect(() => cal.addDuration(cst('2026-03-09T09:00:00'), '0h', 'natural')).to.throw(/Invalid duration "0h"/);
    });

    it('when the clock is unknown then it throws', () => {
      expect(() => cal.addDuration(cst('2026-03-09T09:00:00'), '2h', 'wall' as Clock)).to.throw(/Unknown clock "wall"/);
    });

    it('when the length of 1d is asked then it is 7h working and 24h natural', () => {
      expect(cal.durationMillis('1d', 'working')).to.equal(7 * 3_600_000);
      expect(cal.durationMillis('1d', 'natural')).to.equal(24 * 3_600_000);
      expect(cal.durationMillis('0.5d', 'working')).to.equal(3.5 * 3_600_000);
    });
  });

  describe('given elapsed time between two instants', () => {
    it('when measured over the National Day holiday then natural counts everything and working only working time', () => {
      const a = cst('2026-09-30T17:00:00');
      const b = cst('2026-10-08T09:30:00');
      expect(cal.elapsed(a, b, 'natural')).to.equal((7 * 24 + 16.5) * 3_600_000);
      expect(cal.elapsed(a, b, 'working')).to.equal(2 * 3_600_000);
    });
  });

  describe('given a stage limit and the default marks (80% 催办, 100% 督办, 150% 挂牌督办)', () => {
    it('when the limit is 1d working from Monday 08:30 then marks fall at 16:36, 18:00 and Tuesday 12:00', () => {
      expect(DEFAULT_MARK_FRACTIONS).to.deep.equal([0.8, 1, 1.5]);
      const marks = cal.deadlineMarks(cst('2026-03-09T08:30:00'), '1d', 'working');
      expect(marks).to.deep.equal([
        { fraction: 0.8, at: cst('2026-03-09T16:36:00') }, // 5.6h = 3.5h morning + 2h06 afternoon
        { fraction: 1, at: cst('2026-03-09T18:00:00') },
        { fraction: 1.5, at: cst('2026-03-10T12:00:00') }, // lands on the period end, not 14:30
      ]);
    });

    it('when the limit is 3d working from Wed 09-30 10:00 then marks skip 国庆 and use the 调休 Saturday', () => {
      const marks = cal.deadlineMarks(cst('2026-09-30T10:00:00'), { amount: 3, unit: 'd' }, 'working');
      expect(marks.map((m) => m.at)).to.deep.equal([
        cst('2026-10-09T15:18:00'), // 16.8h: 5.5h (09-30) + 7h (10-08) + 4.3h (10-09)
        cst('2026-10-10T10:00:00'), // 21h: … + 1.5h on the 调休 Saturday
        cst('2026-10-12T16:00:00'), // 31.5h: Sunday 10-11 off, 5h on Monday
      ]);
    });

    it('when the limit is 2h natural (emergency) over a holiday then marks are plain wall-clock offsets', () => {
      const marks = cal.deadlineMarks(cst('2026-10-01T23:00:00'), '2h', 'natural');
      expect(marks.map((m) => m.at)).to.deep.equal([cst('2026-10-02T00:36:00'), cst('2026-10-02T01:00:00'), cst('2026-10-02T02:00:00')]);
    });

    it('when custom fractions are given then they are returned in the given order', () => {
      const marks = cal.deadlineMarks(cst('2026-03-06T17:00:00'), '4h', 'working', [0.5, 0.25]);
      expect(marks).to.deep.equal([
        { fraction: 0.5, at: cst('2026-03-09T09:30:00') },
        { fraction: 0.25, at: cst('2026-03-06T18:00:00') },
      ]);
    });

    it('when a fraction is negative or not finite then it throws', () => {
      const start = cst('2026-03-09T08:30:00');
      expect(() => cal.deadlineMarks(start, '1d', 'working', [0.8, -1])).to.throw(RangeError, /Invalid deadline fraction -1/);
      expect(() => cal.deadlineMarks(start, '1d', 'working', [Number.POSITIVE_INFINITY])).to.throw(RangeError);
    });
  });
});
