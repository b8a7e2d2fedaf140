import { sql } from 'kysely';
import type { MigrationFn } from '../migrator.js';

/** The first record's prevHash: 64 zeros, as in most hash-chained logs. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * Audit log idempotency and chain serialisation.
 * - `audit_log.dedup_key`: a worker's job key (or an API request id); unique, so a job delivered
 *   twice finds its earlier record instead of writing a second one. NULL for records without one.
 * - `audit_chain_head`: one row holding the last record's id and hash. Every append locks this row
 *   first (a plain row lock on MySQL, the write lock on SQLite), so appends from several processes
 *   queue up on it and the chain never forks; it also lets verification notice a cut-off tail.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'ALTER TABLE `audit_log` ADD `dedup_key` VARCHAR(128)',
      'CREATE UNIQUE INDEX `audit_log_dedup_key_uq` ON `audit_log` (`dedup_key`)',
      'CREATE TABLE IF NOT EXISTS `audit_chain_head` (`id` INTEGER PRIMARY KEY, `last_id` BIGINT, `last_hash` VARCHAR(64) NOT NULL, `records` BIGINT NOT NULL DEFAULT 0, `updated_at` DATETIME NOT NULL)',
    ],
    mysql: [
      'ALTER TABLE `audit_log` ADD `dedup_key` VARCHAR(128)',
      'ALTER TABLE `audit_log` ADD UNIQUE INDEX `audit_log_dedup_key_uq` (`dedup_key`)',
      'CREATE TABLE IF NOT EXISTS `audit_chain_head` (`id` INTEGER NOT NULL , `last_id` BIGINT, `last_hash` VARCHAR(64) NOT NULL, `records` BIGINT NOT NULL DEFAULT 0, `updated_at` DATETIME NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    ],
  });
  // the head starts at the last record already written (none on a new database)
  const { rows } = await sql<{
    id: string | number;
    hash: string;
    n: string | number;
  }>`SELECT a.id AS id, a.hash AS hash, (SELECT COUNT(*) FROM audit_log) AS n FROM audit_log a ORDER BY a.id DESC LIMIT 1`.execute(db.sql);
  const last = rows[0];
  await db.sql
    .insertInto('audit_chain_head')
    .values({
      id: 1,
      lastId: last ? String(last.id) : null,
      lastHash: last ? last.hash : AUDIT_GENESIS_HASH,
      records: last ? String(last.n) : '0',
      updatedAt: new Date(),
    })
    .execute();
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'DROP TABLE IF EXISTS `audit_chain_head`',
      'DROP INDEX IF EXISTS `audit_log_dedup_key_uq`',
      'ALTER TABLE `audit_log` DROP COLUMN `dedup_key`', // a copy of the table would lose its indexes
    ],
    mysql: ['DROP TABLE IF EXISTS `audit_chain_head`', 'DROP INDEX `audit_log_dedup_key_uq` ON `audit_log`', 'ALTER TABLE `audit_log` DROP `dedup_key`'],
  });
};
