import type { ElementData, ElementRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/** SQL of `eng_element`: the live element instances (a finished one is deleted). */

interface ElementDbRow {
  element_key: string;
  instance_key: string;
  element_id: string;
  element_type: string;
  scope_key: string | null;
  state: ElementRow['state'];
  data: string | null;
}

function toRow(r: ElementDbRow): ElementRow {
  return {
    key: r.element_key,
    instanceKey: r.instance_key,
    elementId: r.element_id,
    type: r.element_type,
    scopeKey: r.scope_key,
    state: r.state,
    data: r.data ? (JSON.parse(r.data) as ElementData) : {},
  };
}

/** NULL for empty data: most elements carry none, and the row stays short. */
function dataText(row: ElementRow): string | null {
  return Object.keys(row.data).length ? JSON.stringify(row.data) : null;
}

export async function selectElement(db: SqlDriver, key: string): Promise<ElementRow | null> {
  const r = await db.get<ElementDbRow>('SELECT * FROM eng_element WHERE element_key = ?', [key]);
  return r ? toRow(r) : null;
}

/** The children of a scope in creation order; `known` supplies rows the caller already holds (same identity). */
export async function selectChildren(db: SqlDriver, scopeKey: string, known: (key: string) => ElementRow | null | undefined): Promise<ElementRow[]> {
  const rows = await db.all<ElementDbRow>('SELECT * FROM eng_element WHERE scope_key = ? ORDER BY element_key', [scopeKey]);
  return rows.map((r) => known(r.element_key) ?? toRow(r));
}

export async function countChildren(db: SqlDriver, scopeKey: string): Promise<number> {
  const r = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM eng_element WHERE scope_key = ?', [scopeKey]);
  return Number(r?.n ?? 0);
}

export async function insertElement(db: SqlDriver, row: ElementRow): Promise<void> {
  await db.write('INSERT INTO eng_element (element_key, instance_key, element_id, element_type, scope_key, state, data) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    row.key,
    row.instanceKey,
    row.elementId,
    row.type,
    row.scopeKey,
    row.state,
    dataText(row),
  ]);
}

export async function updateElement(db: SqlDriver, row: ElementRow): Promise<void> {
  await db.write('UPDATE eng_element SET state = ?, data = ? WHERE element_key = ?', [row.state, dataText(row), row.key]);
}

export async function deleteElement(db: SqlDriver, key: string): Promise<void> {
  await db.write('DELETE FROM eng_element WHERE element_key = ?', [key]);
}
