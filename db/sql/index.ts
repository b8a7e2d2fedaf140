import { SqliteAdapter, type Kysely, type LogEvent } from 'kysely';
import { resolve } from 'node:path';
import type { Tables } from './schema.js';

/**
 * The one way the application writes SQL for both databases: Kysely's typed query builder over the
 * tables of db/sql/schema.ts (columns in camelCase). Values cross as db/sql/values.ts says (dates as
 * Date, BIGINT keys as strings, booleans as booleans); JSON kept in TEXT is parsed by its reader.
 */
export type Sql = Kysely<Tables>;
export type { Tables } from './schema.js';

/** Which database a `DATABASE_URL` names. */
export function dialectOf(url: string): 'sqlite' | 'mysql' {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got ${url})`);
}

/** The SQLite file path of a `sqlite:<path>` URL (`sqlite::memory:` stays in memory). */
export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === ':memory:' ? path : resolve(path);
}

/** Which database `db` speaks to (for the few statements the two write differently). */
export function sqlDialect(db: Kysely<Tables>): 'sqlite' | 'mysql' {
  // by name too: a second copy of kysely (a bundle, a test loading the driver apart) fails instanceof
  const adapter = db.getExecutor().adapter;
  return adapter instanceof SqliteAdapter || adapter.constructor.name === 'SqliteAdapter' ? 'sqlite' : 'mysql';
}

/**
 * Listeners to every statement the application's SQL sends (with its bound values), for the profiling
 * benchmarks (bench/intake-profile.ts, bench/keyset-plans.ts); none in normal running.
 */
type StatementListener = (sql: string, parameters: readonly unknown[]) => void;
const statementListeners = new Set<StatementListener>();

/** Hears every statement from now on; the function returned stops it. */
export function onStatement(listener: StatementListener): () => void {
  statementListeners.add(listener);
  return () => statementListeners.delete(listener);
}

/** Kysely's log hook, kept cheap while nobody listens */
const log = (event: LogEvent) => {
  for (const listener of statementListeners) listener(event.query.sql, event.query.parameters);
};

/**
 * The application's SQL on its own connections (better-sqlite3 or mysql2): what every
 * process opens at start (db/index.ts `startDatabase`; docs/architecture.md, "Data layer"). Close it with `destroy()`.
 */
export async function openSql(url: string): Promise<Sql> {
  if (dialectOf(url) === 'sqlite') {
    const { sqliteSql } = await import('./sqlite-driver.js');
    return sqliteSql(sqlitePath(url), log);
  }
  const { mysqlSql } = await import('./mysql-driver.js');
  return mysqlSql(url, 10, log);
}
