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

export interface InstanceFilter {
  state?: ProcessInstance['state'];
  bpmnProcessId?: string;
  limit?: number;
  offset?: number;
}
export interface JobFilter {
  type?: string;
  state?: JobRow['state'];
  processInstanceKey?: string;
  limit?: number;
}
export interface UserTaskFilter {
  state?: UserTask['state'];
  assignee?: string;
  candidateGroup?: string;
  processInstanceKey?: string;
  elementId?: string;
  dueBefore?: string;
  dueAfter?: string;
  limit?: number;
  offset?: number;
}
export interface IncidentFilter {
  state?: 'ACTIVE' | 'RESOLVED';
  processInstanceKey?: string;
}
export interface TimerFilter {
  processInstanceKey?: string;
  limit?: number;
}

export interface UserTask {
  userTaskKey: string;
  state: UserTaskRow['state'];
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
  jobKey: string;
  type: string;
  state: JobRow['state'];
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  retries: number;
  retryAt: number;
  deadline: number | null;
  worker: string | null;
  customHeaders: Record<string, string>;
  errorMessage: string | null;
}

export interface IncidentView {
  incidentKey: string;
  state: 'ACTIVE' | 'RESOLVED';
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  jobKey: string | null;
  errorType: string;
  errorMessage: string;
  createdAt: number;
  resolvedAt: number | null;
}

export interface HistoryEvent {
  position: number;
  processInstanceKey: string | null;
  bpmnProcessId: string | null;
  elementInstanceKey: string | null;
  elementId: string | null;
  elementType: string | null;
  intent: string;
  at: number;
  payload: Record<string, unknown> | null;
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
    processInstanceKey: r.instance_key,
    processDefinitionKey: r.def_key,
    bpmnProcessId: r.process_id,
    version: Number(r.version),
    state: r.state,
    parentProcessInstanceKey: r.parent_instance_key,
    parentElementInstanceKey: r.parent_element_key,
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

export async function getInstance(db: SqlDriver, key: string): Promise<ProcessInstance | null> {
  const [r] = await db.read<InstanceRow>('SELECT * FROM eng_instance WHERE instance_key = ?', [key]);
  return r ? instanceView(r) : null;
}

export async function listInstances(db: SqlDriver, f: InstanceFilter): Promise<ProcessInstance[]> {
  const w = where([
    ['state = ?', f.state],
    ['process_id = ?', f.bpmnProcessId],
  ]);
  return (await db.read<InstanceRow>(`SELECT * FROM eng_instance${w.sql} ORDER BY instance_key${page(f.limit, f.offset)}`, w.params)).map(instanceView);
}

export async function listElementInstances(db: SqlDriver, instanceKey: string) {
  const rows = await db.read<{ element_key: string; element_id: string; element_type: string; scope_key: string | null; state: string }>(
    'SELECT element_key, element_id, element_type, scope_key, state FROM eng_element WHERE instance_key = ? ORDER BY element_key',
    [instanceKey],
  );
  return rows.map((r) => ({
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    elementType: r.element_type,
    flowScopeKey: r.scope_key,
    state: r.state,
  }));
}

export async function getVariables(db: SqlDriver, scopeKey: string): Promise<Record<string, unknown>> {
  const rows = await db.read<{ name: string; value: string }>('SELECT name, value FROM eng_variable WHERE scope_key = ?', [scopeKey]);
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}

export async function listJobs(db: SqlDriver, f: JobFilter): Promise<Job[]> {
  const w = where([
    ['type = ?', f.type],
    ['state = ?', f.state],
    ['instance_key = ?', f.processInstanceKey],
  ]);
  const rows = await db.read<JobRow>(`SELECT * FROM eng_job${w.sql} ORDER BY job_key${page(f.limit, 0)}`, w.params);
  return rows.map((r) => ({
    jobKey: r.job_key,
    type: r.type,
    state: r.state,
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    bpmnProcessId: r.process_id,
    retries: Number(r.retries),
    retryAt: Number(r.retry_at),
    deadline: r.deadline === null ? null : Number(r.deadline),
    worker: r.worker,
    customHeaders: JSON.parse(r.headers) as Record<string, string>,
    errorMessage: r.error_message,
  }));
}

function taskView(r: UserTaskRow): UserTask {
  return {
    userTaskKey: r.task_key,
    state: r.state,
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    bpmnProcessId: r.process_id,
    processDefinitionKey: r.def_key,
    name: r.name,
    assignee: r.assignee,
    candidateGroups: JSON.parse(r.candidate_groups) as string[],
    candidateUsers: JSON.parse(r.candidate_users) as string[],
    dueDate: r.due_date,
    followUpDate: r.follow_up_date,
    formId: r.form_id,
    formKey: r.form_key,
    priority: Number(r.priority),
    createdAt: Number(r.created_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

export async function listUserTasks(db: SqlDriver, f: UserTaskFilter): Promise<UserTask[]> {
  const w = where([
    ['state = ?', f.state],
    ['assignee = ?', f.assignee],
    ['instance_key = ?', f.processInstanceKey],
    ['element_id = ?', f.elementId],
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
  const w = where([
    ['state = ?', f.state],
    ['instance_key = ?', f.processInstanceKey],
  ]);
  const rows = await db.read<IncidentRow>(`SELECT * FROM eng_incident${w.sql} ORDER BY incident_key LIMIT 1000`, w.params);
  return rows.map((r) => ({
    incidentKey: r.incident_key,
    state: r.state,
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    bpmnProcessId: r.process_id,
    jobKey: r.job_key,
    errorType: r.error_type,
    errorMessage: r.error_message,
    createdAt: Number(r.created_at),
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
  }));
}

export async function listTimers(db: SqlDriver, f: TimerFilter) {
  const w = where([['instance_key = ?', f.processInstanceKey]]);
  const rows = await db.read<TimerRow>(`SELECT * FROM eng_timer${w.sql} ORDER BY due_at${page(f.limit, 0)}`, w.params);
  return rows.map((r) => ({
    timerKey: r.timer_key,
    dueAt: Number(r.due_at),
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    processDefinitionKey: r.def_key,
    repetitions: Number(r.repetitions),
  }));
}

export async function listSubscriptions(db: SqlDriver, instanceKey?: string) {
  const w = where([['instance_key = ?', instanceKey]]);
  const rows = await db.read<SubscriptionRow>(`SELECT * FROM eng_subscription${w.sql} ORDER BY sub_key LIMIT 1000`, w.params);
  return rows.map((r) => ({
    kind: r.kind,
    name: r.name,
    correlationKey: r.correlation_key,
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
  }));
}

function historyView(r: HistoryRow): HistoryEvent {
  return {
    position: Number(r.position),
    processInstanceKey: r.instance_key,
    bpmnProcessId: r.process_id,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    elementType: r.element_type,
    intent: r.intent,
    at: Number(r.at),
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
    'SELECT def_key, process_id, version, resource, deployed_at FROM eng_definition ORDER BY process_id, version',
  );
  return rows.map((r) => ({
    processDefinitionKey: r.def_key,
    bpmnProcessId: r.process_id,
    version: Number(r.version),
    resourceName: r.resource,
    deployedAt: Number(r.deployed_at),
  }));
}

export interface DecisionView {
  decisionKey: string;
  decisionId: string;
  decisionName: string | null;
  version: number;
  versionTag: string | null;
  decisionRequirementsKey: string;
  decisionRequirementsId: string;
  resourceName: string;
  deployedAt: number;
}

/** Every deployed decision version, by decision id then version. */
export async function listDecisions(db: SqlDriver): Promise<DecisionView[]> {
  const rows = await db.read<{
    decision_key: string;
    decision_id: string;
    name: string | null;
    version: number;
    version_tag: string | null;
    drg_key: string;
    drg_id: string;
    resource: string;
    deployed_at: number;
  }>(
    `SELECT d.decision_key, d.decision_id, d.name, d.version, d.version_tag, d.drg_key, g.drg_id, g.resource, d.deployed_at
       FROM eng_decision d JOIN eng_drg g ON g.drg_key = d.drg_key ORDER BY d.decision_id, d.version`,
  );
  return rows.map((r) => ({
    decisionKey: r.decision_key,
    decisionId: r.decision_id,
    decisionName: r.name,
    version: Number(r.version),
    versionTag: r.version_tag,
    decisionRequirementsKey: r.drg_key,
    decisionRequirementsId: r.drg_id,
    resourceName: r.resource,
    deployedAt: Number(r.deployed_at),
  }));
}

export async function getDefinitionXml(db: SqlDriver, defKey: string): Promise<string | null> {
  const [r] = await db.read<{ xml: string }>('SELECT xml FROM eng_definition WHERE def_key = ?', [defKey]);
  return r?.xml ?? null;
}

export interface FormView {
  formKey: string;
  formId: string;
  version: number;
  resourceName: string;
  deployedAt: number;
}

export async function listForms(db: SqlDriver): Promise<FormView[]> {
  const rows = await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number }>(
    'SELECT form_key, form_id, version, resource, deployed_at FROM eng_form ORDER BY form_id, version',
  );
  return rows.map((r) => ({ formKey: r.form_key, formId: r.form_id, version: Number(r.version), resourceName: r.resource, deployedAt: Number(r.deployed_at) }));
}

/** The latest version of a form (or the given version), with its JSON. */
export async function getForm(db: SqlDriver, formId: string, version?: number): Promise<(FormView & { content: unknown }) | null> {
  const rows =
    version === undefined
      ? await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number; content: string }>(
          'SELECT * FROM eng_form WHERE form_id = ? ORDER BY version DESC LIMIT 1',
          [formId],
        )
      : await db.read<{ form_key: string; form_id: string; version: number; resource: string; deployed_at: number; content: string }>(
          'SELECT * FROM eng_form WHERE form_id = ? AND version = ?',
          [formId, version],
        );
  const r = rows[0];
  return r
    ? {
        formKey: r.form_key,
        formId: r.form_id,
        version: Number(r.version),
        resourceName: r.resource,
        deployedAt: Number(r.deployed_at),
        content: JSON.parse(r.content),
      }
    : null;
}

// ─────────────── operations (issue 18): Operate-style views ───────────────

export interface DefinitionSummary {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  runningInstances: number;
  openIncidents: number;
}

/** Every deployed version with its ACTIVE instances and the ACTIVE incidents in them. */
export async function definitionSummaries(db: SqlDriver): Promise<DefinitionSummary[]> {
  const defs = await db.read<{ def_key: string; process_id: string; version: number }>(
    'SELECT def_key, process_id, version FROM eng_definition ORDER BY process_id, version',
  );
  const running = await db.read<{ def_key: string; n: number }>("SELECT def_key, COUNT(*) AS n FROM eng_instance WHERE state = 'ACTIVE' GROUP BY def_key");
  const incidents = await db.read<{ def_key: string; n: number }>(
    "SELECT i.def_key AS def_key, COUNT(*) AS n FROM eng_incident x JOIN eng_instance i ON i.instance_key = x.instance_key WHERE x.state = 'ACTIVE' GROUP BY i.def_key",
  );
  const runningOf = new Map(running.map((r) => [r.def_key, Number(r.n)]));
  const incidentsOf = new Map(incidents.map((r) => [r.def_key, Number(r.n)]));
  return defs.map((d) => ({
    processDefinitionKey: d.def_key,
    bpmnProcessId: d.process_id,
    version: Number(d.version),
    runningInstances: runningOf.get(d.def_key) ?? 0,
    openIncidents: incidentsOf.get(d.def_key) ?? 0,
  }));
}

/** Per element of one definition: live element instances (the process itself left out) and ACTIVE incidents. */
export async function elementStatistics(db: SqlDriver, defKey: string): Promise<Array<{ elementId: string; active: number; incidents: number }>> {
  const active = await db.read<{ element_id: string; n: number }>(
    "SELECT e.element_id AS element_id, COUNT(*) AS n FROM eng_element e JOIN eng_instance i ON i.instance_key = e.instance_key WHERE i.def_key = ? AND i.state = 'ACTIVE' AND e.element_type <> 'process' GROUP BY e.element_id",
    [defKey],
  );
  const incidents = await db.read<{ element_id: string; n: number }>(
    "SELECT x.element_id AS element_id, COUNT(*) AS n FROM eng_incident x JOIN eng_instance i ON i.instance_key = x.instance_key WHERE i.def_key = ? AND x.state = 'ACTIVE' GROUP BY x.element_id",
    [defKey],
  );
  const stats = new Map<string, { elementId: string; active: number; incidents: number }>();
  const of = (id: string) => stats.get(id) ?? stats.set(id, { elementId: id, active: 0, incidents: 0 }).get(id)!;
  for (const r of active) of(r.element_id).active = Number(r.n);
  for (const r of incidents) of(r.element_id).incidents = Number(r.n);
  return [...stats.values()].sort((a, b) => a.elementId.localeCompare(b.elementId));
}

export interface InstanceSearchFilter {
  bpmnProcessId?: string;
  version?: number;
  state?: ProcessInstance['state'];
  elementId?: string;
  withIncident?: boolean;
  incidentType?: string;
  instanceKeys?: string[];
  startedFrom?: number;
  startedTo?: number;
  /** keyset: instances with a smaller key than this one (newest first) */
  beforeKey?: string;
  limit: number;
}

/**
 * Instances newest first (keys grow with time; every key has 16 digits, so they order as text too),
 * each with its count of ACTIVE incidents. One row more than `limit` tells whether a next page exists.
 */
export async function searchInstances(db: SqlDriver, f: InstanceSearchFilter): Promise<Array<ProcessInstance & { openIncidents: number }>> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]) => {
    conditions.push(sql);
    params.push(...values);
  };
  if (f.bpmnProcessId !== undefined) add('i.process_id = ?', f.bpmnProcessId);
  if (f.version !== undefined) add('i.version = ?', f.version);
  if (f.state !== undefined) add('i.state = ?', f.state);
  if (f.startedFrom !== undefined) add('i.started_at >= ?', f.startedFrom);
  if (f.startedTo !== undefined) add('i.started_at < ?', f.startedTo);
  if (f.beforeKey !== undefined) add('i.instance_key < ?', f.beforeKey);
  if (f.instanceKeys !== undefined) {
    if (!f.instanceKeys.length) return [];
    add(`i.instance_key IN (${f.instanceKeys.map(() => '?').join(', ')})`, ...f.instanceKeys);
  }
  if (f.elementId !== undefined) add('EXISTS (SELECT 1 FROM eng_element e WHERE e.instance_key = i.instance_key AND e.element_id = ?)', f.elementId);
  if (f.incidentType !== undefined)
    add("EXISTS (SELECT 1 FROM eng_incident x WHERE x.instance_key = i.instance_key AND x.state = 'ACTIVE' AND x.error_type = ?)", f.incidentType);
  else if (f.withIncident) add("EXISTS (SELECT 1 FROM eng_incident x WHERE x.instance_key = i.instance_key AND x.state = 'ACTIVE')");
  const limit = Math.min(Math.max(1, Math.floor(f.limit)), 1001);
  const rows = await db.read<InstanceRow>(
    `SELECT i.* FROM eng_instance i${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY i.instance_key DESC LIMIT ${limit}`,
    params,
  );
  if (!rows.length) return [];
  const keys = rows.map((r) => r.instance_key);
  const counts = await db.read<{ instance_key: string; n: number }>(
    `SELECT instance_key, COUNT(*) AS n FROM eng_incident WHERE state = 'ACTIVE' AND instance_key IN (${keys.map(() => '?').join(', ')}) GROUP BY instance_key`,
    keys,
  );
  const countOf = new Map(counts.map((c) => [c.instance_key, Number(c.n)]));
  return rows.map((r) => ({ ...instanceView(r), openIncidents: countOf.get(r.instance_key) ?? 0 }));
}

export interface IncidentWithJob extends IncidentView {
  jobRetries: number | null;
}

/** ACTIVE incidents (or one incident in any state, by key) with their job's retries now. */
export async function incidentsWithJobs(
  db: SqlDriver,
  f: { instanceKeys?: string[]; incidentType?: string; incidentKey?: string },
): Promise<IncidentWithJob[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (f.incidentKey !== undefined) {
    conditions.push('x.incident_key = ?');
    params.push(f.incidentKey);
  } else conditions.push("x.state = 'ACTIVE'");
  if (f.incidentType !== undefined) {
    conditions.push('x.error_type = ?');
    params.push(f.incidentType);
  }
  if (f.instanceKeys !== undefined) {
    if (!f.instanceKeys.length) return [];
    conditions.push(`x.instance_key IN (${f.instanceKeys.map(() => '?').join(', ')})`);
    params.push(...f.instanceKeys);
  }
  const rows = await db.read<IncidentRow & { job_retries: number | null }>(
    `SELECT x.*, j.retries AS job_retries FROM eng_incident x LEFT JOIN eng_job j ON j.job_key = x.job_key WHERE ${conditions.join(' AND ')} ORDER BY x.incident_key LIMIT 1000`,
    params,
  );
  return rows.map((r) => ({
    incidentKey: r.incident_key,
    state: r.state,
    processInstanceKey: r.instance_key,
    elementInstanceKey: r.element_key,
    elementId: r.element_id,
    bpmnProcessId: r.process_id,
    jobKey: r.job_key,
    errorType: r.error_type,
    errorMessage: r.error_message,
    createdAt: Number(r.created_at),
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
    jobRetries: r.job_retries === null || r.job_retries === undefined ? null : Number(r.job_retries),
  }));
}

export async function countOpenIncidents(db: SqlDriver): Promise<number> {
  const [r] = await db.read<{ n: number }>("SELECT COUNT(*) AS n FROM eng_incident WHERE state = 'ACTIVE'");
  return Number(r?.n ?? 0);
}
