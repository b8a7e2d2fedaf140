import type { SqlDriver } from './driver.js';

/** SQL of `eng_history`: the append-only event log (its `position` is the table's auto-increment). */

export interface HistoryEntry {
  instanceKey: string | null;
  processId: string | null;
  elementKey: string | null;
  elementId: string | null;
  elementType: string | null;
  intent: string;
  at: number;
  /** JSON text, or null */
  payload: string | null;
}

export async function appendHistory(db: SqlDriver, e: HistoryEntry): Promise<void> {
  await db.write(
    'INSERT INTO eng_history (instance_key, process_id, element_key, element_id, element_type, intent, at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [e.instanceKey, e.processId, e.elementKey, e.elementId, e.elementType, e.intent, e.at, e.payload],
  );
}
