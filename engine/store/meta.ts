import type { SqlDriver } from './driver.js';

/** SQL of `eng_meta`: named values (the next key block, exporters' positions in the history stream). */

export async function getMeta(db: SqlDriver, name: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM eng_meta WHERE name = ?', [name]))?.value;
}

/** Committed state, outside the writer's transaction. */
export async function readMeta(db: SqlDriver, name: string): Promise<string | undefined> {
  const [row] = await db.read<{ value: string }>('SELECT value FROM eng_meta WHERE name = ?', [name]);
  return row?.value;
}

export async function insertMeta(db: SqlDriver, name: string, value: string): Promise<void> {
  await db.run('INSERT INTO eng_meta (name, value) VALUES (?, ?)', [name, value]);
}

export async function updateMeta(db: SqlDriver, name: string, value: string): Promise<void> {
  await db.run('UPDATE eng_meta SET value = ? WHERE name = ?', [value, name]);
}

/** Update, or insert when no row changed (as the exporters' positions always did). */
export async function putMeta(db: SqlDriver, name: string, value: string): Promise<void> {
  const n = await db.run('UPDATE eng_meta SET value = ? WHERE name = ?', [value, name]);
  if (!n) await db.run('INSERT INTO eng_meta (name, value) VALUES (?, ?)', [name, value]);
}
