import { SqliteAdapter, type Kysely } from 'kysely';
import type { Sequelize, Transaction } from 'sequelize';
import { sqlitePath } from '../connection.js';
import { bridgeKysely } from './sequelize-bridge.js';
import type { Tables } from './schema.js';

/**
 * The one way the application writes SQL for both databases: Kysely's typed query builder over the
 * tables of db/sql/schema.ts (columns in camelCase). Values cross as db/sql/values.ts says (dates as
 * Date, BIGINT keys as strings, booleans as booleans); JSON kept in TEXT is parsed by its reader.
 */
export type Sql = Kysely<Tables>;
export type { Tables } from './schema.js';

const roots = new WeakMap<Sequelize, Sql>();
const inTransaction = new WeakMap<Transaction, Sql>();

/**
 * The queries' entry point on this database; given a Sequelize transaction (code not yet moved to
 * Kysely opened it), the queries run inside it.
 */
export function sqlOn(sequelize: Sequelize, transaction?: Transaction | null): Sql {
  if (transaction) {
    let sql = inTransaction.get(transaction);
    if (!sql) inTransaction.set(transaction, (sql = bridgeKysely(sequelize, transaction)));
    return sql;
  }
  let sql = roots.get(sequelize);
  if (!sql) roots.set(sequelize, (sql = bridgeKysely(sequelize, null)));
  return sql;
}

/** Which database `db` speaks to (for the few statements the two write differently). */
export function sqlDialect(db: Kysely<Tables>): 'sqlite' | 'mysql' {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'mysql';
}

/**
 * The application's SQL on its own connections (better-sqlite3 or mysql2), without Sequelize: what every
 * process opens once the last model is gone (docs/architecture.md, "Data layer"). Close it with `destroy()`.
 */
export async function openSql(url: string): Promise<Sql> {
  if (url.startsWith('sqlite:')) {
    const { sqliteSql } = await import('./sqlite-driver.js');
    return sqliteSql(sqlitePath(url));
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    const { mysqlSql } = await import('./mysql-driver.js');
    return mysqlSql(url);
  }
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got ${url})`);
}
