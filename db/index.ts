import type { Sequelize } from 'sequelize';
import { dialectOf, openDatabase } from './connection.js';
import { migrate } from './migrator.js';
import { initModels } from './models/index.js';

export { dialectOf, openDatabase } from './connection.js';
export { migrate } from './migrator.js';

export interface Database {
  sequelize: Sequelize;
  dialect: ReturnType<typeof dialectOf>;
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and binds the models: what every process does at start. */
export async function startDatabase(url: string, log?: (sql: string) => void): Promise<Database> {
  const sequelize = await openDatabase(url, log);
  const appliedMigrations = await migrate(sequelize);
  initModels(sequelize);
  return { sequelize, dialect: dialectOf(url), appliedMigrations, close: () => sequelize.close() };
}
