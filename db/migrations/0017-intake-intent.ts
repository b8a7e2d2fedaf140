import type { MigrationFn } from '../migrator.js';

/**
 * Crash-consistent intake (issue 16, item 11). Filing writes the `cases` row, starts the process in the
 * engine (its own transaction, on SQLite its own file) and then records the instance and the audit record.
 * `intake_intent` is set with the row and cleared with the instance key: a row that still has it after a
 * crash is a filing to finish, and the recovery step at start finishes it (domain/intake/resume-filings.ts).
 * It holds who filed (JSON), which the audit record needs and the row does not otherwise keep.
 * `intake_key` is a hash of the reporter's Idempotency-Key (with its scope): a retry after a crash finds
 * the first case by it instead of filing a second one.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'ALTER TABLE `cases` ADD `intake_intent` VARCHAR(255)',
      'ALTER TABLE `cases` ADD `intake_key` VARCHAR(64)',
      'CREATE UNIQUE INDEX `cases_intake_key` ON `cases` (`intake_key`)',
      'CREATE INDEX cases_intake_intent ON cases (intake_intent) WHERE intake_intent IS NOT NULL',
    ],
    mysql: [
      'ALTER TABLE `cases` ADD `intake_intent` VARCHAR(255)',
      'ALTER TABLE `cases` ADD `intake_key` VARCHAR(64)',
      'ALTER TABLE `cases` ADD UNIQUE INDEX `cases_intake_key` (`intake_key`)',
      'ALTER TABLE `cases` ADD INDEX `cases_intake_intent` (`intake_intent`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'DROP INDEX IF EXISTS `cases_intake_intent`',
      'DROP INDEX IF EXISTS `cases_intake_key`',
      'ALTER TABLE cases DROP COLUMN intake_key',
      'ALTER TABLE cases DROP COLUMN intake_intent',
    ],
    mysql: [
      'DROP INDEX `cases_intake_intent` ON `cases`',
      'DROP INDEX `cases_intake_key` ON `cases`',
      'ALTER TABLE cases DROP COLUMN intake_key',
      'ALTER TABLE cases DROP COLUMN intake_intent',
    ],
  });
};
