/**
 * The bytes each table of a database holds, its indexes included: SQLite counts the pages in use by the
 * table's b-tree and its indexes' (the `dbstat` virtual table, compiled into better-sqlite3), with the
 * payload (the bytes of the rows and keys themselves) beside it; MySQL/MariaDB reports
 * `data_length + index_length` from information_schema after ANALYZE TABLE (whole 16 KiB pages, so a
 * small table shows at least one page). Freed pages are not counted on either: a delete lowers the figure
 * while the file or tablespace keeps its size and reuses them for new rows.
 */
export interface SqlReader {
  dialect: 'sqlite' | 'mysql';
  all<T>(sql: string): Promise<T[]>;
}

export interface TableBytes {
  table: string;
  rows: number;
  /** pages in use (SQLite) or data + index length (MySQL), bytes */
  bytes: number;
  /** SQLite: the bytes of the rows and index keys themselves; null on MySQL */
  payload: number | null;
}

const quote = (dialect: SqlReader['dialect'], name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

export async function tableBytes(db: SqlReader): Promise<Map<string, TableBytes>> {
  const out = new Map<string, TableBytes>();
  if (db.dialect === 'sqlite') {
    const sizes = await db.all<{ t: string; bytes: number; payload: number }>(
      "SELECT m.tbl_name AS t, SUM(s.pgsize) AS bytes, SUM(s.payload) AS payload FROM dbstat s JOIN sqlite_master m ON m.name = s.name WHERE m.tbl_name NOT LIKE 'sqlite_%' GROUP BY m.tbl_name",
    );
    for (const s of sizes) out.set(s.t, { table: s.t, rows: 0, bytes: Number(s.bytes), payload: Number(s.payload) });
  } else {
    const names = await db.all<{ t: string }>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    );
    for (const { t } of names) await db.all(`ANALYZE TABLE ${quote('mysql', t)}`);
    const sizes = await db.all<{ t: string; bytes: number }>(
      "SELECT TABLE_NAME AS t, DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    );
    for (const s of sizes) out.set(s.t, { table: s.t, rows: 0, bytes: Number(s.bytes), payload: null });
  }
  for (const entry of out.values()) {
    const [row] = await db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(db.dialect, entry.table)}`);
    entry.rows = Number(row?.n ?? 0);
  }
  return out;
}
