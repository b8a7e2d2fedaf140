import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * The hotline operator's calls that file no case (issue #14, 来电登记):
 * - `kind` `consultation`: a question answered on the spot (直办), with the answer given;
 * - `kind` `merged`: a call about a problem already open, joined to that case (并单 before filing) — the
 *   case's duplicate count goes up and its audit log says so, and the caller's number is kept here, not in the
 *   immutable audit log.
 * A call that files a case needs no row: the case holds the caller. The operator's page reads a caller's
 * earlier cases by phone, hence the index on `cases.reporter_phone` (newest first by id).
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('hotline_calls', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    caller_name: { type: DataTypes.STRING(64), allowNull: true },
    caller_phone: { type: DataTypes.STRING(20), allowNull: true },
    content: { type: DataTypes.TEXT, allowNull: false },
    answer: { type: DataTypes.TEXT, allowNull: true },
    case_id: { type: DataTypes.BIGINT, allowNull: true },
    operator: { type: DataTypes.STRING(64), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('hotline_calls', ['caller_phone', 'id'], { name: 'hotline_calls_phone_idx' });
  await qi.addIndex('cases', ['reporter_phone', 'id'], { name: 'cases_reporter_phone_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.removeIndex('cases', 'cases_reporter_phone_idx');
  await qi.dropTable('hotline_calls');
};
