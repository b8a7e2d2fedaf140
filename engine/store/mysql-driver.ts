import mysql from 'mysql2/promise';
import type { SqlDriver, SqlValue } from './driver.js';

/** held writes go out at the latest once they add up to this many characters (far below max_allowed_packet) */
const MAX_HELD_CHARS = 256 * 1024;

/**
 * mysql2: one dedicated writer connection (transactions are serialised by the engine's command
 * queue) and a small pool for reads that must not see the writer's uncommitted work.
 *
 * Writes whose outcome nobody reads (`write`) are held and sent with the next statement as one
 * multi-statement query. A command is dozens of small INSERTs, UPDATEs and DELETEs between a few
 * reads; one round trip each kept the engine's only writer waiting on the network for most of every
 * batch, and intake on MariaDB was bound by that. The writer connection allows several statements per
 * query for this: it runs only the engine's own statement texts, with the values substituted and
 * escaped by mysql2's `format`, exactly as `query(sql, values)` does by itself.
 */
export class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;
  /** formatted writes not sent yet, oldest first */
  private held: string[] = [];
  private heldChars = 0;

  private constructor(
    private readonly writer: mysql.Connection,
    private readonly readers: mysql.Pool,
  ) {}

  static async connect(url: string): Promise<MysqlDriver> {
    const options = { uri: url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false, dateStrings: true } as const;
    const writer = await mysql.createConnection({ ...options, multipleStatements: true });
    // One engine per database: commands are serialised by the process that holds this lock,
    // which the server releases by itself when that process dies.
    const [rows] = await writer.query("SELECT GET_LOCK(CONCAT('ywtg_engine_', DATABASE()), 0) AS got");
    if (Number((rows as Array<{ got: unknown }>)[0]?.got) !== 1) {
      await writer.end();
      throw new Error('another engine process already runs on this database');
    }
    const readers = mysql.createPool({ ...options, connectionLimit: 4 });
    return new MysqlDriver(writer, readers);
  }

  /** Sends the held writes and then `sql` in one round trip; answers `sql`'s own result. */
  private async send(sql: string, params: readonly SqlValue[] = []): Promise<unknown> {
    if (!this.held.length) return (await this.writer.query(sql, params as SqlValue[]))[0];
    const statements = [...this.held, mysql.format(sql, params as SqlValue[])];
    this.held = [];
    this.heldChars = 0;
    // a failing statement stops the rest and rejects the whole query: its error is the one reported
    const [results] = await this.writer.query(statements.join(';\n'));
    return (results as unknown[])[statements.length - 1];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return ((await this.send(sql, params)) as mysql.ResultSetHeader).affectedRows ?? 0;
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const statement = mysql.format(sql, params as SqlValue[]);
    this.held.push(statement);
    this.heldChars += statement.length;
    if (this.heldChars >= MAX_HELD_CHARS) await this.send('DO 0');
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.send(sql, params)) as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async exec(sql: string): Promise<void> {
    for (const statement of sql
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const rollback = /^ROLLBACK(?:\s+WORK)?(?:\s+TO\s+(?:SAVEPOINT\s+)?(\w+))?$/i.exec(statement);
      if (rollback) this.dropHeld(rollback[1] ?? null);
      // a RELEASE changes nothing anyone waits for (the engine releases each command's savepoint, a round
      // trip per command while the engine's only writer waited): held, it rides with the next statement
      if (/^RELEASE\s+SAVEPOINT\s+\w+$/i.test(statement)) await this.write(statement);
      else await this.send(statement);
    }
  }

  /**
   * Before a rollback: forgets the held writes it would undo. When the savepoint itself was sent,
   * everything held came after it (sending sends all that is held); when it is still held, it stays
   * (the rollback needs it) and only what follows it goes.
   */
  private dropHeld(savepoint: string | null): void {
    const at = savepoint === null ? -1 : this.held.findLastIndex((s) => s.trim().toUpperCase() === `SAVEPOINT ${savepoint.toUpperCase()}`);
    this.held = this.held.slice(0, at + 1);
    this.heldChars = this.held.reduce((n, s) => n + s.length, 0);
  }

  async read<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.readers.query(sql, params as SqlValue[]);
    return rows as T[];
  }

  async close(): Promise<void> {
    if (this.held.length) await this.send('DO 0');
    // released here rather than left to the disconnect: the server drops a quitting session's locks a
    // moment after end() resolves, and an engine opened at once on the same database (a restart) was refused
    await this.writer.query("SELECT RELEASE_LOCK(CONCAT('ywtg_engine_', DATABASE()))").catch(() => undefined);
    await this.writer.end();
    await this.readers.end();
  }
}
