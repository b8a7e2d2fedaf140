import * as store from '../store/incidents.js';
import type { ElementRow, StepKind } from './rows.js';
import type { Incident, Run } from './run.js';

/**
 * Raises an incident on the element. Without a job the failed step is remembered (`data.pending`) and
 * re-run when the incident is resolved; with a job, resolving makes the job activatable again.
 */
export async function raiseIncident(run: Run, el: ElementRow, step: StepKind, incident: Incident, jobKey: string | null = null): Promise<string> {
  if (!jobKey) {
    // a task listener's step leaves the (active) element as it is
    if (step !== 'taskListener') el.state = step === 'activate' ? 'ACTIVATING' : 'COMPLETING';
    el.data.pending = step;
    await run.saveElement(el);
  }
  const key = run.nextKey();
  const inst = await run.instance(el.instanceKey);
  await store.insertIncident(run.db, {
    incidentKey: key,
    instanceKey: el.instanceKey,
    elementKey: el.key,
    elementId: el.elementId,
    processId: inst.process_id,
    jobKey,
    errorType: incident.errorType,
    errorMessage: incident.message,
    createdAt: run.now,
  });
  await run.history(el, 'INCIDENT_CREATED', { incidentKey: key, errorType: incident.errorType, errorMessage: incident.message, jobKey });
  run.effects.incidents.push(key);
  return key;
}

/** The element ended: its open incidents are resolved with it. */
export async function resolveIncidentsOf(run: Run, el: ElementRow): Promise<void> {
  for (const key of await store.activeIncidentKeysOfElement(run.db, el.key)) {
    await store.markResolved(run.db, key, run.now);
    await run.history(el, 'INCIDENT_RESOLVED', { incidentKey: key, reason: 'element terminated' });
  }
}
