import type { MigrationFn } from '../migrator.js';

/**
 * Case history (issue 7, audit): `case_events` keeps every element event the engine reports through
 * the port (activated, completed, terminated, incidents, flows taken), so a case's history can be
 * read after the engine has forgotten the instance. Events arrive at least once: `event_key` (a hash
 * of the event's identity) is unique, so a repeat is dropped. `case_id` is filled when the instance's
 * case is known at arrival and otherwise when the history is first read; `parent_instance_key` links
 * a called instance to its caller so it finds its case either way.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `case_events` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `event_key` VARCHAR(64) NOT NULL, `case_id` BIGINT, `process_instance_key` VARCHAR(32) NOT NULL, `parent_instance_key` VARCHAR(32), `element_instance_key` VARCHAR(32), `element_id` VARCHAR(128) NOT NULL, `element_type` VARCHAR(48), `bpmn_process_id` VARCHAR(128), `intent` VARCHAR(24) NOT NULL, `at` DATETIME NOT NULL, `detail` TEXT, `created_at` DATETIME NOT NULL)',
      'CREATE UNIQUE INDEX `case_events_event_key_uq` ON `case_events` (`event_key`)',
      'CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`, `id`)',
      'CREATE INDEX `case_events_instance_idx` ON `case_events` (`process_instance_key`, `id`)',
      'CREATE INDEX `case_events_parent_idx` ON `case_events` (`parent_instance_key`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `case_events` (`id` BIGINT NOT NULL auto_increment , `event_key` VARCHAR(64) NOT NULL, `case_id` BIGINT, `process_instance_key` VARCHAR(32) NOT NULL, `parent_instance_key` VARCHAR(32), `element_instance_key` VARCHAR(32), `element_id` VARCHAR(128) NOT NULL, `element_type` VARCHAR(48), `bpmn_process_id` VARCHAR(128), `intent` VARCHAR(24) NOT NULL, `at` DATETIME(3) NOT NULL, `detail` TEXT, `created_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `case_events` ADD UNIQUE INDEX `case_events_event_key_uq` (`event_key`)',
      'ALTER TABLE `case_events` ADD INDEX `case_events_case_idx` (`case_id`, `id`)',
      'ALTER TABLE `case_events` ADD INDEX `case_events_instance_idx` (`process_instance_key`, `id`)',
      'ALTER TABLE `case_events` ADD INDEX `case_events_parent_idx` (`parent_instance_key`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `case_events`'],
    mysql: ['DROP TABLE IF EXISTS `case_events`'],
  });
};
