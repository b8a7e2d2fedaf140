import type { Sequelize } from 'sequelize';
import { dialectOf, openDatabase } from './connection.js';
import { migrate } from './migrator.js';
import { initModels } from './models/index.js';
import { openSql, type Sql } from './sql/index.js';
import { bindAppSql, unbindAppSql } from './sql/current.js';

export { dialectOf, openDatabase } from './connection.js';
export { migrate } from './migrator.js';

export interface Database {
  /** the models' connection, kept while test fixtures still use them */
  sequelize: Sequelize;
  /** the application's SQL (db/sql) on this database */
  sql: Sql;
  dialect: ReturnType<typeof dialectOf>;
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and binds it as the application's: what every process does at start. */
export async function startDatabase(url: string, log?: (sql: string) => void): Promise<Database> {
  const sql = await openSql(url);
  let appliedMigrations: string[];
  try {
    appliedMigrations = await migrate(sql);
  } catch (err) {
    await sql.destroy();
    throw err;
  }
  bindAppSql(sql);
  const sequelize = await openDatabase(url, log);
  initModels(sequelize);
  return {
    sequelize,
    sql,
    dialect: dialectOf(url),
    appliedMigrations,
    async close() {
      unbindAppSql(sql);
      await sequelize.close();
      await sql.destroy();
    },
  };
}
