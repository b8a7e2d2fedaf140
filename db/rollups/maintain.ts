import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect } from '../connection.js';
import { ROLLUP_TABLES, ROLLUP_VERSION } from './definition.js';
import { rollupSql } from './sql-dialect.js';
import { TRIGGER_NAMES, createTriggers, rebuildStatements } from './statements.js';

/**
 * Installing, checking and rebuilding the case rollups (db/rollups/definition.ts). The triggers bake
 * in the local-time offset that days and months are cut at, so the offset and the definitions'
 * version are recorded in `rollup_state`; a start with another offset or version rebuilds.
 */

export interface RollupState { version: number; offsetMinutes: number }

const dialectOf = (sequelize: Sequelize): Dialect => (sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql');

export async function readRollupState(sequelize: Sequelize, transaction?: Transaction): Promise<RollupState | null> {
  const rows = await sequelize.query<{ name: string; value: string }>('SELECT name, value FROM rollup_state', { type: QueryTypes.SELECT, transaction: transaction ?? null });
  const get = (name: string) => rows.find((r) => r.name === name)?.value;
  const version = get('version');
  const offset = get('offset_minutes');
  return version === undefined || offset === undefined ? null : { version: Number(version), offsetMinutes: Number(offset) };
}

async function writeState(sequelize: Sequelize, state: RollupState, transaction: Transaction): Promise<void> {
  await sequelize.query('DELETE FROM rollup_state', { transaction });
  await sequelize.query('INSERT INTO rollup_state (name, value) VALUES (?, ?), (?, ?)', {
    replacements: ['version', String(state.version), 'offset_minutes', String(state.offsetMinutes)], transaction,
  });
}

async function dropTriggers(sequelize: Sequelize, transaction?: Transaction): Promise<void> {
  for (const name of TRIGGER_NAMES) await sequelize.query(`DROP TRIGGER IF EXISTS ${name}`, { transaction: transaction ?? null });
}

async function fill(sequelize: Sequelize, offsetMinutes: number, transaction: Transaction): Promise<void> {
  for (const table of ROLLUP_TABLES) await sequelize.query(`DELETE FROM ${table}`, { transaction });
  for (const statement of rebuildStatements(rollupSql(dialectOf(sequelize), offsetMinutes))) await sequelize.query(statement, { transaction });
  await writeState(sequelize, { version: ROLLUP_VERSION, offsetMinutes }, transaction);
}

/**
 * Recomputes every rollup from the cases and (re)creates the triggers that keep them current.
 * SQLite: all in one transaction. MySQL (DDL commits on its own): the triggers first, then the
 * rebuild in one transaction — its INSERT … SELECT locks the case rows it reads, so a case changed
 * meanwhile by another process is either read after its commit or waits for the rebuild to commit
 * and then applies its change through the trigger; none is counted twice or lost.
 */
export async function rebuildRollups(sequelize: Sequelize, offsetMinutes: number): Promise<{ ms: number }> {
  const started = Date.now();
  const sql = rollupSql(dialectOf(sequelize), offsetMinutes);
  if (sql.dialect === 'sqlite') {
    await sequelize.transaction(async (transaction) => {
      await dropTriggers(sequelize, transaction);
      for (const statement of createTriggers(sql)) await sequelize.query(statement, { transaction });
      await fill(sequelize, offsetMinutes, transaction);
    });
  } else {
    await dropTriggers(sequelize);
    for (const statement of createTriggers(sql)) await sequelize.query(statement);
    await sequelize.transaction((transaction) => fill(sequelize, offsetMinutes, transaction));
  }
  return { ms: Date.now() - started };
}

/** At start: rebuilds when the rollups were made with another offset or definition version (or never). */
export async function ensureRollups(sequelize: Sequelize, offsetMinutes: number): Promise<'current' | 'rebuilt'> {
  const state = await readRollupState(sequelize);
  if (state && state.version === ROLLUP_VERSION && state.offsetMinutes === offsetMinutes) return 'current';
  await rebuildRollups(sequelize, offsetMinutes);
  return 'rebuilt';
}

/**
 * The bulk path for loading many cases at once (an import of a past year, the scale benchmark's seed):
 * the triggers are dropped while `load` writes, then the rollups are rebuilt once from all cases.
 * Nothing else may write cases meanwhile (run it with the server stopped).
 */
export async function withoutRollupTriggers<T>(sequelize: Sequelize, offsetMinutes: number, load: () => Promise<T>): Promise<T> {
  await dropTriggers(sequelize);
  try {
    return await load();
  } finally {
    await rebuildRollups(sequelize, offsetMinutes);
  }
}
