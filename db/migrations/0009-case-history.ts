import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Case history (issue 7, audit): `case_events` keeps every element event the engine reports through
 * the port (activated, completed, terminated, incidents, flows taken), so a case's history can be
 * read after the engine has forgotten the instance. Events arrive at least once: `event_key` (a hash
 * of the event's identity) is unique, so a repeat is dropped. `case_id` is filled when the instance's
 * case is known at arrival and otherwise when the history is first read; `parent_instance_key` links
 * a called instance to its caller so it finds its case either way.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('case_events', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    event_key: { type: DataTypes.STRING(64), allowNull: false },
    case_id: { type: DataTypes.BIGINT, allowNull: true },
    process_instance_key: { type: DataTypes.STRING(32), allowNull: false },
    parent_instance_key: { type: DataTypes.STRING(32), allowNull: true },
    element_instance_key: { type: DataTypes.STRING(32), allowNull: true },
    element_id: { type: DataTypes.STRING(128), allowNull: false },
    element_type: { type: DataTypes.STRING(48), allowNull: true },
    bpmn_process_id: { type: DataTypes.STRING(128), allowNull: true },
    intent: { type: DataTypes.STRING(24), allowNull: false },
    at: { type: DataTypes.DATE(3), allowNull: false },
    detail: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('case_events', ['event_key'], { name: 'case_events_event_key_uq', unique: true });
  await qi.addIndex('case_events', ['case_id', 'id'], { name: 'case_events_case_idx' });
  await qi.addIndex('case_events', ['process_instance_key', 'id'], { name: 'case_events_instance_idx' });
  await qi.addIndex('case_events', ['parent_instance_key'], { name: 'case_events_parent_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('case_events');
};
