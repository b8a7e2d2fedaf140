import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { sqlitePath, type Sql } from '../../../db/sql/index.js';

/** The database a digest reads: its URL (for SQLite's own read-only connection) and its SQL. */
export interface DigestDb {
  url: string;
  sql: Sql;
  dialect: 'sqlite' | 'mysql';
}

/** Row count and SHA-256 of every row of one table, in primary-key order. */
export interface TableDigest {
  rows: number;
  sha256: string;
}

/** Every table of the database (SQLite or MariaDB), without the migration ledger's own bookkeeping excluded: that too must not move. */
export async function tableNames(db: DigestDb): Promise<string[]> {
  const tables = await db.sql.introspection.getTables();
  return tables
    .map((t) => t.name)
    .filter((t) => !t.startsWith('sqlite_'))
    .sort();
}

/**
 * A digest of every table: rows and a checksum over every column of every row, ordered by all columns so the
 * digest does not depend on the storage order. `ignore` names columns that move on every request by design.
 */
export async function databaseDigest(db: DigestDb, tables: string[], ignore: Record<string, string[]> = {}): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  if (db.dialect !== 'sqlite' && Object.keys(ignore).length === 0) return mariadbDigest(db.sql, tables);
  const sqlite = sqliteReader(db);
  for (const table of tables) {
    const rows = sqlite
      ? (sqlite.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>)
      : (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.sql.withoutPlugins())).rows;
    const skip = new Set(ignore[table] ?? []);
    const lines = rows
      .map((r) =>
        JSON.stringify(
          Object.entries(r)
            .filter(([k]) => !skip.has(k))
            .map(([, v]) => (v instanceof Date ? v.toISOString() : Buffer.isBuffer(v) ? v.toString('base64') : v)),
        ),
      )
      .sort();
    const h = createHash('sha256');
    for (const l of lines) h.update(l).update('\n');
    out[table] = { rows: rows.length, sha256: h.digest('hex') };
  }
  return out;
}

/** The tables whose digest differs between two snapshots. */
export function changedTables(a: Record<string, TableDigest>, b: Record<string, TableDigest>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t]?.rows !== b[t]?.rows || a[t]?.sha256 !== b[t]?.sha256).sort();
}

const readers = new Map<string, Database.Database>();
/** On SQLite a read-only connection of our own (WAL: it sees every commit), with raw values and no conversions. */
function sqliteReader(db: DigestDb): Database.Database | null {
  if (db.dialect !== 'sqlite') return null;
  const file = sqlitePath(db.url);
  if (file === ':memory:') return null;
  let reader = readers.get(file);
  if (!reader) readers.set(file, (reader = new Database(file, { readonly: true, fileMustExist: true })));
  return reader;
}

/** Closes the read-only connection databaseDigest opened for this database, if any. */
export function closeDigestReader(db: DigestDb): void {
  if (db.dialect !== 'sqlite') return;
  const file = sqlitePath(db.url);
  readers.get(file)?.close();
  readers.delete(file);
}

/**
 * SQLite's `PRAGMA data_version` on our reader: it moves whenever another connection commits, so an unmoved
 * counter proves no table changed and the last digest still holds. Null on MariaDB (digest every time).
 */
export function commitCounter(db: DigestDb): number | null {
  const reader = sqliteReader(db);
  return reader ? (reader.pragma('data_version', { simple: true }) as number) : null;
}

/** MariaDB/MySQL: the server's own CHECKSUM TABLE over every row and column, and exact counts, in two statements. */
async function mariadbDigest(db: Sql, tables: string[]): Promise<Record<string, TableDigest>> {
  const q = (t: string) => `\`${t}\``;
  const raw = db.withoutPlugins();
  const sums = (await sql.raw<{ Table: string; Checksum: string | number | null }>(`CHECKSUM TABLE ${tables.map(q).join(', ')} EXTENDED`).execute(raw)).rows;
  const [counts] = (await sql.raw<Record<string, number>>(`SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${q(t)}) AS c${i}`).join(', ')}`).execute(raw))
    .rows;
  const out: Record<string, TableDigest> = {};
  tables.forEach((t, i) => {
    const sum = sums.find((r) => r.Table.split('.').pop() === t)?.Checksum;
    out[t] = { rows: Number(counts?.[`c${i}`] ?? -1), sha256: String(sum) };
  });
  return out;
}
