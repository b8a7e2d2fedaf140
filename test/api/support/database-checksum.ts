import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

/** Row count and SHA-256 of every row of one table, in primary-key order. */
export interface TableDigest {
  rows: number;
  sha256: string;
}

/** Every table of the database (SQLite or MariaDB), without the migration ledger's own bookkeeping excluded: that too must not move. */
export async function tableNames(sequelize: Sequelize): Promise<string[]> {
  const raw = (await sequelize.getQueryInterface().showAllTables()) as Array<string | { tableName: string }>;
  return raw
    .map((t) => (typeof t === 'string' ? t : t.tableName))
    .filter((t) => !t.startsWith('sqlite_'))
    .sort();
}

/**
 * A digest of every table: rows and a checksum over every column of every row, ordered by all columns so the
 * digest does not depend on the storage order. `ignore` names columns that move on every request by design.
 */
export async function databaseDigest(sequelize: Sequelize, tables: string[], ignore: Record<string, string[]> = {}): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  if (sequelize.getDialect() !== 'sqlite' && Object.keys(ignore).length === 0) return mariadbDigest(sequelize, tables);
  const sqlite = sqliteReader(sequelize);
  for (const table of tables) {
    const rows = sqlite
      ? (sqlite.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>)
      : await sequelize.query<Record<string, unknown>>(`SELECT * FROM \`${table}\``, { type: QueryTypes.SELECT });
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

const readers = new WeakMap<Sequelize, Database.Database>();
/** On SQLite a read-only connection of our own (WAL: it sees every commit): far faster than a query through the ORM. */
function sqliteReader(sequelize: Sequelize): Database.Database | null {
  if (sequelize.getDialect() !== 'sqlite') return null;
  let db = readers.get(sequelize);
  if (!db) {
    const storage = (sequelize as unknown as { options: { storage?: string } }).options.storage;
    if (!storage || storage === ':memory:') return null;
    db = new Database(storage, { readonly: true, fileMustExist: true });
    readers.set(sequelize, db);
  }
  return db;
}

/** Closes the read-only connection databaseDigest opened for this database, if any. */
export function closeDigestReader(sequelize: Sequelize): void {
  readers.get(sequelize)?.close();
  readers.delete(sequelize);
}

/**
 * SQLite's `PRAGMA data_version` on our reader: it moves whenever another connection commits, so an unmoved
 * counter proves no table changed and the last digest still holds. Null on MariaDB (digest every time).
 */
export function commitCounter(sequelize: Sequelize): number | null {
  const db = sqliteReader(sequelize);
  return db ? (db.pragma('data_version', { simple: true }) as number) : null;
}

/** MariaDB/MySQL: the server's own CHECKSUM TABLE over every row and column, and exact counts, in two statements. */
async function mariadbDigest(sequelize: Sequelize, tables: string[]): Promise<Record<string, TableDigest>> {
  const q = (t: string) => `\`${t}\``;
  const sums = await sequelize.query<{ Table: string; Checksum: string | number | null }>(`CHECKSUM TABLE ${tables.map(q).join(', ')} EXTENDED`, {
    type: QueryTypes.SELECT,
  });
  const [counts] = await sequelize.query<Record<string, number>>(`SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${q(t)}) AS c${i}`).join(', ')}`, {
    type: QueryTypes.SELECT,
  });
  const out: Record<string, TableDigest> = {};
  tables.forEach((t, i) => {
    const sum = sums.find((r) => r.Table.split('.').pop() === t)?.Checksum;
    out[t] = { rows: Number(counts?.[`c${i}`] ?? -1), sha256: String(sum) };
  });
  return out;
}
