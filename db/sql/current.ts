import type { Transaction } from 'sequelize';
import { Case } from '../models/index.js';
import type { KyselyPlugin } from 'kysely';
import { forceIndex } from './index-hints.js';
import { sqlOn, type Sql } from './index.js';

/**
 * The application database's SQL for domain code, and its transactions. While some modules still use
 * the models, a transaction is Sequelize's (`Tx`) so both kinds of code can share it; when the last
 * model goes, `Tx` becomes Kysely's own transaction and only this file changes for the callers.
 */
export type Tx = Transaction;

/** Queries on the database the application has open; inside `tx` when given. */
export function appSql(tx?: Tx | null): Sql {
  const sequelize = Case.sequelize;
  if (!sequelize) throw new Error('the database is not open (startDatabase binds it)');
  return sqlOn(sequelize, tx);
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function withTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const sequelize = Case.sequelize;
  if (!sequelize) throw new Error('the database is not open (startDatabase binds it)');
  return sequelize.transaction(work);
}

/** The application database's dialect, for the few statements the two write differently. */
export function appDialect(): 'sqlite' | 'mysql' {
  return Case.sequelize?.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
}

/** `FORCE INDEX` on MySQL/MariaDB for the SELECT's first table (db/sql/index-hints.ts); nothing on SQLite. */
export function throughIndex(index: string): KyselyPlugin {
  return forceIndex(appDialect(), index);
}
