import Database, { type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DriverOptions, SqlDriver, SqlValue } from './driver.js';
import { traceActivity } from '../activity-trace.js';
import { DEFERRED_SYNC_PRAGMAS, keepWalCheckpointed, walDurabilityOf, type WalDurability } from './wal-durability.js';

/** better-sqlite3: synchronous and fast; one connection serves the writer and committed reads alike. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  /** FULL on a file: commits are made durable off the event loop (wal-durability.ts) */
  private readonly durability: WalDurability | null = null;
  private readonly releaseCheckpointer: (() => Promise<void>) | null = null;

  constructor(path: string, options: DriverOptions) {
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    if (file !== ':memory:' && (options.sqliteSynchronous ?? 'FULL') === 'FULL') {
      for (const pragma of DEFERRED_SYNC_PRAGMAS) this.db.pragma(pragma);
      this.durability = walDurabilityOf(file);
      this.releaseCheckpointer = keepWalCheckpointed(file);
    } else this.db.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  }

  /** after a write that committed (a COMMIT, or a statement outside a transaction): on disk before it is answered */
  private async committed(): Promise<void> {
    if (this.durability && !this.db.inTransaction) await this.durability.durable();
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
    const changes = this.prepare(sql).run(...params).changes;
    await this.committed();
    return changes;
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    this.prepare(sql).run(...params);
    await this.committed();
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
    await this.committed();
  }

  /** Reads run between the writer's transactions (the writer never yields to the event loop mid-transaction). */
  async read<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.all<T>(sql, params);
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
    await this.releaseCheckpointer?.();
  }
}
