import type { MigrationFn } from '../migrator.js';

/**
 * Trained classifier versions (issue 13): the model itself as JSON, what it learnt from and how it
 * measured on examples it had not seen; exactly one is `active` (the one the server uses), and an
 * administrator can make an earlier one active again (rollback).
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `classify_models` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `algorithm` VARCHAR(16) NOT NULL, `state` TEXT NOT NULL, `examples` INTEGER NOT NULL, `operator_examples` INTEGER NOT NULL, `last_example_id` INTEGER NOT NULL, `type_top1` FLOAT NOT NULL, `type_top3` FLOAT NOT NULL, `category_accuracy` FLOAT NOT NULL, `not_dispatchable_recall` FLOAT NOT NULL, `active` TINYINT(1) NOT NULL DEFAULT 0, `reason` VARCHAR(200) NOT NULL, `created_at` DATETIME NOT NULL)',
      'CREATE INDEX `classify_models_active_idx` ON `classify_models` (`active`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `classify_models` (`id` INTEGER NOT NULL auto_increment , `algorithm` VARCHAR(16) NOT NULL, `state` LONGTEXT NOT NULL, `examples` INTEGER NOT NULL, `operator_examples` INTEGER NOT NULL, `last_example_id` INTEGER NOT NULL, `type_top1` FLOAT NOT NULL, `type_top3` FLOAT NOT NULL, `category_accuracy` FLOAT NOT NULL, `not_dispatchable_recall` FLOAT NOT NULL, `active` TINYINT(1) NOT NULL DEFAULT false, `reason` VARCHAR(200) NOT NULL, `created_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `classify_models` ADD INDEX `classify_models_active_idx` (`active`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `classify_models`'],
    mysql: ['DROP TABLE IF EXISTS `classify_models`'],
  });
};
