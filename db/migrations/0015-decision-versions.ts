import type { MigrationFn } from '../migrator.js';

/**
 * `decision_versions` (issue 15): every version of a DMN file (a decision requirements graph, `drg_id` its
 * definitions id) a deployment created, for the modeler's decision list, the version history and the audit;
 * the engines keep their own copy. Versions count per DRG as the engines count them: a file that differs from
 * the latest version is the next one.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `decision_versions` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `drg_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `name` VARCHAR(255), `decision_ids` TEXT NOT NULL, `resource_name` VARCHAR(255) NOT NULL, `xml` TEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `decision_versions_id_version_uq` ON `decision_versions` (`drg_id`, `version`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `decision_versions` (`id` INTEGER NOT NULL auto_increment , `drg_id` VARCHAR(191) NOT NULL, `version` INTEGER NOT NULL, `name` VARCHAR(255), `decision_ids` TEXT NOT NULL, `resource_name` VARCHAR(255) NOT NULL, `xml` MEDIUMTEXT NOT NULL, `checksum` VARCHAR(64) NOT NULL, `deployed_by` VARCHAR(64) NOT NULL, `deployed_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `decision_versions` ADD UNIQUE INDEX `decision_versions_id_version_uq` (`drg_id`, `version`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({ sqlite: ['DROP TABLE IF EXISTS `decision_versions`'], mysql: ['DROP TABLE IF EXISTS `decision_versions`'] });
};
