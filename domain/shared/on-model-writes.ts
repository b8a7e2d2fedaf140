import type { Transaction } from 'sequelize';
import { onTableWrites } from '../../db/sql/table-writes.js';
import type { Tables } from '../../db/sql/schema.js';

type WriteOptions = { transaction?: Transaction | null };
interface Hookable {
  readonly sequelize?: unknown;
  readonly tableName: string;
  addHook(name: string, id: string, fn: (...args: never[]) => void): unknown;
}

/**
 * Calls `changed` after every write through these models (save, destroy, bulk update and destroy), and
 * again when the write's transaction commits — for the in-memory copies of rarely written tables. The
 * hooks are added once per database the models are bound to (the tests bind them afresh); `ensure`
 * must be called before each use of the copy: when the models were bound anew, the copy is from another
 * database and `changed` is called for that too. Writes through Kysely to the models' tables are heard
 * too (db/sql/table-writes.ts: the writer calls `tableWritten`).
 */
export function onModelWrites(name: string, models: Hookable[], changed: () => void): { ensure(): void } {
  let boundTo: unknown = null;
  let listening = false;
  const fire = (options?: WriteOptions) => {
    changed();
    options?.transaction?.afterCommit(() => changed());
  };
  return {
    ensure() {
      const now = models[0]?.sequelize ?? null;
      if (now === boundTo) return;
      boundTo = now;
      changed();
      // the table names are known once the models are bound
      if (!listening) onTableWrites(models.map((m) => m.tableName as keyof Tables), changed);
      listening = true;
      for (const model of models) {
        model.addHook('afterSave', name, (_row: unknown, options: WriteOptions) => fire(options));
        model.addHook('afterDestroy', name, (_row: unknown, options: WriteOptions) => fire(options));
        model.addHook('afterBulkUpdate', name, (options: WriteOptions) => fire(options));
        model.addHook('afterBulkDestroy', name, (options: WriteOptions) => fire(options));
        model.addHook('afterBulkCreate', name, (_rows: unknown, options: WriteOptions) => fire(options));
      }
    },
  };
}

/**
 * A copy of what `read` returns, kept in memory: read again after `keepMs` (the time another process's
 * change may take to show here) and at once after any write to `models` in this process. A failed read
 * is not kept.
 */
export function keptCopy<T>(name: string, models: Hookable[], keepMs: number, read: () => Promise<T>): () => Promise<T> {
  let copy: Promise<T> | null = null;
  let readAt = 0;
  const writes = onModelWrites(name, models, () => { copy = null; });
  return () => {
    writes.ensure();
    if (Date.now() - readAt > keepMs) copy = null;
    if (!copy) {
      readAt = Date.now();
      const reading = read();
      copy = reading;
      reading.catch(() => { if (copy === reading) copy = null; });
    }
    return copy;
  };
}
