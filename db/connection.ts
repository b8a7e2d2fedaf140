import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import { sqlite3OnBetterSqlite3 } from './sqlite3-on-better-sqlite3.js';
import { writerTurnOf, type WriterTurn } from './sql/writer-turn.js';

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
    sequelize = new Sequelize({ ...common, dialect: 'sqlite', storage, dialectModule: sqlite3OnBetterSqlite3 });
    // WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA foreign_keys = ON');
    await sequelize.query('PRAGMA busy_timeout = 5000');
    if (storage !== ':memory:') {
      const writer = writerTurnOf(storage);
      reuseTransactionConnections(sequelize, writer);
      const schemaChanged = rememberColumnTypes(sequelize);
      queueAutocommitWrites(sequelize, writer, schemaChanged);
    }
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

interface SqliteConnection {
  uuid?: string;
  run(sql: string, callback: (err: Error | null) => void): void;
  all(sql: string, ...rest: unknown[]): unknown;
  columnTypesRemembered?: boolean;
}
interface SqliteConnectionManager {
  connections: Record<string, SqliteConnection>;
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): void;
  destroyConnection(connection: SqliteConnection): Promise<void>;
}

const WRITE_TYPES = new Set(['INSERT', 'UPDATE', 'BULKUPDATE', 'DELETE', 'BULKDELETE', 'UPSERT']);
const WRITE_SQL = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

const SCHEMA_SQL = /^\s*(CREATE|DROP|ALTER)\b/i;

/** Autocommit writes (no transaction given) take the writer's turn for their statement. */
function queueAutocommitWrites(sequelize: Sequelize, writer: WriterTurn, schemaChanged: () => void): void {
  type Query = (sql: unknown, options?: { transaction?: unknown; type?: string }) => Promise<unknown>;
  const target = sequelize as unknown as { query: Query };
  const query = target.query.bind(sequelize);
  target.query = async (sql, options) => {
    const text = typeof sql === 'string' ? sql : ((sql as { query?: string } | null)?.query ?? '');
    if (SCHEMA_SQL.test(text)) schemaChanged();
    if (options?.transaction || !(WRITE_TYPES.has(options?.type ?? '') || WRITE_SQL.test(text))) return query(sql, options);
    const done = await writer.take();
    try {
      return await query(sql, options);
    } finally {
      done();
    }
  };
}

/** idle connections kept for the next transactions; more than this at once are opened and closed as before */
const IDLE_TRANSACTION_CONNECTIONS = 4;

/**
 * Sequelize's SQLite dialect opens a new sqlite3 connection for every transaction and closes it at
 * the end: each transaction paid for opening the file, reading the schema again and (since the
 * default connection's pragmas do not reach it) setting busy_timeout. Here a connection released
 * after its COMMIT or ROLLBACK went through is kept and handed to the next transaction instead. One
 * connection still serves one transaction at a time; a connection whose commit or rollback failed
 * is destroyed by Sequelize (destroyConnection), never kept. Idle ones stay registered with the
 * connection manager under a key of their own, so closing the database closes them too.
 */
function reuseTransactionConnections(sequelize: Sequelize, writer: WriterTurn): void {
  const cm = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const open = cm.getConnection.bind(cm);
  const close = cm.releaseConnection.bind(cm);
  const destroy = cm.destroyConnection.bind(cm);
  const idle: string[] = [];
  let seq = 0;
  // a transaction holds the writer's turn from getting its connection until it gives it back
  const turns = new Map<SqliteConnection, () => void>();
  const endTurn = (connection: SqliteConnection) => {
    turns.get(connection)?.();
    turns.delete(connection);
  };
  cm.getConnection = async (options) => {
    const uuid = options?.uuid;
    if (!uuid || uuid === 'default') return open(options);
    const done = await writer.take();
    try {
      const idleKey = idle.pop();
      let connection: SqliteConnection;
      if (idleKey) {
        connection = cm.connections[idleKey]!;
        delete cm.connections[idleKey];
        cm.connections[uuid] = connection;
      } else {
        connection = await open(options);
        const c = connection;
        await new Promise<void>((resolve, reject) => c.run('PRAGMA busy_timeout = 5000', (err) => (err ? reject(err) : resolve())));
      }
      turns.set(connection, done);
      return connection;
    } catch (err) {
      done();
      throw err;
    }
  };
  cm.destroyConnection = async (connection) => {
    endTurn(connection);
    await destroy(connection);
  };
  cm.releaseConnection = (connection, force) => {
    const uuid = connection.uuid;
    endTurn(connection);
    if (!uuid || uuid === 'default' || force || idle.length >= IDLE_TRANSACTION_CONNECTIONS || cm.connections[uuid] !== connection) {
      close(connection, force);
      return;
    }
    delete cm.connections[uuid];
    const idleKey = `idle-transaction-connection-${++seq}`;
    cm.connections[idleKey] = connection;
    idle.push(idleKey);
  };
}

/**
 * Sequelize's SQLite dialect asks `PRAGMA table_info(<table>)` before every SELECT (to parse dates and
 * the like by column type) and forgets the answer: every read was two statements, and in the one
 * writer's transactions (see WriterTurn) one in three statements was this question. The answers are
 * kept here per table for all connections; any CREATE, ALTER or DROP through this Sequelize forgets
 * them all (the schema only changes in migrations, before the server takes requests). Returns that
 * "forget" function.
 */
function rememberColumnTypes(sequelize: Sequelize): () => void {
  const cm = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const known = new Map<string, unknown[]>();
  const remember = (connection: SqliteConnection) => {
    if (connection.columnTypesRemembered) return;
    connection.columnTypesRemembered = true;
    const all = connection.all.bind(connection);
    connection.all = (sql: string, ...rest: unknown[]) => {
      const callback = rest[rest.length - 1];
      if (!sql.startsWith('PRAGMA table_info(') || rest.length !== 1 || typeof callback !== 'function') return all(sql, ...rest);
      const rows = known.get(sql);
      if (rows) {
        process.nextTick(() => (callback as (err: null, rows: unknown[]) => void)(null, rows));
        return connection;
      }
      return all(sql, (err: Error | null, answer: unknown[]) => {
        if (!err) known.set(sql, answer);
        (callback as (err: Error | null, rows: unknown[]) => void)(err, answer);
      });
    };
  };
  for (const connection of Object.values(cm.connections)) remember(connection);
  const getConnection = cm.getConnection.bind(cm);
  cm.getConnection = async (options) => {
    const connection = await getConnection(options);
    remember(connection);
    return connection;
  };
  return () => known.clear();
}
