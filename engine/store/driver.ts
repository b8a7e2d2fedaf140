/**
 * The engine's own thin SQL access. The engine does not use the app's ORM: it needs prepared
 * statements, explicit transactions and savepoints, and nothing else.
 */
export type Dialect = 'sqlite' | 'mysql';
export type SqlValue = string | number | null;

export interface SqlDriver {
  readonly dialect: Dialect;
  /** Runs a statement on the writer connection; returns the number of affected rows. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * A write on the writer connection whose outcome the caller does not look at. A driver may hold it and
   * send it with the next statement (MySQL: the writes between two reads in one round trip); a failure
   * then rejects that next statement instead, still inside the same transaction. A ROLLBACK (to a
   * savepoint) drops held writes that it would undo anyway.
   */
  write(sql: string, params?: readonly SqlValue[]): Promise<void>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs DDL or several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** A query outside the writer's current transaction: sees only committed state. */
  read<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface DriverOptions {
  /** SQLite `synchronous` pragma: FULL survives power loss, NORMAL survives a process crash. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

export async function openDriver(url: string, options: DriverOptions = {}): Promise<SqlDriver> {
  if (url.startsWith('sqlite:')) {
    const { SqliteDriver } = await import('./sqlite-driver.js');
    return new SqliteDriver(url.slice('sqlite:'.length), options);
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    const { MysqlDriver } = await import('./mysql-driver.js');
    return MysqlDriver.connect(url.replace(/^mariadb:/, 'mysql:'));
  }
  throw new Error(`engine database URL must start with sqlite: or mysql:// (got ${url})`);
}
