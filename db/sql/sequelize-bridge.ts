import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { QueryTypes, Transaction as SequelizeTransaction, type Sequelize } from 'sequelize';
import { kindsOf } from './column-kinds.js';
import type { Tables } from './schema.js';
import { convertRow, toParameter, type Dialect } from './values.js';

/**
 * Kysely's queries executed through the application's open Sequelize connection — the bridge while
 * the models are being retired (docs/architecture.md, "Data layer"). Every query written with Kysely
 * today runs on the same connections, the same SQLite writer's turn and, when given one, the same
 * Sequelize transaction as the model code around it, so a module can move to Kysely on its own.
 * When the last model is gone this file is replaced by drivers over better-sqlite3 and mysql2;
 * the queries written against `Sql` do not change.
 */

/** `$1`, `$2` …: the placeholders Sequelize's `bind` takes on both dialects (prepared once per text) */
class NumberedSqliteCompiler extends SqliteQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return `$${this.numParameters}`;
  }
}
class NumberedMysqlCompiler extends MysqlQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return `$${this.numParameters}`;
  }
}

const RETURNS_ROWS = /^\s*(SELECT|WITH|PRAGMA|SHOW|EXPLAIN|VALUES)\b/i;
const VERB = /^\s*(INSERT|REPLACE|UPDATE|DELETE)\b/i;

class BridgeConnection implements DatabaseConnection {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
    public transaction: SequelizeTransaction | null,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const bind = compiled.parameters.map((p) => toParameter(this.dialect, p));
    const options = { bind: bind.length ? bind : undefined, transaction: this.transaction, raw: true };
    const node = compiled.query;
    const returning = (node as { returning?: unknown }).returning !== undefined;
    if (node.kind === 'SelectQueryNode' || returning || (node.kind === 'RawNode' && RETURNS_ROWS.test(compiled.sql))) {
      const rows = await this.sequelize.query<Record<string, unknown>>(compiled.sql, { ...options, type: QueryTypes.SELECT });
      const kinds = kindsOf(node);
      return { rows: rows.map((row) => convertRow(row, kinds) as R) };
    }
    const verb =
      node.kind === 'InsertQueryNode'
        ? 'INSERT'
        : node.kind === 'UpdateQueryNode'
          ? 'UPDATE'
          : node.kind === 'DeleteQueryNode'
            ? 'DELETE'
            : VERB.exec(compiled.sql)?.[1]?.toUpperCase();
    if (verb === 'INSERT' || verb === 'REPLACE') {
      const [insertId, affected] = await this.sequelize.query(compiled.sql, { ...options, type: QueryTypes.INSERT });
      return {
        rows: [],
        insertId: insertId === undefined || insertId === null ? undefined : BigInt(insertId as number | string),
        numAffectedRows: BigInt(Number(affected ?? 0)),
      };
    }
    if (verb === 'UPDATE') {
      const [, affected] = await this.sequelize.query(compiled.sql, { ...options, type: QueryTypes.UPDATE });
      return { rows: [], numAffectedRows: BigInt(Number(affected ?? 0)) };
    }
    if (verb === 'DELETE') {
      const affected = await this.sequelize.query(compiled.sql, { ...options, type: QueryTypes.BULKDELETE });
      return { rows: [], numAffectedRows: BigInt(Number(affected ?? 0)) };
    }
    await this.sequelize.query(compiled.sql, { ...options, type: QueryTypes.RAW });
    return { rows: [] };
  }

  /** Sequelize reads a whole answer at once: the rows are handed on in chunks of that answer. */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let from = 0; from < rows.length; from += chunkSize) yield { rows: rows.slice(from, from + chunkSize) };
  }
}

const ISOLATION: Record<string, string> = {
  'read uncommitted': SequelizeTransaction.ISOLATION_LEVELS.READ_UNCOMMITTED,
  'read committed': SequelizeTransaction.ISOLATION_LEVELS.READ_COMMITTED,
  'repeatable read': SequelizeTransaction.ISOLATION_LEVELS.REPEATABLE_READ,
  serializable: SequelizeTransaction.ISOLATION_LEVELS.SERIALIZABLE,
};

class BridgeDriver implements Driver {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
    private readonly outer: SequelizeTransaction | null,
  ) {}

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new BridgeConnection(this.sequelize, this.dialect, this.outer);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // one transaction at a time per connection: inside the model code's transaction, use that one
    if (this.outer) throw new Error('already inside a transaction: run the queries on it instead of opening another');
    const isolationLevel = settings.isolationLevel ? ISOLATION[settings.isolationLevel] : undefined;
    if (settings.isolationLevel && !isolationLevel) throw new Error(`isolation level ${settings.isolationLevel} is not offered here`);
    (connection as BridgeConnection).transaction = await this.sequelize.transaction(isolationLevel ? { isolationLevel: isolationLevel as never } : {});
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BridgeConnection;
    const t = c.transaction;
    c.transaction = null;
    await t?.commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BridgeConnection;
    const t = c.transaction;
    c.transaction = null;
    await t?.rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.raw(connection, `SAVEPOINT ${name}`);
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.raw(connection, `ROLLBACK TO SAVEPOINT ${name}`);
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.raw(connection, `RELEASE SAVEPOINT ${name}`);
  }

  private async raw(connection: DatabaseConnection, text: string): Promise<void> {
    await this.sequelize.query(text, { transaction: (connection as BridgeConnection).transaction, type: QueryTypes.RAW });
  }

  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {} // the Sequelize instance belongs to whoever opened it
}

function bridgeDialect(sequelize: Sequelize, outer: SequelizeTransaction | null): KyselyDialect {
  const dialect: Dialect = sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
  return {
    createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new MysqlAdapter()),
    createDriver: () => new BridgeDriver(sequelize, dialect, outer),
    createQueryCompiler: () => (dialect === 'sqlite' ? new NumberedSqliteCompiler() : new NumberedMysqlCompiler()),
    createIntrospector: (db) => (dialect === 'sqlite' ? new SqliteIntrospector(db) : new MysqlIntrospector(db)),
  };
}

export function bridgeKysely(sequelize: Sequelize, outer: SequelizeTransaction | null): Kysely<Tables> {
  return new Kysely<Tables>({ dialect: bridgeDialect(sequelize, outer), plugins: [new CamelCasePlugin()] });
}
