import { createHash } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

/** Row count and SHA-256 of every row of one table, in primary-key order. */
export interface TableDigest { rows: number; sha256: string }

/** Every table of the database (SQLite or MariaDB), without the migration ledger's own bookkeeping excluded: that too must not move. */
export async function tableNames(sequelize: Sequelize): Promise<string[]> {
  const raw = (await sequelize.getQueryInterface().showAllTables()) as Array<string | { tableName: string }>;
  return raw.map((t) => (typeof t === 'string' ? t : t.tableName)).filter((t) => !t.startsWith('sqlite_')).sort();
}

/**
 * A digest of every table: rows and a checksum over every column of every row, ordered by all columns so the
 * digest does not depend on the storage order. `ignore` names columns that move on every request by design.
 */
export async function databaseDigest(sequelize: Sequelize, tables: string[], ignore: Record<string, string[]> = {}): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  const q = (name: string) => (sequelize.getDialect() === 'sqlite' ? `"${name}"` : `\`${name}\``);
  for (const table of tables) {
    const rows = await sequelize.query<Record<string, unknown>>(`SELECT * FROM ${q(table)}`, { type: QueryTypes.SELECT });
    const skip = new Set(ignore[table] ?? []);
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !skip.has(k)).map(([, v]) => (v instanceof Date ? v.toISOString() : Buffer.isBuffer(v) ? v.toString('base64') : v)))).sort();
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
