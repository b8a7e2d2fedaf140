import { openDriver, type SqlDriver } from '../store/driver.js';
import { ensureSchema } from '../store/schema.js';
import { pruneFinishedInstances, type InTransaction, type PruneOptions, type PruneResult } from './prune-finished.js';

/** Each unit of work in a transaction of its own on a driver nobody else writes through. */
export function ownTransactions(driver: SqlDriver): InTransaction {
  return async (work) => {
    await driver.exec(driver.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'START TRANSACTION');
    try {
      const value = await work();
      await driver.exec('COMMIT');
      return value;
    } catch (err) {
      await driver.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
}

/**
 * The prune without an engine running in this process (a command run by hand): opens the engine's
 * database, prunes, closes. It never opens an Engine, so no timer fires and no job is handed out here.
 * On MySQL/MariaDB it takes the one-engine lock and is refused while an engine (the server) runs on that
 * database: the server prunes on its own schedule. On SQLite there is no such lock; its transactions
 * take turns with a running engine's on the file's write lock (busy timeout 5 s), and it only deletes
 * rows no engine reads again.
 */
export async function pruneEngineDatabase(databaseUrl: string, options: PruneOptions): Promise<PruneResult> {
  const driver = await openDriver(databaseUrl);
  try {
    await ensureSchema(driver); // the retention indexes, on a database an older engine made
    return await pruneFinishedInstances(driver, ownTransactions(driver), options);
  } finally {
    await driver.close();
  }
}
