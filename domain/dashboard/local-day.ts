/**
 * Local calendar days at a fixed UTC offset (the district runs on China Standard Time, UTC+08:00 all
 * year, `CALENDAR_UTC_OFFSET_MINUTES`): day boundaries are plain offset arithmetic whatever the
 * process time zone is.
 */
export const DEFAULT_OFFSET_MINUTES = 480;

/** `YYYY-MM-DD` of the instant, local time. */
export function localDay(at: Date, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The instant local midnight starts the day `YYYY-MM-DD`. */
export function startOfLocalDay(day: string, offsetMinutes = DEFAULT_OFFSET_MINUTES): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMinutes * 60_000);
}

/** The local day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
