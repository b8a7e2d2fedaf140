import type { SqlDriver, SqlValue } from './store/driver.js';
import type { HistoryRow, IncidentRow, InstanceRow, JobRow, SubscriptionRow, TimerRow, UserTaskRow } from './runtime/rows.js';

/** Read-only views of committed engine state, in the shapes the public API returns. */

export interface ProcessInstance {
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  parentProcessInstanceKey: string | null;
  parentElementInstanceKey: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface InstanceFilter { state?: ProcessInstance['state']; bpmnProcessId?: string; limit?: number; offset?: number }
export interface JobFilter { type?: string; state?: JobRow['state']; processInstanceKey?: string; limit?: number }
export interface UserTaskFilter {
  state?: UserTask['state']; assignee?: string; candidateGroup?: string; processInstanceKey?: string; elementId?: string;
  dueBefore?: string; dueAfter?: string; limit?: number; offset?: number;
}
export interface IncidentFilter { state?: 'ACTIVE' | 'RESOLVED'; processInstanceKey?: string }
export interface TimerFilter { processInstanceKey?: string; limit?: number }

export interface UserTask {
  userTaskKey: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  formKey: string | null;
  priority: number;
  createdAt: number;
  endedAt: number | null;
}

export interface Job {
  jobKey: string; type: string; state: JobRow['state']; processInstanceKey: string; elementInstanceKey: string; elementId: string;
  bpmnProcessId: string; retries: number; retryAt: number; deadline: number | null; worker: string | null;
  customHeaders: Record<string, string>; errorMessage: string | null;
}

export interface IncidentView {
  incidentKey: string; state: 'ACTIVE' | 'RESOLVED'; processInstanceKey: string; elementInstanceKey: string; elementId: string;
  bpmnProcessId: string; jobKey: string | null; errorType: string; errorMessage: string; createdAt: number; resolvedAt: number | null;
}

export interface HistoryEvent {
  position: number; processInstanceKey: string | null; bpmnProcessId: string | null; elementInstanceKey: string | null;
  elementId: string | null; elementType: string | null; intent: string; at: number; payload: Record<string, unknown> | null;
}

function where(conditions: Array<[string, SqlValue | undefined]>): { sql: string; params: SqlValue[] } {
  const used = conditions.filter(([, v]) => v !== undefined) as Array<[string, SqlValue]>;
  return { sql: used.length ? ` WHERE ${used.map(([c]) => c).join(' AND ')}` : '', params: used.map(([, v]) => v) };
}

function page(limit: number | undefined, offset: number | undefined, max = 1000): string {
  const l = Math.min(Math.max(1, Math.floor(limit ?? 100)), max);
  const o = Math.max(0, Math.floor(offset ?? 0));
  return ` LIMIT ${l} OFFSET ${o}`;
}

function instanceView(r: InstanceRow): ProcessInstance {
  return {
    processInstanceKey: r.instance_key, processDefinitionKey: r.def_key, bpmnProcessId: r.process_id, version: Number(r.version),
    state: r.state, parentProcessInstanceKey: r.parent_instance_key, parentElementInstanceKey: r.parent_element_key,
    startedAt: Number(r.started_at), endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

export async function getInstance(db: SqlDriver, key: string): Promise<ProcessInstance | null> {
  const [r] = await db.read<InstanceRow>('SELECT * FROM eng_instance WHERE instance_key = ?', [key]);
  return r ? instanceView(r) : null;
}

export async function listInstances(db: SqlDriver, f: InstanceFilter): Promise<ProcessInstance[]> {
  const w = where([['state = ?', f.state], ['process_id = ?', f.bpmnProcessId]]);
  return (await db.read<InstanceRow>(`SELECT * FROM eng_instance${w.sql} ORDER BY instance_key${page(f.limit, f.offset)}`, w.params)).map(instanceView);
}

export async function listElementInstances(db: SqlDriver, instanceKey: string) {
  const rows = await db.read<{ element_key: string; element_id: string; element_type: string; scope_key: string | null; state: string }>(
    'SELECT element_key, element_id, element_type, scope_key, state FROM eng_element WHERE instance_key = ? ORDER BY element_key', [instanceKey]);
  return rows.map((r) => ({ elementInstanceKey: r.element_key, elementId: r.element_id, elementType: r.element_type, flowScopeKey: r.scope_key, state: r.state }));
}

export async function getVariables(db: SqlDriver, scopeKey: string): Promise<Record<string, unknown>> {
  const rows = await db.read<{ name: string; value: string }>('SELECT name, value FROM eng_variable WHERE scope_key = ?', [scopeKey]);
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}

export async function listJobs(db: SqlDriver, f: JobFilter): Promise<Job[]> {
  const w = where([['type = ?', f.type], ['state = ?', f.state], ['instance_key = ?', f.processInstanceKey]]);
  const rows = await db.read<JobRow>(`SELECT * FROM eng_job${w.sql} ORDER BY job_key${page(f.limit, 0)}`, w.params);
  return rows.map((r) => ({
    jobKey: r.job_key, type: r.type, state: r.state, processInstanceKey: r.instance_key, elementInstanceKey: r.element_key,
    elementId: r.element_id, bpmnProcessId: r.process_id, retries: Number(r.retries), retryAt: Number(r.retry_at),
    deadline: r.deadline === null ? null : Number(r.deadline), worker: r.worker,
    customHeaders: JSON.parse(r.headers) as Record<string, string>, errorMessage: r.error_message,
  }));
}

function taskView(r: UserTaskRow): UserTask {
  return {
    userTaskKey: r.task_key, state: r.state, processInstanceKey: r.instance_key, elementInstanceKey: r.element_key, elementId: r.element_id,
    bpmnProcessId: r.process_id, processDefinitionKey: r.def_key, name: r.name, assignee: r.assignee,
    candidateGroups: JSON.parse(r.candidate_groups) as string[], candidateUsers: JSON.parse(r.candidate_users) as string[],
    dueDate: r.due_date, followUpDate: r.follow_up_date, formId: r.form_id, formKey: r.form_key, priority: Number(r.priority),
    createdAt: Number(r.created_at), endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

export async function listUserTasks(db: SqlDriver, f: UserTaskFilter): Promise<UserTask[]> {
  const w = where([
    ['state = ?', f.state], ['assignee = ?', f.assignee], ['instance_key = ?', f.processInstanceKey], ['element_id = ?', f.elementId],
    ['candidate_groups LIKE ?', f.candidateGroup === undefined ? undefined : `%${JSON.stringify(f.candidateGroup)}%`],
    ['due_date < ?', f.dueBefore === undefined ? undefined : new Date(f.dueBefore).toISOString()],
    ['due_date >= ?', f.dueAfter === undefined ? undefined : new Date(f.dueAfter).toISOString()],
  ]);
  return (await db.read<UserTaskRow>(`SELECT * FROM eng_user_task${w.sql} ORDER BY task_key${page(f.limit, f.offset)}`, w.params)).map(taskView);
}

export async function getUserTask(db: SqlDriver, key: string): Promise<UserTask | null> {
  const [r] = await db.read<UserTaskRow>('SELECT * FROM eng_user_task WHERE task_key = ?', [key]);
  return r ? taskView(r) : null;
}

export async function listIncidents(db: SqlDriver, f: IncidentFilter): Promise<IncidentView[]> {
  const w = where([['state = ?', f.state], ['instance_key = ?', f.processInstanceKey]]);
  const rows = await db.read<IncidentRow>(`SELECT * FROM eng_incident${w.sql} ORDER BY incident_key LIMIT 1000`, w.params);
  return rows.map((r) => ({
    incidentKey: r.incident_key, state: r.state, processInstanceKey: r.instance_key, elementInstanceKey: r.element_key,
    elementId: r.element_id, bpmnProcessId: r.process_id, jobKey: r.job_key, errorType: r.error_type, errorMessage: r.error_message,
    createdAt: Number(r.created_at), resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
  }));
}

export async function listTimers(db: SqlDriver, f: TimerFilter) {
  const w = where([['instance_key = ?', f.processInstanceKey]]);
  const rows = await db.read<TimerRow>(`SELECT * FROM eng_timer${w.sql} ORDER BY due_at${page(f.limit, 0)}`, w.params);
  return rows.map((r) => ({
    timerKey: r.timer_key, dueAt: Number(r.due_at), processInstanceKey: r.instance_key, elementInstanceKey: r.element_key,
    elementId: r.element_id, processDefinitionKey: r.def_key, repetitions: Number(r.repetitions),
  }));
}

export async function listSubscriptions(db: SqlDriver, instanceKey?: string) {
  const w = where([['instance_key = ?', instanceKey]]);
  const rows = await db.read<SubscriptionRow>(`SELECT * FROM eng_subscription${w.sql} ORDER BY sub_key LIMIT 1000`, w.params);
  return rows.map((r) => ({
    kind: r.kind, name: r.name, correlationKey: r.correlation_key, processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key, elementId: r.element_id,
  }));
}

function historyView(r: HistoryRow): HistoryEvent {
  return {
    position: Number(r.position), processInstanceKey: r.instance_key, bpmnProcessId: r.process_id, elementInstanceKey: r.element_key,
    elementId: r.element_id, elementType: r.element_type, intent: r.intent, at: Number(r.at),
    payload: r.payload ? (JSON.parse(r.payload) as Record<string, unknown>) : null,
  };
}

export async function history(db: SqlDriver, instanceKey: string): Promise<HistoryEvent[]> {
  return (await db.read<HistoryRow>('SELECT * FROM eng_history WHERE instance_key = ? ORDER BY position', [instanceKey])).map(historyView);
}

/** The durable event stream, for exporters (audit log, task inbox) that keep their own position. */
export async function readHistory(db: SqlDriver, afterPosition: number, limit: number): Promise<HistoryEvent[]> {
  const l = Math.min(Math.max(1, Math.floor(limit)), 10_000);
  return (await db.read<HistoryRow>(`SELECT * FROM eng_history WHERE position > ? ORDER BY position LIMIT ${l}`, [afterPosition])).map(historyView);
}

export async function listDefinitions(db: SqlDriver) {
  const rows = await db.read<{ def_key: string; process_id: string; version: number; resource: string; deployed_at: number }>(
    'SELECT def_key, process_id, version, resource, deployed_at FROM eng_definition ORDER BY process_id, version');
  return rows.map((r) => ({ processDefinitionKey: r.def_key, bpmnProcessId: r.process_id, version: Number(r.version), resourceName: r.resource, deployedAt: Number(r.deployed_at) }));
}

export async function getDefinitionXml(db: SqlDriver, defKey: string): Promise<string | null> {
  const [r] = await db.read<{ xml: string }>('SELECT xml FROM eng_definition WHERE def_key = ?', [defKey]);
  return r?.xml ?? null;
}

export interface FormView { formKey: string; formId: string; version: number; resourceName: string; deployedAt: number }

export async function listForms(db: SqlDriver): Promise<FormView[]> {
  const rows = await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number }>(
    'SELECT form_key, form_id, version, resource, deployed_at FROM eng_form ORDER BY form_id, version');
  return rows.map((r) => ({ formKey: r.form_key, formId: r.form_id, version: Number(r.version), resourceName: r.resource, deployedAt: Number(r.deployed_at) }));
}

/** The latest version of a form (or the given version), with its JSON. */
export async function getForm(db: SqlDriver, formId: string, version?: number): Promise<(FormView & { content: unknown }) | null> {
  const rows = version === undefined
    ? await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number; content: string }>(
      'SELECT * FROM eng_form WHERE form_id = ? ORDER BY version DESC LIMIT 1', [formId])
    : await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number; content: string }>(
      'SELECT * FROM eng_form WHERE form_id = ? AND version = ?', [formId, version]);
  const r = rows[0];
  return r ? { formKey: r.form_key, formId: r.form_id, version: Number(r.version), resourceName: r.resource, deployedAt: Number(r.deployed_at), content: JSON.parse(r.content) } : null;
}
