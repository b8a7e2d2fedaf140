import type { JobRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/**
 * SQL of `eng_job`. States: ACTIVATABLE (waiting for a worker; `retry_at` > 0 while in back-off),
 * ACTIVATED (a worker holds it until `deadline`), FAILED and ERROR_THROWN (an incident is open).
 */

export interface NewJob {
  jobKey: string;
  type: string;
  instanceKey: string;
  elementKey: string;
  elementId: string;
  processId: string;
  defKey: string;
  retries: number;
  /** JSON text of the custom headers */
  headers: string;
  createdAt: number;
}

export async function insertJob(db: SqlDriver, j: NewJob): Promise<void> {
  await db.write(
    'INSERT INTO eng_job (job_key, type, state, instance_key, element_key, element_id, process_id, def_key, retries, retry_at, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [j.jobKey, j.type, 'ACTIVATABLE', j.instanceKey, j.elementKey, j.elementId, j.processId, j.defKey, j.retries, 0, j.headers, j.createdAt],
  );
}

export async function selectJob(db: SqlDriver, key: string): Promise<JobRow | undefined> {
  return db.get<JobRow>('SELECT * FROM eng_job WHERE job_key = ?', [key]);
}

export async function deleteJob(db: SqlDriver, key: string): Promise<void> {
  await db.write('DELETE FROM eng_job WHERE job_key = ?', [key]);
}

export async function jobKeysOfElement(db: SqlDriver, elementKey: string): Promise<string[]> {
  return (await db.all<{ job_key: string }>('SELECT job_key FROM eng_job WHERE element_key = ?', [elementKey])).map((j) => j.job_key);
}

/** Oldest first, those out of back-off. */
export async function selectActivatable(db: SqlDriver, type: string, now: number, limit: number): Promise<JobRow[]> {
  return db.all<JobRow>("SELECT * FROM eng_job WHERE type = ? AND state = 'ACTIVATABLE' AND retry_at <= ? ORDER BY job_key LIMIT ?", [type, now, limit]);
}

export async function markActivated(db: SqlDriver, key: string, deadline: number, worker: string): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'ACTIVATED', deadline = ?, worker = ? WHERE job_key = ?", [deadline, worker, key]);
}

/** A failure with retries left: activatable again from `retryAt`. */
export async function markRetry(db: SqlDriver, key: string, retries: number, retryAt: number, errorMessage: string | null): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'ACTIVATABLE', retries = ?, retry_at = ?, deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [
    retries,
    retryAt,
    errorMessage,
    key,
  ]);
}

export async function markFailed(db: SqlDriver, key: string, errorMessage: string | null): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'FAILED', retries = 0, deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [errorMessage, key]);
}

export async function markErrorThrown(db: SqlDriver, key: string, errorMessage: string | null): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'ERROR_THROWN', deadline = NULL, worker = NULL, error_message = ? WHERE job_key = ?", [errorMessage, key]);
}

export async function setRetries(db: SqlDriver, key: string, retries: number): Promise<void> {
  await db.write('UPDATE eng_job SET retries = ? WHERE job_key = ?', [retries, key]);
}

/** An incident on the job resolved: activatable at once. */
export async function reactivate(db: SqlDriver, key: string, retries: number): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'ACTIVATABLE', retry_at = 0, retries = ? WHERE job_key = ?", [retries, key]);
}

/** Committed state (outside the transaction): jobs whose worker's time ran out. */
export async function readTimedOut(db: SqlDriver, now: number): Promise<string[]> {
  return (await db.read<{ job_key: string }>("SELECT job_key FROM eng_job WHERE state = 'ACTIVATED' AND deadline <= ? LIMIT 1000", [now])).map(
    (j) => j.job_key,
  );
}

export async function selectTimedOut(db: SqlDriver, key: string, now: number): Promise<JobRow | undefined> {
  return db.get<JobRow>("SELECT * FROM eng_job WHERE job_key = ? AND state = 'ACTIVATED' AND deadline <= ?", [key, now]);
}

export async function returnTimedOut(db: SqlDriver, key: string): Promise<void> {
  await db.write("UPDATE eng_job SET state = 'ACTIVATABLE', deadline = NULL, worker = NULL WHERE job_key = ?", [key]);
}

/**
 * Committed state: jobs whose back-off ended in (after, upTo]. Only jobs in back-off have retry_at > 0:
 * the retry_at index finds them without scanning waiting jobs.
 */
export async function readBackOffEnded(db: SqlDriver, after: number, upTo: number): Promise<Array<{ type: string; state: string }>> {
  return db.read<{ type: string; state: string }>('SELECT type, state FROM eng_job WHERE retry_at > ? AND retry_at <= ?', [after, upTo]);
}
