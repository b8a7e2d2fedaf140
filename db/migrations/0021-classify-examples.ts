import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Labelled reports the classifier learns from (issue 13): the shipped corpus (source `corpus`),
 * rows an administrator adds or imports (`admin`) and every operator's 受理 decision (`operator`,
 * one per case, `case_id` set). `label` is an event-type code or a NONE-* not-dispatchable label.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('classify_examples', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    text: { type: DataTypes.TEXT, allowNull: false },
    label: { type: DataTypes.STRING(32), allowNull: false },
    channel: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
    source: { type: DataTypes.STRING(16), allowNull: false },
    case_id: { type: DataTypes.BIGINT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('classify_examples', ['source', 'id'], { name: 'classify_examples_source_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('classify_examples');
};
