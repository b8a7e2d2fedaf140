import { onCommit, type Tx } from './current.js';
import type { Tables } from './schema.js';

/**
 * "This table was just written": for the in-memory copies of rarely written tables (the grids'
 * centres, the catalogue classifier, recent sessions): every writer of such a table says so here.
 * A listener hears a write at once and again when its transaction commits.
 */
type Listener = () => void;
const listeners = new Map<string, Set<Listener>>();

export function onTableWrites(tables: ReadonlyArray<keyof Tables>, changed: Listener): void {
  for (const table of tables) {
    let set = listeners.get(table);
    if (!set) listeners.set(table, (set = new Set()));
    set.add(changed);
  }
}

export function tableWritten(table: keyof Tables, transaction?: Tx | null): void {
  const set = listeners.get(table);
  if (!set?.size) return;
  const fire = () => {
    for (const listener of set) listener();
  };
  fire();
  if (transaction) onCommit(transaction, fire);
}
