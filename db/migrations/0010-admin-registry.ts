import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Registry administration (issue 7): a grid that cases still refer to cannot be deleted, so it can
 * be switched off instead — `grids.active`; intake no longer places new cases in a disabled grid.
 * (Units, users and event types already have `active`.)
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addColumn('grids', 'active', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.removeColumn('grids', 'active');
};
