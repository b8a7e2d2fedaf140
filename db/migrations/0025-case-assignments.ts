import type { MigrationFn } from '../migrator.js';

/**
 * A district leader's 交办 (issue #14 item 4): the unit the leader named, the deadline the leader set and the
 * leader's instruction (批示), one row per case filed through 交办. Routing proposes the named unit instead of
 * the catalogue's rule, and the 处置 deadline is the leader's, not the event type's limit.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `case_assignments` (`case_id` INTEGER PRIMARY KEY, `unit_id` INTEGER NOT NULL, `due_at` DATETIME NOT NULL, `instruction` TEXT NOT NULL, `leader_user_id` INTEGER NOT NULL, `created_at` DATETIME NOT NULL)',
      'CREATE INDEX `case_assignments_leader_idx` ON `case_assignments` (`leader_user_id`, `case_id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `case_assignments` (`case_id` BIGINT NOT NULL , `unit_id` INTEGER NOT NULL, `due_at` DATETIME NOT NULL, `instruction` TEXT NOT NULL, `leader_user_id` INTEGER NOT NULL, `created_at` DATETIME NOT NULL, PRIMARY KEY (`case_id`)) ENGINE=InnoDB',
      'ALTER TABLE `case_assignments` ADD INDEX `case_assignments_leader_idx` (`leader_user_id`, `case_id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `case_assignments`'],
    mysql: ['DROP TABLE IF EXISTS `case_assignments`'],
  });
};
