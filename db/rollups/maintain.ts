import { sql } from 'kysely';
import { sqlDialect as dialectOf, type Sql } from '../sql/index.js';
import { ROLLUP_TABLES, ROLLUP_VERSION } from './definition.js';
import { rollupSql } from './sql-dialect.js';
import { TRIGGER_NAMES, createTriggers, rebuildStatements } from './statements.js';

/**
 * Installing, checking and rebuilding the case rollups (db/rollups/definition.ts). The triggers bake
 * in the local-time offset that days and months are cut at, so the offset and the definitions'
 * version are recorded in `rollup_state`; a start with another offset or version rebuilds.
 */

export interface RollupState {
  version: number;
  offsetMinutes: number;
}

const run = (db: Sql, statement: string) => sql.raw(statement).execute(db);

export async function readRollupState(db: Sql): Promise<RollupState | null> {
  const rows = await db.selectFrom('rollup_state').select(['name', 'value']).execute();
  const get = (name: string) => rows.find((r) => r.name === name)?.value;
  const version = get('version');
  const offset = get('offset_minutes');
  return version === undefined || offset === undefined ? null : { version: Number(version), offsetMinutes: Number(offset) };
}

async function writeState(db: Sql, state: RollupState): Promise<void> {
  await db.deleteFrom('rollup_state').execute();
  await db
    .insertInto('rollup_state')
    .values([
      { name: 'version', value: String(state.version) },
      { name: 'offset_minutes', value: String(state.offsetMinutes) },
    ])
    .execute();
}

async function dropTriggers(db: Sql): Promise<void> {
  for (const name of TRIGGER_NAMES) await run(db, `DROP TRIGGER IF EXISTS ${name}`);
}

async function fill(db: Sql, offsetMinutes: number): Promise<void> {
  for (const table of ROLLUP_TABLES) await run(db, `DELETE FROM ${table}`);
  for (const statement of rebuildStatements(rollupSql(dialectOf(db), offsetMinutes))) await run(db, statement);
  await writeState(db, { version: ROLLUP_VERSION, offsetMinutes });
}

/**
 * Recomputes every rollup from the cases and (re)creates the triggers that keep them current.
 * SQLite: all in one transaction. MySQL (DDL commits on its own): the triggers first, then the
 * rebuild in one transaction — its INSERT … SELECT locks the case rows it reads, so a case changed
 * meanwhile by another process is either read after its commit or waits for the rebuild to commit
 * and then applies its change through the trigger; none is counted twice or lost.
 */
export async function rebuildRollups(db: Sql, offsetMinutes: number): Promise<{ ms: number }> {
  const started = Date.now();
  const statements = rollupSql(dialectOf(db), offsetMinutes);
  if (statements.dialect === 'sqlite') {
    await db.transaction().execute(async (trx) => {
      await dropTriggers(trx);
      for (const statement of createTriggers(statements)) await run(trx, statement);
      await fill(trx, offsetMinutes);
    });
  } else {
    await dropTriggers(db);
    for (const statement of createTriggers(statements)) await run(db, statement);
    await db.transaction().execute((trx) => fill(trx, offsetMinutes));
  }
  return { ms: Date.now() - started };
}

/** At start: rebuilds when the rollups were made with another offset or definition version (or never). */
export async function ensureRollups(db: Sql, offsetMinutes: number): Promise<'current' | 'rebuilt'> {
  const state = await readRollupState(db);
  if (state && state.version === ROLLUP_VERSION && state.offsetMinutes === offsetMinutes) return 'current';
  await rebuildRollups(db, offsetMinutes);
  return 'rebuilt';
}

/**
 * The bulk path for loading many cases at once (an import of a past year, the scale benchmark's seed):
 * the triggers are dropped while `load` writes, then the rollups are rebuilt once from all cases.
 * Nothing else may write cases meanwhile (run it with the server stopped).
 */
export async function withoutRollupTriggers<T>(db: Sql, offsetMinutes: number, load: () => Promise<T>): Promise<T> {
  await dropTriggers(db);
  try {
    return await load();
  } finally {
    await rebuildRollups(db, offsetMinutes);
  }
}
