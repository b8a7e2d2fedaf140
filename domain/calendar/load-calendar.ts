import { appSql } from '../../db/sql/current.js';
import { BusinessCalendar } from './business-calendar.js';
import type { DayOverride } from './holidays.js';

export interface CalendarSettings {
  WORKING_HOURS: string;
  CALENDAR_UTC_OFFSET_MINUTES: number;
}

/**
 * Calendars built from the database. The job workers hold theirs for the life of the process, so a
 * change of `calendar_days` (registry administration) must reach them: reloadCalendarOverrides()
 * refreshes every one still in use. Weak references: a dropped calendar is not kept alive by this.
 */
const loaded = new Set<WeakRef<BusinessCalendar>>();

async function overridesFromDatabase(): Promise<DayOverride[]> {
  const rows = await appSql().selectFrom('calendar_days').select(['date', 'working', 'note']).orderBy('date', 'asc').execute();
  return rows.map((r) => ({ date: r.date, working: r.working, ...(r.note ? { note: r.note } : {}) }));
}

/**
 * The calendar as configured: working hours from the settings, national holidays from
 * chinese-days, and the district's own declared days off / working days from `calendar_days`.
 * Its overrides follow the table when reloadCalendarOverrides() is called after a change.
 */
export async function loadBusinessCalendar(settings: CalendarSettings): Promise<BusinessCalendar> {
  const calendar = new BusinessCalendar({
    workingHours: settings.WORKING_HOURS,
    utcOffsetMinutes: settings.CALENDAR_UTC_OFFSET_MINUTES,
    overrides: await overridesFromDatabase(),
  });
  loaded.add(new WeakRef(calendar));
  return calendar;
}

/** Re-reads `calendar_days` into every loaded calendar of this process: new deadlines use the change. */
export async function reloadCalendarOverrides(): Promise<number> {
  const overrides = await overridesFromDatabase();
  let refreshed = 0;
  for (const ref of loaded) {
    const calendar = ref.deref();
    if (!calendar) {
      loaded.delete(ref);
      continue;
    }
    calendar.replaceOverrides(overrides);
    refreshed++;
  }
  return refreshed;
}
