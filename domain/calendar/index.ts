/** Business calendar (工作日历): working hours, working days, deadline arithmetic. */
export {
  BusinessCalendar,
  DEFAULT_MARK_FRACTIONS,
  MAX_IDLE_DAYS,
  MAX_SCAN_DAYS,
  type BusinessCalendarOptions,
  type Clock,
  type DeadlineMark,
} from './business-calendar.js';
export { parseDuration, formatDuration, requireDuration, durationToMillis, type Duration, type DurationUnit } from './duration.js';
export {
  CHINESE_DAYS,
  WorkingDays,
  statutoryCalendarFromTables,
  statutoryDaysOf,
  type DayInfo,
  type DayOverride,
  type DaySource,
  type StatutoryCalendar,
  type StatutoryDay,
  type StatutoryDayOfYear,
} from './holidays.js';
export { parseIsoDate, formatEpochDay, weekdayOf, type EpochDay } from '../shared/local-time.js';
export { DEFAULT_WORKING_HOURS, parseWorkingHours, formatWorkingHours, type WorkingHours, type WorkingPeriod } from './working-hours.js';
export { loadBusinessCalendar, reloadCalendarOverrides, type CalendarSettings } from './load-calendar.js';
