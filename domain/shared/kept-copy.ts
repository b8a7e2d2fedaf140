import { appSql } from '../../db/sql/current.js';
import type { Tables } from '../../db/sql/schema.js';
import { onTableWrites } from '../../db/sql/table-writes.js';

/**
 * A copy of what `read` returns, kept in memory: read again after `keepMs` (the time another process's
 * change may take to show here), at once after any write to `tables` in this process (db/sql/table-writes.ts:
 * writes through Kysely and through the remaining models both say so), and when another database was
 * opened since (the tests open one per suite). A failed read is not kept.
 */
export function keptTableCopy<T>(tables: ReadonlyArray<keyof Tables>, keepMs: number, read: () => Promise<T>): () => Promise<T> {
  let copy: Promise<T> | null = null;
  let readAt = 0;
  let readFrom: unknown = null;
  onTableWrites(tables, () => { copy = null; });
  return () => {
    const database = appSql();
    if (database !== readFrom || Date.now() - readAt > keepMs) copy = null;
    if (!copy) {
      readAt = Date.now();
      readFrom = database;
      const reading = read();
      copy = reading;
      reading.catch(() => { if (copy === reading) copy = null; });
    }
    return copy;
  };
}
