import type { IncidentRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/** SQL of `eng_incident`: ACTIVE until resolved (by a command, or when its element ends). */

export interface NewIncident {
  incidentKey: string;
  instanceKey: string;
  elementKey: string;
  elementId: string;
  processId: string;
  jobKey: string | null;
  errorType: string;
  errorMessage: string;
  createdAt: number;
}

export async function insertIncident(db: SqlDriver, i: NewIncident): Promise<void> {
  await db.write(
    'INSERT INTO eng_incident (incident_key, state, instance_key, element_key, element_id, process_id, job_key, error_type, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [i.incidentKey, 'ACTIVE', i.instanceKey, i.elementKey, i.elementId, i.processId, i.jobKey, i.errorType, i.errorMessage, i.createdAt],
  );
}

export async function selectIncident(db: SqlDriver, key: string): Promise<IncidentRow | undefined> {
  return db.get<IncidentRow>('SELECT * FROM eng_incident WHERE incident_key = ?', [key]);
}

export async function activeIncidentKeysOfElement(db: SqlDriver, elementKey: string): Promise<string[]> {
  const rows = await db.all<{ incident_key: string; state: string }>('SELECT incident_key, state FROM eng_incident WHERE element_key = ?', [elementKey]);
  return rows.filter((i) => i.state === 'ACTIVE').map((i) => i.incident_key);
}

export async function markResolved(db: SqlDriver, key: string, at: number): Promise<void> {
  await db.write("UPDATE eng_incident SET state = 'RESOLVED', resolved_at = ? WHERE incident_key = ?", [at, key]);
}
