import { DataTypes } from 'sequelize';
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
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('audit_checkpoints', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    mode: { type: DataTypes.STRING(16), allowNull: false },
    resumed_after: { type: DataTypes.BIGINT, allowNull: true },
    last_id: { type: DataTypes.BIGINT, allowNull: false },
    last_hash: { type: DataTypes.STRING(64), allowNull: false },
    records: { type: DataTypes.BIGINT, allowNull: false },
    started_at: { type: DataTypes.DATE, allowNull: false },
    verified_at: { type: DataTypes.DATE, allowNull: false },
    invalidated_at: { type: DataTypes.DATE, allowNull: true },
  });
  await qi.addIndex('audit_checkpoints', ['last_id'], { name: 'audit_checkpoints_last_id_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('audit_checkpoints');
};
