import Database, { type Statement } from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type LogEvent,
  type QueryResult,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { traceActivity } from '../../engine/activity-trace.js';
import { DEFERRED_SYNC_PRAGMAS, keepWalCheckpointed, walDurabilityOf, type WalDurability } from '../../engine/store/wal-durability.js';
import { kindsOf } from './column-kinds.js';
import type { ColumnKind, Tables } from './schema.js';
import { convertRow, toParameter } from './values.js';
import { writerTurnOf, type WriterTurn } from './writer-turn.js';

/**
 * The application's SQLite, straight on better-sqlite3 (its public API): one writer handle, whose
 * writers take turns (db/sql/writer-turn.ts), and one reader handle for reads outside a transaction, which
 * WAL lets run beside the writer and which see only committed rows. Integers are read as BigInt
 * (`safeIntegers`), so a BIGINT key keeps every digit; other integers come back as numbers.
 */
const PREPARED_KEPT = 500;
/** statements slower than this show in an activity trace (engine/activity-trace.ts, `LOOP_TRACE=1`), named by their first words */
const SLOW_STATEMENT_MS = 5;
const statementVerb = (sql: string) => sql.trimStart().split(/\s+/u, 3).join(' ').slice(0, 40);

class Handle {
  private readonly prepared = new Map<string, Statement>();
  constructor(readonly db: Database.Database) {}

  statement(sql: string): Statement {
    let s = this.prepared.get(sql);
    if (s) {
      // most recently used last: the oldest goes first when the cache is full
      this.prepared.delete(sql);
      this.prepared.set(sql, s);
      return s;
    }
    s = this.db.prepare(sql);
    if (s.reader) s.safeIntegers(true);
    if (this.prepared.size >= PREPARED_KEPT) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(sql, s);
    return s;
  }

  close(): void {
    this.prepared.clear();
    this.db.close();
  }
}

function open(file: string, readonly: boolean): Handle {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (readonly) db.pragma('query_only = ON');
  // an acknowledged write survives a power cut, not only a process crash: a file's commits are made
  // durable by an fsync off the event loop's thread before they are answered (engine/store/wal-durability.ts)
  else if (file !== ':memory:') for (const pragma of DEFERRED_SYNC_PRAGMAS) db.pragma(pragma);
  return new Handle(db);
}

/** integers as read (BigInt): a BIGINT column's as a string, any other's as a number */
function integers(row: Record<string, unknown>, kinds: Readonly<Record<string, ColumnKind>>): Record<string, unknown> {
  for (const name in row) {
    const v = row[name];
    if (typeof v !== 'bigint') continue;
    row[name] = kinds[name] === 'bigint' || v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER) ? v.toString() : Number(v);
  }
  return row;
}

/**
 * Inside a transaction the answer comes at once: its statements run through while it holds the writer's
 * turn. Every other answer, and the end of a transaction, waits for the event loop's next turn: better-sqlite3
 * answers synchronously, so without this a long run of awaited statements (a worker's batch, the history
 * pump's 200 events, a loop of transactions) would never let an HTTP request, a timer or a child process's
 * exit in between.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Statements outside a transaction that are ready together (the handlers of a worker's batch, each awaiting
 * its read) all resume in one check phase of the loop, and setImmediate runs every callback queued before
 * the phase began: thirty 15 ms reads there held the loop 450 ms. So the time such statements spend on this
 * thread is counted per turn, and once it passes the budget the next one waits for a timer, which runs after
 * the loop has polled I/O and fired the other timers.
 */
const TURN_BUDGET_MS = 10;
let spentThisTurn = 0;
let resetQueued = false;
const laterTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
function spent(ms: number): void {
  spentThisTurn += ms;
  if (resetQueued) return;
  resetQueued = true;
  setTimeout(() => {
    spentThisTurn = 0;
    resetQueued = false;
  }, 0);
}

/** a statement that may read on the reader (better-sqlite3 confirms it is read-only once prepared) */
const READS = /^\s*(select|with)\b/i;

class SqliteConnection implements DatabaseConnection {
  /** set while this connection holds a transaction: its statements go to the writer */
  endTurn: (() => void) | null = null;

  constructor(
    private readonly writer: Handle,
    private readonly reader: Handle | null,
    private readonly turn: WriterTurn,
    private readonly durability: WalDurability | null,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const params = compiled.parameters.map((p) => toParameter('sqlite', p));
    const inTransaction = this.endTurn !== null;
    // checked with nothing awaited between the check and the statement (checked again on waking: the
    // others that waited wake in the same timers phase)
    while (!inTransaction && spentThisTurn >= TURN_BUDGET_MS) await laterTurn();
    const started = inTransaction ? 0 : performance.now();
    if (!inTransaction && this.reader && READS.test(compiled.sql)) {
      const statement = this.reader.statement(compiled.sql);
      if (statement.readonly) {
        const rows = this.read<R>(statement, params, compiled);
        spent(performance.now() - started);
        await nextTurn();
        return { rows };
      }
    }
    const statement = this.writer.statement(compiled.sql);
    const write = () => {
      if (statement.reader) return { rows: this.read<R>(statement, params, compiled) };
      // better-sqlite3 runs on this thread: a slow statement holds the event loop, so the stall trace names it
      const traced = traceActivity(`sql:app ${statementVerb(compiled.sql)}`, 0, SLOW_STATEMENT_MS);
      const { changes, lastInsertRowid } = statement.run(params);
      traced();
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    };
    if (inTransaction) return write();
    const done = await this.turn.take();
    let result: QueryResult<R>;
    const writeStarted = performance.now();
    try {
      result = write();
    } finally {
      done();
      spent(performance.now() - writeStarted);
    }
    if (this.durability && !statement.readonly) await this.durability.durable();
    else await nextTurn();
    return result;
  }

  private read<R>(statement: Statement, params: unknown[], compiled: CompiledQuery): R[] {
    const traced = traceActivity(`sql:app ${statementVerb(compiled.sql)}`, 0, SLOW_STATEMENT_MS);
    try {
      const kinds = kindsOf(compiled.query);
      return (statement.all(params) as Array<Record<string, unknown>>).map((row) => convertRow(integers(row, kinds), kinds) as R);
    } finally {
      traced();
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const handle = this.endTurn === null && this.reader ? this.reader : this.writer;
    const statement = handle.statement(compiled.sql);
    const kinds = kindsOf(compiled.query);
    let chunk: R[] = [];
    for (const row of statement.iterate(compiled.parameters.map((p) => toParameter('sqlite', p)))) {
      chunk.push(convertRow(integers(row as Record<string, unknown>, kinds), kinds) as R);
      if (chunk.length >= chunkSize) {
        yield { rows: chunk };
        chunk = [];
      }
    }
    if (chunk.length) yield { rows: chunk };
  }

  exec(text: string): void {
    this.writer.db.exec(text);
  }
}

class SqliteDriver implements Driver {
  private writer: Handle | null = null;
  private reader: Handle | null = null;
  private readonly turn: WriterTurn;
  private durability: WalDurability | null = null;
  private releaseCheckpointer: (() => Promise<void>) | null = null;

  constructor(private readonly file: string) {
    this.turn = writerTurnOf(file);
  }

  async init(): Promise<void> {
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    this.writer = open(this.file, false);
    // an in-memory database is one handle's own: it has no second reader, and nothing to sync
    this.reader = this.file === ':memory:' ? null : open(this.file, true);
    if (this.file !== ':memory:') {
      this.durability = walDurabilityOf(this.file);
      this.releaseCheckpointer = keepWalCheckpointed(this.file);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SqliteConnection(this.writer!, this.reader, this.turn, this.durability);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SqliteConnection;
    const done = await this.turn.take();
    try {
      c.exec('BEGIN IMMEDIATE');
    } catch (err) {
      done();
      throw err;
    }
    c.endTurn = done;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.end(connection as SqliteConnection, 'COMMIT');
    // answered once on disk (that wait is a turn of the event loop too)
    if (this.durability) await this.durability.durable();
    else await nextTurn();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.end(connection as SqliteConnection, 'ROLLBACK');
    await nextTurn();
  }

  private end(c: SqliteConnection, verb: 'COMMIT' | 'ROLLBACK'): void {
    const done = c.endTurn;
    try {
      c.exec(verb);
    } finally {
      c.endTurn = null;
      done?.();
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`SAVEPOINT ${name}`);
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`ROLLBACK TO SAVEPOINT ${name}`);
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`RELEASE SAVEPOINT ${name}`);
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.reader?.close();
    this.writer?.close();
    this.reader = this.writer = null;
    await this.releaseCheckpointer?.();
    this.releaseCheckpointer = null;
  }
}

/** The application's SQL on the SQLite file at `path` (`:memory:` for a private in-memory database). */
export function sqliteSql(path: string, log?: (event: LogEvent) => void): Kysely<Tables> {
  const file = path === ':memory:' ? path : resolve(path);
  const dialect: KyselyDialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SqliteDriver(file),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
  return new Kysely<Tables>({ dialect, plugins: [new CamelCasePlugin()], ...(log ? { log } : {}) });
}
