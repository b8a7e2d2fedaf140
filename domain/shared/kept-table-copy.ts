import { appSql } from '../../db/sql/current.js';
import type { Tables } from '../../db/sql/schema.js';
import { onTableWrites } from '../../db/sql/table-writes.js';

/**
 * A copy of what `read` returns, kept in memory: read again after `keepMs` (the time another process's
 * change may take to show here), at once after a write to `tables` in this process (the writers say so
 * with tableWritten, db/sql/table-writes.ts), and when the application's database is another than the
 * one it was read from (the tests open a fresh one per suite). A failed read is not kept. The tests' own
 * fixtures (test/support/tables.ts) call tableWritten too.
 */
export function keptTableCopy<T>(tables: ReadonlyArray<keyof Tables>, keepMs: number, read: () => Promise<T>): () => Promise<T> {
  let copy: Promise<T> | null = null;
  let readAt = 0;
  let readFrom: unknown = null;
  onTableWrites(tables, () => {
    copy = null;
  });
  return () => {
    const db = appSql();
    if (db !== readFrom || Date.now() - readAt > keepMs) copy = null;
    if (!copy) {
      readFrom = db;
      readAt = Date.now();
      const reading = read();
      copy = reading;
      reading.catch(() => {
        if (copy === reading) copy = null;
      });
    }
    return copy;
  };
}
