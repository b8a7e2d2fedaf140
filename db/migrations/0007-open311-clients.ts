import type { MigrationFn } from '../migrator.js';

/**
 * Open311 GeoReport v2 (issue 7):
 * - `open311_clients`: the applications allowed to POST service requests; the API key is shown once
 *   and stored only as its SHA-256 hash. Disabling a client keeps the row (the audit log names it).
 * - `open311_requests`: what an Open311 submission carried beyond the case itself — the client, the
 *   request token, media_url, the answers to the service attributes and the submitter's contact fields
 *   (kept for the centre, never returned by the Open311 read endpoints).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `open311_clients` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(100) NOT NULL, `key_hash` VARCHAR(64) NOT NULL, `enabled` TINYINT(1) NOT NULL DEFAULT 1, `created_by` VARCHAR(64), `disabled_at` DATETIME, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `open311_clients_key_hash_uq` ON `open311_clients` (`key_hash`)',
      'CREATE TABLE IF NOT EXISTS `open311_requests` (`case_id` INTEGER PRIMARY KEY, `client_id` INTEGER NOT NULL REFERENCES `open311_clients` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE, `token` VARCHAR(64) NOT NULL, `media_url` VARCHAR(1000), `attributes` TEXT, `email` VARCHAR(254), `device_id` VARCHAR(128), `account_id` VARCHAR(128), `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `open311_requests_token_uq` ON `open311_requests` (`token`)',
      'CREATE INDEX `open311_requests_client_id_idx` ON `open311_requests` (`client_id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `open311_clients` (`id` INTEGER NOT NULL auto_increment , `name` VARCHAR(100) NOT NULL, `key_hash` VARCHAR(64) NOT NULL, `enabled` TINYINT(1) NOT NULL DEFAULT true, `created_by` VARCHAR(64), `disabled_at` DATETIME, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `open311_clients` ADD UNIQUE INDEX `open311_clients_key_hash_uq` (`key_hash`)',
      'CREATE TABLE IF NOT EXISTS `open311_requests` (`case_id` BIGINT NOT NULL , `client_id` INTEGER NOT NULL, `token` VARCHAR(64) NOT NULL, `media_url` VARCHAR(1000), `attributes` TEXT, `email` VARCHAR(254), `device_id` VARCHAR(128), `account_id` VARCHAR(128), `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`case_id`), FOREIGN KEY (`client_id`) REFERENCES `open311_clients` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE) ENGINE=InnoDB',
      'ALTER TABLE `open311_requests` ADD UNIQUE INDEX `open311_requests_token_uq` (`token`)',
      'ALTER TABLE `open311_requests` ADD INDEX `open311_requests_client_id_idx` (`client_id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `open311_requests`', 'DROP TABLE IF EXISTS `open311_clients`'],
    mysql: ['DROP TABLE IF EXISTS `open311_requests`', 'DROP TABLE IF EXISTS `open311_clients`'],
  });
};
