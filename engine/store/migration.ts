import type { ElementRow, IncidentRow, JobRow, SubscriptionRow, TimerRow, UserTaskRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/**
 * SQL of process instance migration (commands/migrate.ts): what one instance has alive, and moving those
 * rows to other element ids of another definition. Keys never change: a job, a user task, a timer keeps
 * its key, the variables stay on their scopes (keyed by element instance, not element id).
 */

export interface InstanceState {
  elements: ElementRow[];
  jobs: JobRow[];
  userTasks: UserTaskRow[];
  timers: TimerRow[];
  subscriptions: SubscriptionRow[];
  incidents: IncidentRow[];
}

export async function selectInstanceState(db: SqlDriver, instanceKey: string): Promise<InstanceState> {
  const elements: ElementRow[] = [];
  const raw = await db.all<{
    element_key: string;
    instance_key: string;
    element_id: string;
    element_type: string;
    scope_key: string | null;
    state: ElementRow['state'];
    data: string | null;
  }>('SELECT * FROM eng_element WHERE instance_key = ? ORDER BY element_key', [instanceKey]);
  for (const r of raw) {
    elements.push({
      key: r.element_key,
      instanceKey: r.instance_key,
      elementId: r.element_id,
      type: r.element_type,
      scopeKey: r.scope_key,
      state: r.state,
      data: r.data ? JSON.parse(r.data) : {},
    });
  }
  return {
    elements,
    jobs: await db.all<JobRow>('SELECT * FROM eng_job WHERE instance_key = ? ORDER BY job_key', [instanceKey]),
    userTasks: await db.all<UserTaskRow>("SELECT * FROM eng_user_task WHERE instance_key = ? AND state = 'CREATED' ORDER BY task_key", [instanceKey]),
    timers: await db.all<TimerRow>('SELECT * FROM eng_timer WHERE instance_key = ? ORDER BY timer_key', [instanceKey]),
    subscriptions: await db.all<SubscriptionRow>('SELECT * FROM eng_subscription WHERE instance_key = ? ORDER BY sub_key', [instanceKey]),
    incidents: await db.all<IncidentRow>("SELECT * FROM eng_incident WHERE instance_key = ? AND state = 'ACTIVE' ORDER BY incident_key", [instanceKey]),
  };
}

export async function retargetInstance(db: SqlDriver, instanceKey: string, defKey: string, processId: string, version: number): Promise<void> {
  await db.write('UPDATE eng_instance SET def_key = ?, process_id = ?, version = ? WHERE instance_key = ?', [defKey, processId, version, instanceKey]);
}

export async function retargetElement(db: SqlDriver, elementKey: string, elementId: string): Promise<void> {
  await db.write('UPDATE eng_element SET element_id = ? WHERE element_key = ?', [elementId, elementKey]);
}

export async function retargetJob(db: SqlDriver, jobKey: string, elementId: string, processId: string, defKey: string): Promise<void> {
  await db.write('UPDATE eng_job SET element_id = ?, process_id = ?, def_key = ? WHERE job_key = ?', [elementId, processId, defKey, jobKey]);
}

export async function retargetUserTask(db: SqlDriver, taskKey: string, elementId: string, processId: string, defKey: string): Promise<void> {
  await db.write('UPDATE eng_user_task SET element_id = ?, process_id = ?, def_key = ? WHERE task_key = ?', [elementId, processId, defKey, taskKey]);
}

export async function retargetTimer(db: SqlDriver, timerKey: string, elementId: string, defKey: string): Promise<void> {
  await db.write('UPDATE eng_timer SET element_id = ?, def_key = ? WHERE timer_key = ?', [elementId, defKey, timerKey]);
}

export async function retargetSubscription(db: SqlDriver, subKey: string, elementId: string, processId: string): Promise<void> {
  await db.write('UPDATE eng_subscription SET element_id = ?, process_id = ? WHERE sub_key = ?', [elementId, processId, subKey]);
}

export async function retargetIncident(db: SqlDriver, incidentKey: string, elementId: string, processId: string): Promise<void> {
  await db.write('UPDATE eng_incident SET element_id = ?, process_id = ? WHERE incident_key = ?', [elementId, processId, incidentKey]);
}
