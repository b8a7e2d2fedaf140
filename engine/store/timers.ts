import type { TimerRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/** SQL of `eng_timer`: pending timers by due time; a process start timer has no instance or element. */

export interface NewTimer {
  timerKey: string;
  dueAt: number;
  instanceKey: string | null;
  elementKey: string | null;
  elementId: string;
  defKey: string;
  repetitions: number;
  /** JSON text of the repeat interval, or null */
  spec: string | null;
}

export async function insertTimer(db: SqlDriver, t: NewTimer): Promise<void> {
  await db.write(
    'INSERT INTO eng_timer (timer_key, due_at, instance_key, element_key, element_id, def_key, repetitions, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [t.timerKey, t.dueAt, t.instanceKey, t.elementKey, t.elementId, t.defKey, t.repetitions, t.spec],
  );
}

export async function selectTimer(db: SqlDriver, key: string): Promise<TimerRow | undefined> {
  return db.get<TimerRow>('SELECT * FROM eng_timer WHERE timer_key = ?', [key]);
}

export async function deleteTimer(db: SqlDriver, key: string): Promise<void> {
  await db.write('DELETE FROM eng_timer WHERE timer_key = ?', [key]);
}

export async function deleteTimersOf(db: SqlDriver, elementKey: string): Promise<void> {
  await db.write('DELETE FROM eng_timer WHERE element_key = ?', [elementKey]);
}

export async function deleteStartTimers(db: SqlDriver, defKey: string): Promise<void> {
  await db.run('DELETE FROM eng_timer WHERE def_key = ? AND element_key IS NULL', [defKey]);
}

/** Committed state: the earliest due timers, up to 1,000. */
export async function readDueTimers(db: SqlDriver, now: number): Promise<TimerRow[]> {
  return db.read<TimerRow>('SELECT * FROM eng_timer WHERE due_at <= ? ORDER BY due_at LIMIT 1000', [now]);
}

/**
 * Committed state: when the scheduler has something to do next — a timer, a job's deadline, the end of a
 * job's back-off, a buffered message's expiry — or null when nothing is pending.
 */
export async function readNextWake(db: SqlDriver, now: number): Promise<number | null> {
  const next = await db.read<{ at: number | null }>(
    `SELECT MIN(at) AS at FROM (
       SELECT MIN(due_at) AS at FROM eng_timer
       UNION ALL SELECT MIN(deadline) FROM eng_job WHERE state = 'ACTIVATED'
       UNION ALL SELECT MIN(retry_at) FROM eng_job WHERE retry_at > ?
       UNION ALL SELECT MIN(expires_at) FROM eng_message) t`,
    [now],
  );
  const at = next[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}
