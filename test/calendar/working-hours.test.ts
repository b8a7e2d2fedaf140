import { expect } from 'chai';
import { BusinessCalendar, DEFAULT_WORKING_HOURS, formatWorkingHours, parseWorkingHours } from '../../domain/calendar/index.js';

describe('calendar / working hours', () => {
  describe('given the default working hours', () => {
    it('when parsed then it has two periods totalling 7 hours', () => {
      const hours = parseWorkingHours(DEFAULT_WORKING_HOURS);
      expect(hours.periods).to.deep.equal([
        { startMinute: 8 * 60 + 30, endMinute: 12 * 60 },
        { startMinute: 14 * 60 + 30, endMinute: 18 * 60 },
      ]);
      expect(hours.minutesPerDay).to.equal(420);
    });

    it('when a calendar is built without options then a working day is 7 hours', () => {
      expect(new BusinessCalendar().workingDayMillis).to.equal(7 * 3_600_000);
    });
  });

  describe('given valid custom strings', () => {
    const cases: Array<[string, number, string]> = [
      ['09:00-17:00', 480, '09:00-17:00'],
      [' 08:00 - 12:00 , 13:30-17:30 ', 480, '08:00-12:00,13:30-17:30'],
      ['00:00-24:00', 1440, '00:00-24:00'],
      ['08:00-12:00,12:00-13:00', 300, '08:00-12:00,12:00-13:00'], // touching periods are fine
      ['08:30-12:00,14:30-18:00', 420, '08:30-12:00,14:30-18:00'],
    ];
    for (const [text, minutes, normalised] of cases) {
      it(`when "${text}" is parsed then it yields ${minutes} minutes a day, normalised as "${normalised}"`, () => {
        const hours = parseWorkingHours(text);
        expect(hours.minutesPerDay).to.equal(minutes);
        expect(formatWorkingHours(hours)).to.equal(normalised);
      });
    }
  });

  describe('given a bad working-hours string', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /empty value/],
      ['   ', /empty value/],
      ['8:30-12:00', /not HH:MM-HH:MM/],
      ['08:30-12:00;14:30-18:00', /not HH:MM-HH:MM/],
      ['08:30-12:00,', /not HH:MM-HH:MM/],
      ['08:30', /not HH:MM-HH:MM/],
      ['08:30-12:60', /outside 00:00-24:00/],
      ['25:00-26:00', /outside 00:00-24:00/],
      ['24:00-24:00', /outside 00:00-24:00/],
      ['08:00-24:30', /outside 00:00-24:00/],
      ['12:00-08:30', /does not end after it starts/],
      ['08:30-08:30', /does not end after it starts/],
      ['14:30-18:00,08:30-12:00', /overlaps or precedes/],
      ['08:30-12:00,11:00-18:00', /overlaps or precedes/],
      ['22:00-02:00', /does not end after it starts/],
    ];
    for (const [text, why] of bad) {
      it(`when ${JSON.stringify(text)} is parsed then it throws naming the value`, () => {
        expect(() => parseWorkingHours(text)).to.throw(Error, why);
        expect(() => parseWorkingHours(text)).to.throw(`Invalid working hours ${JSON.stringify(text)}`);
      });
    }

    it('when given to the constructor then construction fails', () => {
      expect(() => new BusinessCalendar({ workingHours: '8-12' })).to.throw(/Invalid working hours "8-12"/);
    });

    it('when the env var is unset (undefined) then the default applies', () => {
      const cal = new BusinessCalendar({ workingHours: undefined });
      expect(formatWorkingHours(cal.workingHours)).to.equal(DEFAULT_WORKING_HOURS);
    });
  });

  describe('given a bad UTC offset', () => {
    for (const offset of [480.5, 900, -900, Number.NaN]) {
      it(`when utcOffsetMinutes is ${offset} then construction fails`, () => {
        expect(() => new BusinessCalendar({ utcOffsetMinutes: offset })).to.throw(/Invalid utcOffsetMinutes/);
      });
    }
  });
});
