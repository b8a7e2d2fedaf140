import { SqliteAdapter, type Kysely } from 'kysely';
import type { Sequelize, Transaction } from 'sequelize';
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
