import { expect } from 'chai';
import { CalendarDays } from '../support/tables.js';
import { loadBusinessCalendar } from '../../domain/calendar/index.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

describe('calendar / loaded from the database', () => {
  let db: Db;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given a declared working Sunday and a local day off in calendar_days, when loaded, then deadlines honour both', async () => {
    await CalendarDays.bulkCreate([
      { date: '2026-03-08', working: true, note: '防汛演练补班' }, // a Sunday
      { date: '2026-03-09', working: false, note: '区庆放假' }, // a Monday
    ]);
    const calendar = await loadBusinessCalendar({ WORKING_HOURS: '08:30-12:00,14:30-18:00', CALENDAR_UTC_OFFSET_MINUTES: 480 });
    expect(calendar.isWorkingDate('2026-03-08')).to.equal(true);
    expect(calendar.isWorkingDate('2026-03-09')).to.equal(false);
    // Friday 17:00 + 2 working hours: 1 h on Friday, then the working Sunday from 08:30.
    expect(calendar.addWorkingHours(new Date('2026-03-06T17:00:00+08:00'), 2).toISOString()).to.equal(new Date('2026-03-08T09:30:00+08:00').toISOString());
    // Sunday 17:00 + 2 h skips the declared day off to Tuesday.
    expect(calendar.addWorkingHours(new Date('2026-03-08T17:00:00+08:00'), 2).toISOString()).to.equal(new Date('2026-03-10T09:30:00+08:00').toISOString());
  });

  it('given other working hours in the settings, when loaded, then a working day is that long', async () => {
    const calendar = await loadBusinessCalendar({ WORKING_HOURS: '09:00-12:00,13:00-17:00', CALENDAR_UTC_OFFSET_MINUTES: 480 });
    expect(calendar.addWorkingDays(new Date('2026-03-10T09:00:00+08:00'), 1).toISOString()).to.equal(new Date('2026-03-10T17:00:00+08:00').toISOString());
  });
});
