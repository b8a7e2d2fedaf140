import type { Sequelize } from 'sequelize';
import { dialectOf, openDatabase } from './connection.js';
import { migrate } from './migrator.js';
import { initModels } from './models/index.js';
import { sqlOn, type Sql } from './sql/index.js';

export { dialectOf, openDatabase } from './connection.js';
export { migrate } from './migrator.js';

export interface Database {
  sequelize: Sequelize;
  /** the application's SQL (db/sql) on this database */
  sql: Sql;
  dialect: ReturnType<typeof dialectOf>;
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and binds the models: what every process does at start. */
export async function startDatabase(url: string, log?: (sql: string) => void): Promise<Database> {
  const sequelize = await openDatabase(url, log);
  const appliedMigrations = await migrate(sequelize);
  initModels(sequelize);
  return { sequelize, sql: sqlOn(sequelize), dialect: dialectOf(url), appliedMigrations, close: () => sequelize.close() };
}
