import { CalendarDay } from '../../db/models/index.js';
import { BusinessCalendar } from './business-calendar.js';

export interface CalendarSettings {
  WORKING_HOURS: string;
  CALENDAR_UTC_OFFSET_MINUTES: number;
}

/**
 * The calendar as configured: working hours from the settings, national holidays from
 * chinese-days, and the district's own declared days off / working days from `calendar_days`.
 * Build a new one after the overrides change; a calendar is immutable.
 */
export async function loadBusinessCalendar(settings: CalendarSettings): Promise<BusinessCalendar> {
  const rows = await CalendarDay.findAll({ order: [['date', 'ASC']] });
  return new BusinessCalendar({
    workingHours: settings.WORKING_HOURS,
    utcOffsetMinutes: settings.CALENDAR_UTC_OFFSET_MINUTES,
    overrides: rows.map((r) => ({ date: r.date, working: r.working, ...(r.note ? { note: r.note } : {}) })),
  });
}
