import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * A district leader's 交办 (issue #14 item 4): the unit the leader named, the deadline the leader set and the
 * leader's instruction (批示), one row per case filed through 交办. Routing proposes the named unit instead of
 * the catalogue's rule, and the 处置 deadline is the leader's, not the event type's limit.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('case_assignments', {
    case_id: { type: DataTypes.BIGINT, primaryKey: true, allowNull: false },
    unit_id: { type: DataTypes.INTEGER, allowNull: false },
    due_at: { type: DataTypes.DATE, allowNull: false },
    instruction: { type: DataTypes.TEXT, allowNull: false },
    leader_user_id: { type: DataTypes.INTEGER, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('case_assignments', ['leader_user_id', 'case_id'], { name: 'case_assignments_leader_idx' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.dropTable('case_assignments');
};
