import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from '../migrator.js';
import { DEFAULT_ROLLUP_OFFSET_MINUTES } from '../rollups/index.js';
import { rebuildRollups } from '../rollups/maintain.js';
import { TRIGGER_NAMES } from '../rollups/statements.js';

/**
 * Case rollups (issue 12): the dashboard, trends, hotspots and evaluation read counts kept current by
 * triggers on `cases` instead of scanning every case ever filed (db/rollups/definition.ts says what
 * each table counts). Built here from the cases already stored, cut at UTC+08:00; a server configured
 * with another CALENDAR_UTC_OFFSET_MINUTES rebuilds them at start.
 */
const int = (primaryKey = false) => ({ type: DataTypes.INTEGER, allowNull: false, ...(primaryKey ? { primaryKey: true } : {}) });
const count = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };
const key = (n: number) => ({ type: DataTypes.STRING(n), allowNull: false, primaryKey: true });

async function createTables(qi: QueryInterface): Promise<void> {
  await qi.createTable('rollup_state', { name: key(32), value: { type: DataTypes.STRING(64), allowNull: false } });
  await qi.createTable('case_tally_status', { unit_id: int(true), status: key(16), n: count });
  await qi.createTable('case_tally_category', { unit_id: int(true), category: key(16), n: count });
  // light: the standing light of an open case (red, yellow, green), '' for a finished one
  await qi.createTable('case_tally_place', { unit_id: int(true), township_id: int(true), light: key(8), n: count });
  // key order: every read names the unit (or ALL_UNITS) and the measure, then a range of days
  await qi.createTable('case_day_counts', { unit_id: int(true), measure: key(8), day: key(10), ref_id: int(true), n: count });
  const counters = ['reported', 'filed', 'dispatched', 'dispatched_on_time', 'handled', 'handled_on_time', 'shelved', 'closed', 'closed_on_time',
    'reworked', 'rework_times', 'extended', 'returned', 'responded', 'rated', 'resolved', 'satisfied'];
  await qi.createTable('case_month_counts', {
    month: key(7), unit_id: int(true), township_id: int(true), category: key(16),
    ...Object.fromEntries(counters.map((c) => [c, count])),
  });
  await qi.createTable('open_cases', {
    case_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
    case_no: { type: DataTypes.STRING(32), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    category: { type: DataTypes.STRING(16), allowNull: true },
    unit_id: { type: DataTypes.INTEGER, allowNull: true },
    township_id: { type: DataTypes.INTEGER, allowNull: true },
    grid_id: { type: DataTypes.INTEGER, allowNull: true },
    due_at: { type: DataTypes.DATE, allowNull: true },
    warning_light: { type: DataTypes.STRING(8), allowNull: false },
    escalation_level: { type: DataTypes.INTEGER, allowNull: false },
    lat: { type: DataTypes.DOUBLE, allowNull: true },
    lng: { type: DataTypes.DOUBLE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('open_cases', ['unit_id'], { name: 'open_cases_unit_idx' });
  // covering what the summary counts of the cases past due, so that read is a range of this index alone
  await qi.addIndex('open_cases', ['due_at', 'unit_id', 'township_id', 'escalation_level', 'warning_light'], { name: 'open_cases_due_idx' });
}

export const up: MigrationFn = async ({ context: qi }) => {
  await createTables(qi);
  await rebuildRollups(qi.sequelize, DEFAULT_ROLLUP_OFFSET_MINUTES);
};

export const down: MigrationFn = async ({ context: qi }) => {
  for (const name of TRIGGER_NAMES) await qi.sequelize.query(`DROP TRIGGER IF EXISTS ${name}`);
  for (const table of ['open_cases', 'case_month_counts', 'case_day_counts', 'case_tally_place', 'case_tally_category', 'case_tally_status', 'rollup_state']) await qi.dropTable(table);
};
