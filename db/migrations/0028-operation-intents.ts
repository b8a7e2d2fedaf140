import type { MigrationFn } from '../migrator.js';

/**
 * Operations intents (issue 18): an administrator's cancel or migration of a process instance touches two
 * stores that share no transaction (the engine's and the case's). The intent is written first and removed in
 * the transaction that records the case's side, so a crash in between leaves the intent, and the next start
 * finishes the action from it (domain/operations/intents.ts). One pending intent per instance.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `operation_intents` (`process_instance_key` VARCHAR(32) NOT NULL PRIMARY KEY, `action` VARCHAR(16) NOT NULL, `case_id` BIGINT, `actor` VARCHAR(64) NOT NULL, `actor_role` VARCHAR(32) NOT NULL, `reason` TEXT NOT NULL, `batch_id` VARCHAR(36), `detail` TEXT NOT NULL, `created_at` DATETIME NOT NULL)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `operation_intents` (`process_instance_key` VARCHAR(32) NOT NULL, `action` VARCHAR(16) NOT NULL, `case_id` BIGINT, `actor` VARCHAR(64) NOT NULL, `actor_role` VARCHAR(32) NOT NULL, `reason` TEXT NOT NULL, `batch_id` VARCHAR(36), `detail` TEXT NOT NULL, `created_at` DATETIME NOT NULL, PRIMARY KEY (`process_instance_key`)) ENGINE=InnoDB',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `operation_intents`'],
    mysql: ['DROP TABLE IF EXISTS `operation_intents`'],
  });
};
