import type { MigrationFn } from '../migrator.js';

/**
 * Verified checkpoints of the audit chain (issue 12). Recomputing every hash from the first record
 * grows with the log (about 10 million records at a million cases), so a verification resumes from the
 * latest checkpoint: the record up to which the chain was last found whole, and that record's hash.
 * One row per verification run, moved forward as the run goes (a run cut short keeps what it did).
 * - `mode`: `full` (from the first record) or `incremental` (from a checkpoint);
 * - `resumed_after`: the checkpointed record the run started after (NULL: the first record);
 * - `last_id`, `last_hash`: verified through this record, which had this hash;
 * - `records`: records in the chain from the first through `last_id`;
 * - `invalidated_at`: set when a later run found the chain broken at or before `last_id`; such a row
 *   is never resumed from, but its hash is still compared (it was the record's hash when verified).
 * The latest checkpoint is read by `last_id`, hence the index.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'CREATE TABLE IF NOT EXISTS `audit_checkpoints` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `mode` VARCHAR(16) NOT NULL, `resumed_after` BIGINT, `last_id` BIGINT NOT NULL, `last_hash` VARCHAR(64) NOT NULL, `records` BIGINT NOT NULL, `started_at` DATETIME NOT NULL, `verified_at` DATETIME NOT NULL, `invalidated_at` DATETIME)',
      'CREATE INDEX `audit_checkpoints_last_id_idx` ON `audit_checkpoints` (`last_id`)',
    ],
    mysql: [
      'CREATE TABLE IF NOT EXISTS `audit_checkpoints` (`id` BIGINT NOT NULL auto_increment , `mode` VARCHAR(16) NOT NULL, `resumed_after` BIGINT, `last_id` BIGINT NOT NULL, `last_hash` VARCHAR(64) NOT NULL, `records` BIGINT NOT NULL, `started_at` DATETIME NOT NULL, `verified_at` DATETIME NOT NULL, `invalidated_at` DATETIME, PRIMARY KEY (`id`)) ENGINE=InnoDB',
      'ALTER TABLE `audit_checkpoints` ADD INDEX `audit_checkpoints_last_id_idx` (`last_id`)',
    ],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['DROP TABLE IF EXISTS `audit_checkpoints`'],
    mysql: ['DROP TABLE IF EXISTS `audit_checkpoints`'],
  });
};
