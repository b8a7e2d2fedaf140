import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize, type Options } from 'sequelize';

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got ${url})`);
}

/** The SQLite file path of a `sqlite:<path>` URL (`sqlite::memory:` stays in memory). */
export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === ':memory:' ? path : resolve(path);
}

/**
 * Opens the database. Times are stored in UTC on both dialects; MySQL uses utf8mb4 so
 * every Chinese character (and emoji in a citizen's complaint) fits.
 */
export async function openDatabase(url: string, log?: (sql: string) => void): Promise<Sequelize> {
  const common: Options = { logging: log ?? false, define: { underscored: true } };
  let sequelize: Sequelize;
  if (dialectOf(url) === 'sqlite') {
    const storage = sqlitePath(url);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    sequelize = new Sequelize({ ...common, dialect: 'sqlite', storage });
    // WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA foreign_keys = ON');
    await sequelize.query('PRAGMA busy_timeout = 5000');
  } else {
    sequelize = new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
      ...common,
      dialect: 'mysql',
      timezone: '+00:00',
      dialectOptions: { charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true },
      define: { ...common.define, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
      pool: { max: 10, min: 0, idle: 10_000 },
    });
  }
  await sequelize.authenticate();
  return sequelize;
}
