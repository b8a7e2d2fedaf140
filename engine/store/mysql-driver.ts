import mysql from 'mysql2/promise';
import type { SqlDriver, SqlValue } from './driver.js';

/**
 * mysql2: one dedicated writer connection (transactions are serialised by the engine's command
 * queue) and a small pool for reads that must not see the writer's uncommitted work.
 */
export class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;

  private constructor(
    private readonly writer: mysql.Connection,
    private readonly readers: mysql.Pool,
  ) {}

  static async connect(url: string): Promise<MysqlDriver> {
    const options = { uri: url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false, dateStrings: true } as const;
    const writer = await mysql.createConnection(options);
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

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const [result] = await this.writer.query(sql, params as SqlValue[]);
    return (result as mysql.ResultSetHeader).affectedRows ?? 0;
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.writer.query(sql, params as SqlValue[]);
    return rows as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async exec(sql: string): Promise<void> {
    for (const statement of sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await this.writer.query(statement);
  }

  async read<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.readers.query(sql, params as SqlValue[]);
    return rows as T[];
  }

  async close(): Promise<void> {
    // released here rather than left to the disconnect: the server drops a quitting session's locks a
    // moment after end() resolves, and an engine opened at once on the same database (a restart) was refused
    await this.writer.query("SELECT RELEASE_LOCK(CONCAT('ywtg_engine_', DATABASE()))").catch(() => undefined);
    await this.writer.end();
    await this.readers.end();
  }
}
