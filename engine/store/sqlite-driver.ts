import Database, { type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DriverOptions, SqlDriver, SqlValue } from './driver.js';
import { traceActivity } from '../activity-trace.js';

/** better-sqlite3: synchronous and fast; one connection serves the writer and committed reads alike. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();

  constructor(path: string, options: DriverOptions) {
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
  }

  private prepare(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    this.prepare(sql).run(...params);
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  async exec(sql: string): Promise<void> {
    // COMMIT is where the fsync (and, now and then, the WAL checkpoint) happens: one to see in a trace
    const traced = traceActivity(`sql:engine ${sql.slice(0, 20)}`, 0, 5);
    this.db.exec(sql);
    traced();
  }

  /** Reads run between the writer's transactions (the writer never yields to the event loop mid-transaction). */
  async read<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.all<T>(sql, params);
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}
