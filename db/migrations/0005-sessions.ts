import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * REST API state (issue 7):
 * - `sessions`: bearer tokens, stored as SHA-256 hashes (the token itself is only ever in the client's hands).
 * - `idempotency_keys`: `Idempotency-Key` of a POST → the first response (same key + same body → same answer).
 * - `case_instances`: process instance → case, for the case's own instance and every instance it calls,
 *   so user tasks (which carry only their instance key) find their case.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('sessions', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    token_hash: { type: DataTypes.STRING(64), allowNull: false },
    user_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('sessions', ['token_hash'], { name: 'sessions_token_hash_uq', unique: true });
  await qi.createTable('idempotency_keys', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    scope: { type: DataTypes.STRING(191), allowNull: false },
    request_hash: { type: DataTypes.STRING(64), allowNull: false },
    status_code: { type: DataTypes.INTEGER, allowNull: true },
    response_body: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('idempotency_keys', ['scope'], { name: 'idempotency_keys_scope_uq', unique: true });
  await qi.createTable('case_instances', {
    process_instance_key: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
    case_id: { type: DataTypes.BIGINT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('case_instances', ['case_id'], { name: 'case_instances_case_id_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('case_instances');
  await qi.dropTable('idempotency_keys');
  await qi.dropTable('sessions');
};
