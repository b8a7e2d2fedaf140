import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * 综合评价 by category (issue 5): category rows carried their category only inside the `metrics` JSON,
 * so "市容环境 over the last six months" meant reading and parsing every category row. `category` is a
 * column now (category rows, and case rows — the case's category when it was evaluated), indexed with
 * the scope and period the monthly rankings read by. Existing category rows get theirs from the JSON.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addColumn('evaluations', 'category', { type: DataTypes.STRING(16), allowNull: true });
  await qi.addIndex('evaluations', ['scope', 'category', 'period_start'], { name: 'evaluations_scope_category_period_idx' });
  const rows = (await qi.sequelize.query("SELECT id, metrics FROM evaluations WHERE scope = 'category'"))[0] as Array<{ id: number | string; metrics: string | null }>;
  for (const row of rows) {
    let metrics: Record<string, unknown>;
    try { metrics = JSON.parse(row.metrics ?? '{}') as Record<string, unknown>; } catch { continue; }
    const { category, ...rest } = metrics;
    if (typeof category !== 'string') continue;
    await qi.sequelize.query('UPDATE evaluations SET category = ?, metrics = ? WHERE id = ?', { replacements: [category.slice(0, 16), JSON.stringify(rest), row.id] });
  }
};

export const down: MigrationFn = async ({ context: qi }) => {
  const rows = (await qi.sequelize.query("SELECT id, category, metrics FROM evaluations WHERE scope = 'category' AND category IS NOT NULL"))[0] as Array<{ id: number | string; category: string; metrics: string | null }>;
  for (const row of rows) {
    const metrics = JSON.parse(row.metrics ?? '{}') as Record<string, unknown>;
    await qi.sequelize.query('UPDATE evaluations SET metrics = ? WHERE id = ?', { replacements: [JSON.stringify({ category: row.category, ...metrics }), row.id] });
  }
  await qi.removeIndex('evaluations', 'evaluations_scope_category_period_idx');
  await qi.removeColumn('evaluations', 'category');
};
