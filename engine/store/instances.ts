import type { InstanceRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/** SQL of `eng_instance`: one row per process instance, kept after it ends until pruned. */

export async function selectInstance(db: SqlDriver, key: string): Promise<InstanceRow | undefined> {
  return db.get<InstanceRow>('SELECT * FROM eng_instance WHERE instance_key = ?', [key]);
}

export async function insertInstance(db: SqlDriver, row: InstanceRow): Promise<void> {
  await db.write(
    'INSERT INTO eng_instance (instance_key, def_key, process_id, version, state, parent_instance_key, parent_element_key, start_correlation_key, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      row.instance_key,
      row.def_key,
      row.process_id,
      row.version,
      row.state,
      row.parent_instance_key,
      row.parent_element_key,
      row.start_correlation_key,
      row.started_at,
    ],
  );
}

export async function markInstanceEnded(db: SqlDriver, key: string, state: 'COMPLETED' | 'TERMINATED', at: number): Promise<void> {
  await db.write(`UPDATE eng_instance SET state = '${state}', ended_at = ? WHERE instance_key = ?`, [at, key]);
}

/** The instance a call activity started and that still runs, if any. */
export async function activeCalledInstance(db: SqlDriver, callerElementKey: string): Promise<string | undefined> {
  const rows = await db.all<{ instance_key: string; state: string }>('SELECT instance_key, state FROM eng_instance WHERE parent_element_key = ?', [
    callerElementKey,
  ]);
  return rows.find((i) => i.state === 'ACTIVE')?.instance_key;
}

/** Whether an instance of the process started by a message with this correlation key is still active. */
export async function hasActiveInstanceWithStartKey(db: SqlDriver, processId: string, correlationKey: string): Promise<boolean> {
  return Boolean(
    await db.get("SELECT 1 AS x FROM eng_instance WHERE process_id = ? AND start_correlation_key = ? AND state = 'ACTIVE'", [processId, correlationKey]),
  );
}

/** The root instance a caller started under `reference` (intake's `intake:<case id>`), in any state. */
export async function rootInstanceStartedAs(db: SqlDriver, processId: string, reference: string): Promise<string | undefined> {
  const row = await db.get<{ instance_key: string }>(
    'SELECT instance_key FROM eng_instance WHERE process_id = ? AND start_correlation_key = ? AND parent_instance_key IS NULL',
    [processId, reference],
  );
  return row ? String(row.instance_key) : undefined;
}
