import type { MigrationFn } from '../migrator.js';

/**
 * Registry administration (issue 7): a grid that cases still refer to cannot be deleted, so it can
 * be switched off instead — `grids.active`; intake no longer places new cases in a disabled grid.
 * (Units, users and event types already have `active`.)
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: ['ALTER TABLE `grids` ADD `active` TINYINT(1) NOT NULL DEFAULT 1'],
    mysql: ['ALTER TABLE `grids` ADD `active` TINYINT(1) NOT NULL DEFAULT true'],
  });
};

export const down: MigrationFn = async ({ context: db }) => {
  await db.run({
    // a plain DROP COLUMN (SQLite ≥ 3.35): a copy of the table would lose its indexes
    sqlite: ['ALTER TABLE `grids` DROP COLUMN `active`'],
    mysql: ['ALTER TABLE `grids` DROP `active`'],
  });
};
