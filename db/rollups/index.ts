/** Case rollups: counts kept current by triggers on `cases` (definition.ts), rebuilt on demand (maintain.ts). */
export { ALL_UNITS, NO_UNIT, OPEN_CASE_STATUSES, ROLLUP_TABLES, ROLLUP_VERSION } from './definition.js';
export { ensureRollups, readRollupState, rebuildRollups, withoutRollupTriggers, type RollupState } from './maintain.js';

/** UTC+08:00 (China Standard Time), the default of CALENDAR_UTC_OFFSET_MINUTES. */
export const DEFAULT_ROLLUP_OFFSET_MINUTES = 480;
