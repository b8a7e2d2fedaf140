import type { MigrationFn } from '../migrator.js';

/**
 * The hotline operator's calls that file no case (issue #14, 来电登记):
 * - `kind` `consultation`: a question answered on the spot (直办), with the answer given;
 * - `kind` `merged`: a call about a problem already open, joined to that case (并单 before filing) — the
 *   case's duplicate count goes up and its audit log says so, and the caller's number is kept here, not in the
 *   immutable audit log.
 * A call that files a case needs no row: the case holds the caller. The operator's page reads a caller's
 * earlier cases by phone, hence the index on `cases.reporter_phone` (newest first by id).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `hotline_calls` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `kind` VARCHAR(16) NOT NULL, `caller_name` VARCHAR(64), `caller_phone` VARCHAR(20), `content` TEXT NOT NULL, `answer` TEXT, `case_id` BIGINT, `operator` VARCHAR(64) NOT NULL, `created_at` DATETIME NOT NULL)',
      'CREATE INDEX `hotline_calls_phone_idx` ON `hotline_calls` (`caller_phone`, `id`)',
      'CREATE INDEX `cases_reporter_phone_idx` ON `cases` (`reporter_phone`, `id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `hotline_calls` (`id` BIGINT NOT NULL auto_increment , `kind` VARCHAR(16) NOT NULL, `caller_name` VARCHAR(64), `caller_phone` VARCHAR(20), `content` TEXT NOT NULL, `answer` TEXT, `case_id` BIGINT, `operator` VARCHAR(64) NOT NULL, `created_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `hotline_calls` ADD INDEX `hotline_calls_phone_idx` (`caller_phone`, `id`)',
      'ALTER TABLE `cases` ADD INDEX `cases_reporter_phone_idx` (`reporter_phone`, `id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP INDEX IF EXISTS `cases_reporter_phone_idx`', 'DROP TABLE IF EXISTS `hotline_calls`'],
    mysql: ['DROP INDEX `cases_reporter_phone_idx` ON `cases`', 'DROP TABLE IF EXISTS `hotline_calls`'],
  });
};
