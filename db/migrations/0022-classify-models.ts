import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Trained classifier versions (issue 13): the model itself as JSON, what it learnt from and how it
 * measured on examples it had not seen; exactly one is `active` (the one the server uses), and an
 * administrator can make an earlier one active again (rollback).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  const longText = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
  await qi.createTable('classify_models', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    algorithm: { type: DataTypes.STRING(16), allowNull: false },
    state: { type: longText, allowNull: false },
    examples: { type: DataTypes.INTEGER, allowNull: false },
    operator_examples: { type: DataTypes.INTEGER, allowNull: false },
    last_example_id: { type: DataTypes.INTEGER, allowNull: false },
    type_top1: { type: DataTypes.FLOAT, allowNull: false },
    type_top3: { type: DataTypes.FLOAT, allowNull: false },
    category_accuracy: { type: DataTypes.FLOAT, allowNull: false },
    not_dispatchable_recall: { type: DataTypes.FLOAT, allowNull: false },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    reason: { type: DataTypes.STRING(200), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('classify_models', ['active'], { name: 'classify_models_active_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('classify_models');
};
