import type { MigrationFn } from '../migrator.js';

/**
 * REST API state (issue 7):
 * - `sessions`: bearer tokens, stored as SHA-256 hashes (the token itself is only ever in the client's hands).
 * - `idempotency_keys`: `Idempotency-Key` of a POST → the first response (same key + same body → same answer).
 * - `case_instances`: process instance → case, for the case's own instance and every instance it calls,
 *   so user tasks (which carry only their instance key) find their case.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `sessions` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `token_hash` VARCHAR(64) NOT NULL, `user_id` INTEGER NOT NULL REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `expires_at` DATETIME NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `sessions_token_hash_uq` ON `sessions` (`token_hash`)',
      'CREATE TABLE IF NOT EXISTS `idempotency_keys` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `scope` VARCHAR(191) NOT NULL, `request_hash` VARCHAR(64) NOT NULL, `status_code` INTEGER, `response_body` TEXT, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `idempotency_keys_scope_uq` ON `idempotency_keys` (`scope`)',
      'CREATE TABLE IF NOT EXISTS `case_instances` (`process_instance_key` VARCHAR(32) NOT NULL PRIMARY KEY, `case_id` BIGINT NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE INDEX `case_instances_case_id_idx` ON `case_instances` (`case_id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `sessions` (`id` INTEGER NOT NULL auto_increment , `token_hash` VARCHAR(64) NOT NULL, `user_id` INTEGER NOT NULL, `expires_at` DATETIME NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`), FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB',
      'ALTER TABLE `sessions` ADD UNIQUE INDEX `sessions_token_hash_uq` (`token_hash`)',
      'CREATE TABLE IF NOT EXISTS `idempotency_keys` (`id` INTEGER NOT NULL auto_increment , `scope` VARCHAR(191) NOT NULL, `request_hash` VARCHAR(64) NOT NULL, `status_code` INTEGER, `response_body` TEXT, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `idempotency_keys` ADD UNIQUE INDEX `idempotency_keys_scope_uq` (`scope`)',
      'CREATE TABLE IF NOT EXISTS `case_instances` (`process_instance_key` VARCHAR(32) NOT NULL , `case_id` BIGINT NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`process_instance_key`)) ENGINE=InnoDB',
      'ALTER TABLE `case_instances` ADD INDEX `case_instances_case_id_idx` (`case_id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `case_instances`', 'DROP TABLE IF EXISTS `idempotency_keys`', 'DROP TABLE IF EXISTS `sessions`'],
    mysql: ['DROP TABLE IF EXISTS `case_instances`', 'DROP TABLE IF EXISTS `idempotency_keys`', 'DROP TABLE IF EXISTS `sessions`'],
  });
};
