import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * AI cameras (issue 7):
 * - `camera_devices`: the registry — where a camera is (grid, coordinates, address), which event types its
 *   algorithms detect, whether it is enabled, and the SHA-256 of its API key (the key itself is shown once).
 * - `camera_events`: every accepted event, unique per device + eventId, so a re-sent event answers
 *   `duplicate` with the case it went to; the snapshot URL is kept here.
 * - `camera_cases`: device + event type → the case its events feed, with the repeat count; the repeat
 *   path looks the open case up here by (device_id, event_type_id) instead of searching `cases`.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('camera_devices', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    code: { type: DataTypes.STRING(32), allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    lat: { type: DataTypes.DOUBLE, allowNull: false },
    lng: { type: DataTypes.DOUBLE, allowNull: false },
    address: { type: DataTypes.STRING(255), allowNull: true },
    grid_id: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'grids', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    event_type_codes: { type: DataTypes.TEXT, allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    api_key_hash: { type: DataTypes.STRING(64), allowNull: true },
    key_rotated_at: { type: DataTypes.DATE, allowNull: true },
    last_seen_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('camera_devices', ['code'], { name: 'camera_devices_code_uq', unique: true });

  await qi.createTable('camera_cases', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    device_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'camera_devices', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    event_type_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'event_types', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    case_id: { type: DataTypes.BIGINT, allowNull: false, references: { model: 'cases', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    repeat_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    last_event_at: { type: DataTypes.DATE, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('camera_cases', ['device_id', 'event_type_id', 'id'], { name: 'camera_cases_device_type_idx' });
  await qi.addIndex('camera_cases', ['case_id'], { name: 'camera_cases_case_id_idx' });

  await qi.createTable('camera_events', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    device_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'camera_devices', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    event_id: { type: DataTypes.STRING(64), allowNull: false },
    event_type_id: { type: DataTypes.INTEGER, allowNull: false },
    case_id: { type: DataTypes.BIGINT, allowNull: false, references: { model: 'cases', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    outcome: { type: DataTypes.STRING(16), allowNull: false },
    confidence: { type: DataTypes.DOUBLE, allowNull: false },
    captured_at: { type: DataTypes.DATE, allowNull: false },
    snapshot_url: { type: DataTypes.STRING(1024), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('camera_events', ['device_id', 'event_id'], { name: 'camera_events_device_event_uq', unique: true });
  await qi.addIndex('camera_events', ['case_id'], { name: 'camera_events_case_id_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('camera_events');
  await qi.dropTable('camera_cases');
  await qi.dropTable('camera_devices');
};
