import type { MigrationFn } from '../migrator.js';

/**
 * Operations batches (issue 18: batch retry, cancel and 流程迁移 over a filter) kept in the database instead of the
 * process's memory: a batch's progress and its result per instance survive a restart, and a batch the restart
 * interrupted is carried on from its first pending instance (domain/operations/batches.ts).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `operation_batches` (`id` VARCHAR(36) NOT NULL PRIMARY KEY, `action` VARCHAR(16) NOT NULL, `filter` TEXT NOT NULL, `plan` TEXT, `reason` TEXT NOT NULL, `actor` VARCHAR(64) NOT NULL, `actor_role` VARCHAR(32) NOT NULL, `state` VARCHAR(16) NOT NULL, `total` INTEGER NOT NULL, `processed` INTEGER NOT NULL DEFAULT 0, `failed` INTEGER NOT NULL DEFAULT 0, `resumed` INTEGER NOT NULL DEFAULT 0, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `finished_at` DATETIME)',
      'CREATE INDEX `operation_batches_state_idx` ON `operation_batches` (`state`, `updated_at`)',
      'CREATE TABLE IF NOT EXISTS `operation_batch_items` (`batch_id` VARCHAR(36) NOT NULL, `position` INTEGER NOT NULL, `process_instance_key` VARCHAR(32) NOT NULL, `case_no` VARCHAR(32), `state` VARCHAR(16) NOT NULL, `done` INTEGER NOT NULL DEFAULT 0, `code` VARCHAR(64), `message` TEXT, PRIMARY KEY (`batch_id`, `position`))',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `operation_batches` (`id` VARCHAR(36) NOT NULL , `action` VARCHAR(16) NOT NULL, `filter` TEXT NOT NULL, `plan` TEXT, `reason` TEXT NOT NULL, `actor` VARCHAR(64) NOT NULL, `actor_role` VARCHAR(32) NOT NULL, `state` VARCHAR(16) NOT NULL, `total` INTEGER NOT NULL, `processed` INTEGER NOT NULL DEFAULT 0, `failed` INTEGER NOT NULL DEFAULT 0, `resumed` INTEGER NOT NULL DEFAULT 0, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `finished_at` DATETIME, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `operation_batches` ADD INDEX `operation_batches_state_idx` (`state`, `updated_at`)',
      'CREATE TABLE IF NOT EXISTS `operation_batch_items` (`batch_id` VARCHAR(36) NOT NULL , `position` INTEGER NOT NULL , `process_instance_key` VARCHAR(32) NOT NULL, `case_no` VARCHAR(32), `state` VARCHAR(16) NOT NULL, `done` INTEGER NOT NULL DEFAULT 0, `code` VARCHAR(64), `message` TEXT, PRIMARY KEY (`batch_id`, `position`)) ENGINE=InnoDB',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `operation_batch_items`', 'DROP TABLE IF EXISTS `operation_batches`'],
    mysql: ['DROP TABLE IF EXISTS `operation_batch_items`', 'DROP TABLE IF EXISTS `operation_batches`'],
  });
};
