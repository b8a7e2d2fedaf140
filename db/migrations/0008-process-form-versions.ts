import type { MigrationFn } from '../migrator.js';

/**
 * Process and form administration (issue 7):
 * - `process_versions`: every version a deployment created (the product's at start, an admin's later), with
 *   the XML as deployed, so any version can be read back, diffed and shown under a case, whichever engine runs.
 * - `process_drafts`: one work-in-progress diagram per process id, saved from the modeler, not deployed.
 * - `form_versions`: every version of a form-js form a deployment created.
 * XML and form JSON are MEDIUMTEXT on MySQL (TEXT stops at 64 KB; the API accepts up to 2 MB).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `process_versions` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `process_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `process_definition_key` VARCHAR(32) NOT NULL, `name` VARCHAR(255), `resource_name` VARCHAR(255) NOT NULL, `xml` TEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `process_versions_id_version_uq` ON `process_versions` (`process_id`, `version`)',
      'CREATE INDEX `process_versions_key_idx` ON `process_versions` (`process_definition_key`)',
      'CREATE TABLE IF NOT EXISTS `process_drafts` (`process_id` VARCHAR(191) NOT NULL PRIMARY KEY, `xml` TEXT NOT NULL, `saved_by` VARCHAR(64) NOT NULL, `saved_at` DATETIME NOT NULL)',
      'CREATE TABLE IF NOT EXISTS `form_versions` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `form_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `form_key` VARCHAR(32) NOT NULL, `schema` TEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `form_versions_id_version_uq` ON `form_versions` (`form_id`, `version`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `process_versions` (`id` INTEGER NOT NULL auto_increment , `process_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `process_definition_key` VARCHAR(32) NOT NULL, `name` VARCHAR(255), `resource_name` VARCHAR(255) NOT NULL, `xml` MEDIUMTEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `process_versions` ADD UNIQUE INDEX `process_versions_id_version_uq` (`process_id`, `version`)',
      'ALTER TABLE `process_versions` ADD INDEX `process_versions_key_idx` (`process_definition_key`)',
      'CREATE TABLE IF NOT EXISTS `process_drafts` (`process_id` VARCHAR(191) NOT NULL , `xml` MEDIUMTEXT NOT NULL, `saved_by` VARCHAR(64) NOT NULL, `saved_at` DATETIME NOT NULL, PRIMARY KEY (`process_id`)) ENGINE=InnoDB',
      'CREATE TABLE IF NOT EXISTS `form_versions` (`id` INTEGER NOT NULL auto_increment , `form_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `form_key` VARCHAR(32) NOT NULL, `schema` MEDIUMTEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `form_versions` ADD UNIQUE INDEX `form_versions_id_version_uq` (`form_id`, `version`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `form_versions`', 'DROP TABLE IF EXISTS `process_drafts`', 'DROP TABLE IF EXISTS `process_versions`'],
    mysql: ['DROP TABLE IF EXISTS `form_versions`', 'DROP TABLE IF EXISTS `process_drafts`', 'DROP TABLE IF EXISTS `process_versions`'],
  });
};
