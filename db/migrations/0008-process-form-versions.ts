import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Process and form administration (issue 7):
 * - `process_versions`: every version a deployment created (the product's at start, an admin's later), with
 *   the XML as deployed, so any version can be read back, diffed and shown under a case, whichever engine runs.
 * - `process_drafts`: one work-in-progress diagram per process id, saved from the modeler, not deployed.
 * - `form_versions`: every version of a form-js form a deployment created.
 * XML and form JSON are MEDIUMTEXT on MySQL (TEXT stops at 64 KB; the API accepts up to 2 MB).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  // SQLite's TEXT has no size classes (and sequelize warns when given one)
  const mediumText = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await qi.createTable('process_versions', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    process_id: { type: DataTypes.STRING(191), allowNull: false },
    version: { type: DataTypes.INTEGER, allowNull: false },
    process_definition_key: { type: DataTypes.STRING(32), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: true },
    resource_name: { type: DataTypes.STRING(255), allowNull: false },
    xml: { type: mediumText, allowNull: false },
    checksum: { type: DataTypes.STRING(64), allowNull: false },
    deployed_by: { type: DataTypes.STRING(64), allowNull: false },
    deployed_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('process_versions', ['process_id', 'version'], { name: 'process_versions_id_version_uq', unique: true });
  await qi.addIndex('process_versions', ['process_definition_key'], { name: 'process_versions_key_idx' });
  await qi.createTable('process_drafts', {
    process_id: { type: DataTypes.STRING(191), primaryKey: true, allowNull: false },
    xml: { type: mediumText, allowNull: false },
    saved_by: { type: DataTypes.STRING(64), allowNull: false },
    saved_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.createTable('form_versions', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    form_id: { type: DataTypes.STRING(191), allowNull: false },
    version: { type: DataTypes.INTEGER, allowNull: false },
    form_key: { type: DataTypes.STRING(32), allowNull: false },
    schema: { type: mediumText, allowNull: false },
    checksum: { type: DataTypes.STRING(64), allowNull: false },
    deployed_by: { type: DataTypes.STRING(64), allowNull: false },
    deployed_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('form_versions', ['form_id', 'version'], { name: 'form_versions_id_version_uq', unique: true });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('form_versions');
  await qi.dropTable('process_drafts');
  await qi.dropTable('process_versions');
};
