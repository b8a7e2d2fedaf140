import { EventEmitter } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { traceActivity } from '../engine/activity-trace.js';

/**
 * The part of node-sqlite3's callback API that Sequelize's SQLite dialect uses, served by better-sqlite3
 * (handed to Sequelize as its `dialectModule`).
 *
 * Why: with node-sqlite3 every statement hops to libuv's thread pool and back, and a transaction holds
 * the one writer's turn (see WriterTurn in connection.ts) across all those hops, interleaved with every
 * other request on the event loop; under intake load the writer sat idle between statements and the
 * server topped out with a third of its main thread idle. better-sqlite3 runs a statement in a few
 * microseconds on the calling thread, so a transaction's statements follow one another without
 * waiting. The callbacks still come asynchronously (process.nextTick), as Sequelize expects.
 *
 * A lock held by another process is waited for by SQLite's busy handler on this thread (busy_timeout);
 * writers of this process never meet each other there because they take turns first.
 */

type Callback = (this: unknown, err: Error | null, rows?: unknown) => void;
type Param = string | number | bigint | Buffer | null;

/** what node-sqlite3 passes as `this` to a run callback; Sequelize checks the constructor's name */
class Statement {
  constructor(
    readonly lastID: number,
    readonly changes: number,
  ) {}
}

/** node-sqlite3's errors: `code` is the primary result code and the message starts with it */
function asSqlite3Error(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const extended = (err as Error & { code?: string }).code;
  if (typeof extended !== 'string' || !extended.startsWith('SQLITE_')) return err;
  const code = extended.split('_').slice(0, 2).join('_');
  const converted = new Error(`${code}: ${err.message}`) as Error & { code: string; extendedCode: string };
  converted.code = code;
  converted.extendedCode = extended;
  return converted;
}

/** node-sqlite3 binds booleans as 1/0, undefined as NULL and dates as epoch milliseconds; better-sqlite3 refuses them */
function bindable(value: unknown): Param {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value as Param;
}

/** `$1`, `$2` … (Sequelize's bind parameters) are named parameters to better-sqlite3: bound by number */
function bindings(statement: BetterSqlite3.Statement, params: unknown): Param[] | Record<string, Param> {
  if (params === undefined || params === null) return [];
  if (Array.isArray(params)) {
    if (!params.length) return [];
    // only statements with `$n` parameters take an object; `?` placeholders take the array as it is
    if (!/\$\d/.test(statement.source)) return params.map(bindable);
    const named: Record<string, Param> = {};
    params.forEach((v, i) => {
      named[String(i + 1)] = bindable(v);
    });
    return named;
  }
  const named: Record<string, Param> = {};
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) named[k.replace(/^[$:@]/, '')] = bindable(v);
  return named;
}

const noParameters = (params: unknown) =>
  params === undefined || params === null || (Array.isArray(params) && params.length === 0) || (typeof params === 'object' && Object.keys(params).length === 0);

/** what the lifting stops at: identifiers, string literals, parameters and comments */
const SPECIAL = /[`"'?$:@]|--|\/\*/g;

/**
 * Sequelize writes the values of a SELECT's conditions into its text ('…' WHERE `id` = '42'), so nearly
 * every read was a text never seen before and SQLite compiled it afresh — a quarter of the statements'
 * time under load. The string literals of a SELECT without parameters are lifted out as parameters
 * (`?`), so one compiled statement serves every id. Anything unusual (parameters already, a blob
 * literal, a quote left open) is left as it was.
 */
function liftStringLiterals(sql: string): { text: string; values: string[] } | null {
  if (!/^\s*SELECT\b/i.test(sql)) return null;
  let text = '';
  const values: string[] = [];
  let from = 0; // copied up to here
  SPECIAL.lastIndex = 0;
  for (let m = SPECIAL.exec(sql); m; m = SPECIAL.exec(sql)) {
    const at = m.index;
    const c = m[0];
    if (c === '`' || c === '"') {
      // an identifier: copied as it is
      const end = sql.indexOf(c, at + 1);
      if (end < 0) return null;
      SPECIAL.lastIndex = end + 1;
      continue;
    }
    if (c !== "'") return null; // parameters or comments of its own: not ours to rewrite
    if (/[xX]/.test(sql[at - 1] ?? '')) return null; // a blob literal X'…'
    let value = '';
    let j = at + 1;
    for (;;) {
      const end = sql.indexOf("'", j);
      if (end < 0) return null;
      value += sql.slice(j, end);
      if (sql[end + 1] === "'") {
        value += "'";
        j = end + 2;
      } else {
        j = end + 1;
        break;
      }
    }
    values.push(value);
    text += `${sql.slice(from, at)}?`;
    from = j;
    SPECIAL.lastIndex = j;
  }
  return values.length ? { text: text + sql.slice(from), values } : null;
}

/** most statements kept prepared per connection; the oldest goes first (texts with values written in are rarely seen twice) */
const PREPARED_KEPT = 500;
const MULTIPLE_STATEMENTS = /more than one statement/i;
/** statements slower than this show in an activity trace (engine/activity-trace.ts), named by their first words */
const SLOW_STATEMENT_MS = 5;
const statementVerb = (sql: string) => sql.trimStart().split(/\s+/u, 3).join(' ').slice(0, 40);
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK|END)\b/i;

/**
 * Sequelize reads the stack of an Error made before every query, for the error it might report, and
 * Node formats stacks through the source maps (tsx's, Sequelize's own): a tenth of the server's CPU
 * under intake load went there. While Sequelize handles an answer that is not an error, that stack is
 * thrown away unread, so it is not formatted at all; for an error it is formatted as V8 gives it
 * (compiled positions rather than the TypeScript lines).
 */
const plainStack = (error: Error, frames: NodeJS.CallSite[]) => `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join('')}`;
const unreadStack = () => '';
function withCheapStacks(failed: boolean, fn: () => void): void {
  const before = Error.prepareStackTrace;
  Error.prepareStackTrace = failed ? plainStack : unreadStack;
  try {
    fn();
  } finally {
    Error.prepareStackTrace = before;
  }
}

class Database extends EventEmitter {
  readonly filename: string;
  private readonly db: BetterSqlite3.Database;
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();

  constructor(filename: string, mode?: number | Callback, callback?: Callback) {
    super();
    const cb = typeof mode === 'function' ? mode : callback;
    const flags = typeof mode === 'number' ? mode : OPEN_READWRITE | OPEN_CREATE;
    this.filename = filename;
    let opened: BetterSqlite3.Database | null = null;
    let failure: Error | null = null;
    try {
      opened = new BetterSqlite3(filename, {
        readonly: (flags & OPEN_READWRITE) === 0,
        fileMustExist: (flags & OPEN_CREATE) === 0 && filename !== ':memory:',
      });
      // better-sqlite3 is built to open WAL databases with synchronous=NORMAL (survives a process crash,
      // may lose the last commits in a power cut); node-sqlite3, which Sequelize expects, keeps SQLite's
      // FULL, and an acknowledged report must survive a power cut, so every connection commits with FULL
      if (!opened.readonly) opened.pragma('synchronous = FULL');
    } catch (err) {
      failure = asSqlite3Error(err);
    }
    this.db = opened!;
    process.nextTick(() => {
      if (cb) cb.call(this, failure);
      else if (failure) this.emit('error', failure);
      else this.emit('open');
    });
  }

  serialize(callback?: () => void): void {
    // better-sqlite3 runs every statement to its end before the next: serialised already
    callback?.();
  }

  run(sql: string, ...rest: unknown[]): this {
    return this.execute(sql, rest, (statement, params) => {
      const result = statement.run(params);
      return { self: new Statement(Number(result.lastInsertRowid), result.changes), rows: undefined };
    });
  }

  all(sql: string, ...rest: unknown[]): this {
    return this.execute(sql, rest, (statement, params) => {
      if (statement.reader) return { self: statement, rows: statement.all(params) };
      // BEGIN, COMMIT, PRAGMA x = y … come here too: they return no rows
      const result = statement.run(params);
      return { self: new Statement(Number(result.lastInsertRowid), result.changes), rows: [] };
    });
  }

  exec(sql: string, callback?: Callback): this {
    let failure: Error | null = null;
    const traced = traceActivity(`sql:app ${statementVerb(sql)}`, 0, SLOW_STATEMENT_MS);
    try {
      this.db.exec(sql);
    } catch (err) {
      failure = asSqlite3Error(err);
    }
    traced();
    this.answer(callback, this, failure);
    return this;
  }

  close(callback?: Callback): void {
    let failure: Error | null = null;
    try {
      this.prepared.clear();
      if (this.db?.open) this.db.close();
    } catch (err) {
      failure = asSqlite3Error(err);
    }
    this.answer(callback, this, failure);
  }

  private execute(
    sql: string,
    rest: unknown[],
    work: (statement: BetterSqlite3.Statement, params: Param[] | Record<string, Param>) => { self: unknown; rows: unknown },
  ): this {
    const callback = typeof rest[rest.length - 1] === 'function' ? (rest.pop() as Callback) : undefined;
    const params = rest.length > 1 ? rest : rest[0];
    let outcome: { self: unknown; rows: unknown } = { self: this, rows: undefined };
    let failure: Error | null = null;
    const traced = traceActivity(`sql:app ${statementVerb(sql)}`, 0, SLOW_STATEMENT_MS);
    try {
      const lifted = noParameters(params) ? liftStringLiterals(sql) : null;
      const statement = this.statement(lifted ? lifted.text : sql);
      if (statement) outcome = work(statement, lifted ? lifted.values : bindings(statement, params));
      else {
        // several statements in one text (no parameters possible): run them all
        this.db.exec(sql);
        outcome = { self: new Statement(0, 0), rows: [] };
      }
    } catch (err) {
      failure = asSqlite3Error(err);
    }
    traced();
    this.answer(callback, outcome.self, failure, outcome.rows, sql);
    return this;
  }

  /** the prepared statement for a text, or null when the text holds several statements */
  private statement(sql: string): BetterSqlite3.Statement | null {
    const known = this.prepared.get(sql);
    if (known) return known;
    let statement: BetterSqlite3.Statement;
    try {
      statement = this.db.prepare(sql);
    } catch (err) {
      if (err instanceof RangeError && MULTIPLE_STATEMENTS.test(err.message)) return null;
      throw err;
    }
    if (this.prepared.size >= PREPARED_KEPT) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(sql, statement);
    return statement;
  }

  /**
   * Inside a transaction (Sequelize names the connection after it) the answer comes at once: the
   * statements run through while the transaction holds the writer's turn. Every other answer, and the
   * end of a transaction, waits for the event loop's next turn (setImmediate): with only nextTick a
   * long run of awaited statements — a worker's batch, the history pump's 200 events, a loop of
   * transactions — never let an HTTP request or a child process's exit in (the loop stalled 600 ms).
   */
  private answer(callback: Callback | undefined, self: unknown, failure: Error | null, rows?: unknown, sql = ''): void {
    const later = this.inTransaction() && !TRANSACTION_END.test(sql) ? process.nextTick : setImmediate;
    if (callback) later(() => withCheapStacks(failure !== null, () => callback.call(self, failure, rows)));
    else if (failure) later(() => this.emit('error', failure));
  }

  private inTransaction(): boolean {
    const uuid = (this as { uuid?: unknown }).uuid;
    return typeof uuid === 'string' && uuid !== 'default';
  }
}

export const OPEN_READONLY = 0x1;
export const OPEN_READWRITE = 0x2;
export const OPEN_CREATE = 0x4;

/** the module object Sequelize loads in place of `sqlite3` */
export const sqlite3OnBetterSqlite3 = { Database, OPEN_READONLY, OPEN_READWRITE, OPEN_CREATE };
