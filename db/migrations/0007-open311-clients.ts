import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Open311 GeoReport v2 (issue 7):
 * - `open311_clients`: the applications allowed to POST service requests; the API key is shown once
 *   and stored only as its SHA-256 hash. Disabling a client keeps the row (the audit log names it).
 * - `open311_requests`: what an Open311 submission carried beyond the case itself — the client, the
 *   request token, media_url, the answers to the service attributes and the submitter's contact fields
 *   (kept for the centre, never returned by the Open311 read endpoints).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('open311_clients', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    key_hash: { type: DataTypes.STRING(64), allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    created_by: { type: DataTypes.STRING(64), allowNull: true },
    disabled_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('open311_clients', ['key_hash'], { name: 'open311_clients_key_hash_uq', unique: true });
  await qi.createTable('open311_requests', {
    case_id: { type: DataTypes.BIGINT, primaryKey: true, allowNull: false },
    client_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'open311_clients', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    token: { type: DataTypes.STRING(64), allowNull: false },
    media_url: { type: DataTypes.STRING(1000), allowNull: true },
    attributes: { type: DataTypes.TEXT, allowNull: true },
    email: { type: DataTypes.STRING(254), allowNull: true },
    device_id: { type: DataTypes.STRING(128), allowNull: true },
    account_id: { type: DataTypes.STRING(128), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('open311_requests', ['token'], { name: 'open311_requests_token_uq', unique: true });
  await qi.addIndex('open311_requests', ['client_id'], { name: 'open311_requests_client_id_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('open311_requests');
  await qi.dropTable('open311_clients');
};
