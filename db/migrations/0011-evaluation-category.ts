import type { MigrationFn } from '../migrator.js';

/**
 * 综合评价 by category (issue 5): category rows carried their category only inside the `metrics` JSON,
 * so "市容环境 over the last six months" meant reading and parsing every category row. `category` is a
 * column now (category rows, and case rows — the case's category when it was evaluated), indexed with
 * the scope and period the monthly rankings read by. Existing category rows get theirs from the JSON.
 */
export const up: MigrationFn = async ({ context: db }) => {
  await db.run({
    sqlite: [
      'ALTER TABLE `evaluations` ADD `category` VARCHAR(16)',
      'CREATE INDEX `evaluations_scope_category_period_idx` ON `evaluations` (`scope`, `category`, `period_start`)',
    ],
    mysql: [
      'ALTER TABLE `evaluations` ADD `category` VARCHAR(16)',
      'ALTER TABLE `evaluations` ADD INDEX `evaluations_scope_category_period_idx` (`scope`, `category`, `period_start`)',
    ],
  });
  const rows = await db.sql.selectFrom('evaluations').select(['id', 'metrics']).where('scope', '=', 'category').execute();
  for (const row of rows) {
    let metrics: Record<string, unknown>;
    try {
      metrics = JSON.parse(row.metrics ?? '{}') as Record<string, unknown>;
    } catch {
      continue;
    }
    const { category, ...rest } = metrics;
    if (typeof category !== 'string') continue;
    await db.sql
      .updateTable('evaluations')
      .set({ category: category.slice(0, 16), metrics: JSON.stringify(rest) })
      .where('id', '=', row.id)
      .execute();
  }
};

export const down: MigrationFn = async ({ context: db }) => {
  const rows = await db.sql
    .selectFrom('evaluations')
    .select(['id', 'category', 'metrics'])
    .where('scope', '=', 'category')
    .where('category', 'is not', null)
    .execute();
  for (const row of rows) {
    const metrics = JSON.parse(row.metrics ?? '{}') as Record<string, unknown>;
    await db.sql
      .updateTable('evaluations')
      .set({ metrics: JSON.stringify({ category: row.category, ...metrics }) })
      .where('id', '=', row.id)
      .execute();
  }
  await db.run({
    sqlite: [
      'DROP INDEX IF EXISTS `evaluations_scope_category_period_idx`',
      'ALTER TABLE `evaluations` DROP COLUMN `category`', // a copy of the table would lose its indexes
    ],
    mysql: ['DROP INDEX `evaluations_scope_category_period_idx` ON `evaluations`', 'ALTER TABLE `evaluations` DROP `category`'],
  });
};
