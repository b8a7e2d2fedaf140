import { DataTypes, QueryTypes } from 'sequelize';
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
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addColumn('audit_log', 'dedup_key', { type: DataTypes.STRING(128), allowNull: true });
  await qi.addIndex('audit_log', ['dedup_key'], { name: 'audit_log_dedup_key_uq', unique: true });
  await qi.createTable('audit_chain_head', {
    id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
    last_id: { type: DataTypes.BIGINT, allowNull: true },
    last_hash: { type: DataTypes.STRING(64), allowNull: false },
    records: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  // A database that already has audit records starts the head at its last one.
  const rows = await qi.sequelize.query<{ id: unknown; hash: string; n: unknown }>(
    'SELECT a.id AS id, a.hash AS hash, (SELECT COUNT(*) FROM audit_log) AS n FROM audit_log a ORDER BY a.id DESC LIMIT 1',
    { type: QueryTypes.SELECT },
  );
  const last = rows[0];
  await qi.bulkInsert('audit_chain_head', [{
    id: 1,
    last_id: last ? String(last.id) : null,
    last_hash: last ? last.hash : AUDIT_GENESIS_HASH,
    records: last ? Number(last.n) : 0,
    updated_at: new Date(),
  }]);
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('audit_chain_head');
  await qi.removeIndex('audit_log', 'audit_log_dedup_key_uq');
  await qi.removeColumn('audit_log', 'dedup_key');
};
