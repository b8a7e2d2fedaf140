import { migrate } from './migrator.js';
import { dialectOf, openSql, type Sql } from './sql/index.js';
import { bindAppSql, unbindAppSql } from './sql/current.js';

export { migrate } from './migrator.js';
export { dialectOf, openSql } from './sql/index.js';

export interface Database {
  /** the application's SQL (db/sql) on this database */
  sql: Sql;
  dialect: 'sqlite' | 'mysql';
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and binds it as the application's: what every process does at start. */
export async function startDatabase(url: string): Promise<Database> {
  const sql = await openSql(url);
  let appliedMigrations: string[];
  try {
    appliedMigrations = await migrate(sql);
  } catch (err) {
    await sql.destroy();
    throw err;
  }
  bindAppSql(sql);
  return {
    sql,
    dialect: dialectOf(url),
    appliedMigrations,
    async close() {
      unbindAppSql(sql);
      await sql.destroy();
    },
  };
}
