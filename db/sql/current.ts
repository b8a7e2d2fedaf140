import type { KyselyPlugin, Transaction } from 'kysely';
import { forceIndex } from './index-hints.js';
import { sqlDialect, type Sql, type Tables } from './index.js';

/**
 * The application database's SQL for domain code, and its transactions: the handle the process opened
 * at start (db/index.ts `startDatabase` binds it), on the drivers of db/sql/sqlite-driver.ts and
 * db/sql/mysql-driver.ts.
 */
export type Tx = Transaction<Tables>;

let bound: { sql: Sql; dialect: 'sqlite' | 'mysql' } | null = null;

/** Makes `sql` the application's database (one at a time: tests bind each suite's own). */
export function bindAppSql(sql: Sql): void {
  bound = { sql, dialect: sqlDialect(sql) };
}

/** Forgets `sql` if it is the bound one (when it is closed). */
export function unbindAppSql(sql: Sql): void {
  if (bound?.sql === sql) bound = null;
}

function current(): { sql: Sql; dialect: 'sqlite' | 'mysql' } {
  if (!bound) throw new Error('the database is not open (startDatabase binds it)');
  return bound;
}

/** Queries on the database the application has open; inside `tx` when given. */
export function appSql(tx?: Tx | null): Sql {
  return tx ?? current().sql;
}

const afterCommit = new WeakMap<Tx, Array<() => void>>();

/** Runs `then` once `tx` has committed (never if it rolls back). */
export function onCommit(tx: Tx, then: () => void): void {
  let list = afterCommit.get(tx);
  if (!list) afterCommit.set(tx, (list = []));
  list.push(then);
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  let opened: Tx | null = null;
  const result = await current()
    .sql.transaction()
    .execute((tx) => {
      opened = tx;
      return work(tx);
    });
  const then = opened ? afterCommit.get(opened) : undefined;
  for (const fn of then ?? []) fn();
  return result;
}

/** The application database's dialect, for the few statements the two write differently. */
export function appDialect(): 'sqlite' | 'mysql' {
  return current().dialect;
}

/** `FORCE INDEX` on MySQL/MariaDB for the SELECT's first table (db/sql/index-hints.ts); nothing on SQLite. */
export function throughIndex(index: string): KyselyPlugin {
  return forceIndex(appDialect(), index);
}
