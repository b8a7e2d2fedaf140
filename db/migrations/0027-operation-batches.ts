import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Operations batches (issue 18: batch retry, cancel and 流程迁移 over a filter) kept in the database instead of the
 * process's memory: a batch's progress and its result per instance survive a restart, and a batch the restart
 * interrupted is carried on from its first pending instance (domain/operations/batches.ts).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('operation_batches', {
    id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
    action: { type: DataTypes.STRING(16), allowNull: false },
    filter: { type: DataTypes.TEXT, allowNull: false },
    plan: { type: DataTypes.TEXT, allowNull: true },
    reason: { type: DataTypes.TEXT, allowNull: false },
    actor: { type: DataTypes.STRING(64), allowNull: false },
    actor_role: { type: DataTypes.STRING(32), allowNull: false },
    state: { type: DataTypes.STRING(16), allowNull: false },
    total: { type: DataTypes.INTEGER, allowNull: false },
    processed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    failed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    resumed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
    finished_at: { type: DataTypes.DATE, allowNull: true },
  });
  await qi.addIndex('operation_batches', ['state', 'updated_at'], { name: 'operation_batches_state_idx' });
  await qi.createTable('operation_batch_items', {
    batch_id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
    position: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
    process_instance_key: { type: DataTypes.STRING(32), allowNull: false },
    case_no: { type: DataTypes.STRING(32), allowNull: true },
    state: { type: DataTypes.STRING(16), allowNull: false },
    done: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    code: { type: DataTypes.STRING(64), allowNull: true },
    message: { type: DataTypes.TEXT, allowNull: true },
  });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('operation_batch_items');
  await qi.dropTable('operation_batches');
};
