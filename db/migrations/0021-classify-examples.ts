import type { MigrationFn } from '../migrator.js';

/**
 * Labelled reports the classifier learns from (issue 13): the shipped corpus (source `corpus`),
 * rows an administrator adds or imports (`admin`) and every operator's 受理 decision (`operator`,
 * one per case, `case_id` set). `label` is an event-type code or a NONE-* not-dispatchable label.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      "CREATE TABLE IF NOT EXISTS `classify_examples` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `code` VARCHAR(32) NOT NULL UNIQUE, `text` TEXT NOT NULL, `label` VARCHAR(32) NOT NULL, `channel` VARCHAR(16) NOT NULL DEFAULT 'other', `source` VARCHAR(16) NOT NULL, `case_id` BIGINT, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL)",
      'CREATE INDEX `classify_examples_source_idx` ON `classify_examples` (`source`, `id`)',
    ],
    mysql: [
      "CREATE TABLE IF NOT EXISTS `classify_examples` (`id` INTEGER NOT NULL auto_increment , `code` VARCHAR(32) NOT NULL UNIQUE, `text` TEXT NOT NULL, `label` VARCHAR(32) NOT NULL, `channel` VARCHAR(16) NOT NULL DEFAULT 'other', `source` VARCHAR(16) NOT NULL, `case_id` BIGINT, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB",
      'ALTER TABLE `classify_examples` ADD INDEX `classify_examples_source_idx` (`source`, `id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `classify_examples`'],
    mysql: ['DROP TABLE IF EXISTS `classify_examples`'],
  });
};
