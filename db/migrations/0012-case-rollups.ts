import type { MigrationFn } from '../migrator.js';
import { DEFAULT_ROLLUP_OFFSET_MINUTES } from '../rollups/index.js';
import { rebuildRollups } from '../rollups/maintain.js';

/**
 * Case rollups (issue 12): the dashboard, trends, hotspots and evaluation read counts kept current by
 * triggers on `cases` instead of scanning every case ever filed (db/rollups/definition.ts says what
 * each table counts). Built here from the cases already stored, cut at UTC+08:00; a server configured
 * with another CALENDAR_UTC_OFFSET_MINUTES rebuilds them at start.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `rollup_state` (`name` VARCHAR(32) NOT NULL PRIMARY KEY, `value` VARCHAR(64) NOT NULL)',
      'CREATE TABLE IF NOT EXISTS `case_tally_status` (`unit_id` INTEGER NOT NULL, `status` VARCHAR(16) NOT NULL, `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `status`))',
      'CREATE TABLE IF NOT EXISTS `case_tally_category` (`unit_id` INTEGER NOT NULL, `category` VARCHAR(16) NOT NULL, `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `category`))',
      'CREATE TABLE IF NOT EXISTS `case_tally_place` (`unit_id` INTEGER NOT NULL, `township_id` INTEGER NOT NULL, `light` VARCHAR(8) NOT NULL, `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `township_id`, `light`))',
      'CREATE TABLE IF NOT EXISTS `case_day_counts` (`unit_id` INTEGER NOT NULL, `measure` VARCHAR(8) NOT NULL, `day` VARCHAR(10) NOT NULL, `ref_id` INTEGER NOT NULL, `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `measure`, `day`, `ref_id`))',
      'CREATE TABLE IF NOT EXISTS `case_month_counts` (`month` VARCHAR(7) NOT NULL, `unit_id` INTEGER NOT NULL, `township_id` INTEGER NOT NULL, `category` VARCHAR(16) NOT NULL, `reported` INTEGER NOT NULL DEFAULT 0, `filed` INTEGER NOT NULL DEFAULT 0, `dispatched` INTEGER NOT NULL DEFAULT 0, `dispatched_on_time` INTEGER NOT NULL DEFAULT 0, `handled` INTEGER NOT NULL DEFAULT 0, `handled_on_time` INTEGER NOT NULL DEFAULT 0, `shelved` INTEGER NOT NULL DEFAULT 0, `closed` INTEGER NOT NULL DEFAULT 0, `closed_on_time` INTEGER NOT NULL DEFAULT 0, `reworked` INTEGER NOT NULL DEFAULT 0, `rework_times` INTEGER NOT NULL DEFAULT 0, `extended` INTEGER NOT NULL DEFAULT 0, `returned` INTEGER NOT NULL DEFAULT 0, `responded` INTEGER NOT NULL DEFAULT 0, `rated` INTEGER NOT NULL DEFAULT 0, `resolved` INTEGER NOT NULL DEFAULT 0, `satisfied` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`month`, `unit_id`, `township_id`, `category`))',
      'CREATE TABLE IF NOT EXISTS `open_cases` (`case_id` INTEGER PRIMARY KEY, `case_no` VARCHAR(32) NOT NULL, `status` VARCHAR(16) NOT NULL, `category` VARCHAR(16), `unit_id` INTEGER, `township_id` INTEGER, `grid_id` INTEGER, `due_at` DATETIME, `warning_light` VARCHAR(8) NOT NULL, `escalation_level` INTEGER NOT NULL, `lat` DOUBLE PRECISION, `lng` DOUBLE PRECISION, `created_at` DATETIME NOT NULL)',
      'CREATE INDEX `open_cases_unit_idx` ON `open_cases` (`unit_id`)',
      'CREATE INDEX `open_cases_due_idx` ON `open_cases` (`due_at`, `unit_id`, `township_id`, `escalation_level`, `warning_light`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `rollup_state` (`name` VARCHAR(32) NOT NULL , `value` VARCHAR(64) NOT NULL, PRIMARY KEY (`name`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `case_tally_status` (`unit_id` INTEGER NOT NULL , `status` VARCHAR(16) NOT NULL , `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `status`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `case_tally_category` (`unit_id` INTEGER NOT NULL , `category` VARCHAR(16) NOT NULL , `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `category`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `case_tally_place` (`unit_id` INTEGER NOT NULL , `township_id` INTEGER NOT NULL , `light` VARCHAR(8) NOT NULL , `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `township_id`, `light`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `case_day_counts` (`unit_id` INTEGER NOT NULL , `measure` VARCHAR(8) NOT NULL , `day` VARCHAR(10) NOT NULL , `ref_id` INTEGER NOT NULL , `n` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`unit_id`, `measure`, `day`, `ref_id`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `case_month_counts` (`month` VARCHAR(7) NOT NULL , `unit_id` INTEGER NOT NULL , `township_id` INTEGER NOT NULL , `category` VARCHAR(16) NOT NULL , `reported` INTEGER NOT NULL DEFAULT 0, `filed` INTEGER NOT NULL DEFAULT 0, `dispatched` INTEGER NOT NULL DEFAULT 0, `dispatched_on_time` INTEGER NOT NULL DEFAULT 0, `handled` INTEGER NOT NULL DEFAULT 0, `handled_on_time` INTEGER NOT NULL DEFAULT 0, `shelved` INTEGER NOT NULL DEFAULT 0, `closed` INTEGER NOT NULL DEFAULT 0, `closed_on_time` INTEGER NOT NULL DEFAULT 0, `reworked` INTEGER NOT NULL DEFAULT 0, `rework_times` INTEGER NOT NULL DEFAULT 0, `extended` INTEGER NOT NULL DEFAULT 0, `returned` INTEGER NOT NULL DEFAULT 0, `responded` INTEGER NOT NULL DEFAULT 0, `rated` INTEGER NOT NULL DEFAULT 0, `resolved` INTEGER NOT NULL DEFAULT 0, `satisfied` INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (`month`, `unit_id`, `township_id`, `category`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `open_cases` (`case_id` BIGINT NOT NULL , `case_no` VARCHAR(32) NOT NULL, `status` VARCHAR(16) NOT NULL, `category` VARCHAR(16), `unit_id` INTEGER, `township_id` INTEGER, `grid_id` INTEGER, `due_at` DATETIME, `warning_light` VARCHAR(8) NOT NULL, `escalation_level` INTEGER NOT NULL, `lat` DOUBLE PRECISION, `lng` DOUBLE PRECISION, `created_at` DATETIME NOT NULL, PRIMARY KEY (`case_id`)) ENGINE=InnoDB',
      'ALTER TABLE `open_cases` ADD INDEX `open_cases_unit_idx` (`unit_id`)',
      'ALTER TABLE `open_cases` ADD INDEX `open_cases_due_idx` (`due_at`, `unit_id`, `township_id`, `escalation_level`, `warning_light`)',
    ],
  });
  await rebuildRollups(db.sql, DEFAULT_ROLLUP_OFFSET_MINUTES);
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'DROP TRIGGER IF EXISTS cases_rollups_insert',
      'DROP TRIGGER IF EXISTS cases_rollups_update',
      'DROP TRIGGER IF EXISTS cases_rollups_delete',
      'DROP TABLE IF EXISTS `open_cases`',
      'DROP TABLE IF EXISTS `case_month_counts`',
      'DROP TABLE IF EXISTS `case_day_counts`',
      'DROP TABLE IF EXISTS `case_tally_place`',
      'DROP TABLE IF EXISTS `case_tally_category`',
      'DROP TABLE IF EXISTS `case_tally_status`',
      'DROP TABLE IF EXISTS `rollup_state`',
    ],
    mysql: [
      'DROP TRIGGER IF EXISTS cases_rollups_insert',
      'DROP TRIGGER IF EXISTS cases_rollups_update',
      'DROP TRIGGER IF EXISTS cases_rollups_delete',
      'DROP TABLE IF EXISTS `open_cases`',
      'DROP TABLE IF EXISTS `case_month_counts`',
      'DROP TABLE IF EXISTS `case_day_counts`',
      'DROP TABLE IF EXISTS `case_tally_place`',
      'DROP TABLE IF EXISTS `case_tally_category`',
      'DROP TABLE IF EXISTS `case_tally_status`',
      'DROP TABLE IF EXISTS `rollup_state`',
    ],
  });
};
