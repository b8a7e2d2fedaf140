import { createPool } from 'mysql2';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  MysqlAdapter,
  MysqlDriver,
  MysqlIntrospector,
  MysqlQueryCompiler,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type LogEvent,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { kindsOf } from './column-kinds.js';
import type { Tables } from './schema.js';
import { convertRow, toParameter } from './values.js';

/**
 * The application's MySQL/MariaDB: Kysely's own MySQL driver over a mysql2 pool (both through their
 * public APIs), with the values crossing as db/sql/values.ts says. Times are UTC on the wire
 * (`timezone: 'Z'`), BIGINTs arrive as strings, and utf8mb4 carries every character of a complaint.
 */
class ConvertingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  private static bound(compiled: CompiledQuery): CompiledQuery {
    return { ...compiled, parameters: compiled.parameters.map((p) => toParameter('mysql', p)) };
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<Record<string, unknown>>(ConvertingConnection.bound(compiled));
    const kinds = kindsOf(compiled.query);
    return { ...result, rows: result.rows.map((row) => convertRow(row, kinds) as R) };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const kinds = kindsOf(compiled.query);
    for await (const result of this.inner.streamQuery<Record<string, unknown>>(ConvertingConnection.bound(compiled), chunkSize)) {
      yield { ...result, rows: result.rows.map((row) => convertRow(row, kinds) as R) };
    }
  }
}

class ConvertingDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, ConvertingConnection>();
  constructor(private readonly inner: MysqlDriver) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.inner.acquireConnection();
    let c = this.wrapped.get(inner);
    if (!c) this.wrapped.set(inner, (c = new ConvertingConnection(inner)));
    return c;
  }
  private innerOf = (c: DatabaseConnection) => (c as ConvertingConnection).inner as never;
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(this.innerOf(c), settings);
  }
  commitTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(this.innerOf(c));
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(this.innerOf(c));
  }
  savepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    return this.inner.savepoint(this.innerOf(c), name, compile);
  }
  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    return this.inner.rollbackToSavepoint(this.innerOf(c), name, compile);
  }
  releaseSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    return this.inner.releaseSavepoint(this.innerOf(c), name, compile);
  }
  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(this.innerOf(c));
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The application's SQL on the MySQL/MariaDB database of `url` (`mysql://` or `mariadb://`). */
export function mysqlSql(url: string, connections = 10, log?: (event: LogEvent) => void): Kysely<Tables> {
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectionLimit: connections,
  });
  const dialect: KyselyDialect = {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new ConvertingDriver(new MysqlDriver({ pool })),
    createQueryCompiler: () => new MysqlQueryCompiler(),
    createIntrospector: (db) => new MysqlIntrospector(db),
  };
  return new Kysely<Tables>({ dialect, plugins: [new CamelCasePlugin()], ...(log ? { log } : {}) });
}
