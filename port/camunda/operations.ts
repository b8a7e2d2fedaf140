/**
 * The operations views of the port (issue 18) on a Camunda 8.8 cluster: the Orchestration Cluster REST
 * API's searches over secondary storage (process definitions, process instances, incidents, jobs) and
 * its per-definition element statistics, through the official client's public methods. Searches read
 * what the cluster has exported so far: they do not wait for a command just sent (waitUpToMs 0).
 */
import type { CamundaClient, IncidentKey, JobKey, ProcessDefinitionKey, ProcessInstanceKey } from '@camunda8/orchestration-cluster-api';
import {
  PortError,
  type ElementStatistics,
  type MigrationPlan,
  type IncidentDetail,
  type InstanceSearch,
  type InstanceSummary,
  type ProcessDefinitionSummary,
} from '../workflow-engine.js';
import { mapped } from './errors.js';

const asKey = <K>(value: string): K => value as unknown as K;
const now = { consistency: { waitUpToMs: 0 } } as const;
/** the most rows one search answers (the REST API's own page limit is larger; this bounds a page we hold) */
const MAX_ROWS = 1000;

interface IncidentRow {
  incidentKey?: unknown;
  state?: string;
  processInstanceKey?: unknown;
  processDefinitionId?: unknown;
  elementId?: unknown;
  elementInstanceKey?: unknown;
  errorType?: string;
  errorMessage?: string;
  jobKey?: unknown;
  creationTime?: string;
}
interface InstanceRow {
  processInstanceKey: unknown;
  processDefinitionKey: unknown;
  processDefinitionId: unknown;
  processDefinitionVersion: number;
  state: string;
  parentProcessInstanceKey?: unknown;
  startDate: string;
  endDate?: string;
  hasIncident: boolean;
}

export class CamundaOperations {
  constructor(private readonly client: CamundaClient) {}

  async listProcessDefinitions(): Promise<ProcessDefinitionSummary[]> {
    const defs = await mapped('search process definitions', () => this.client.searchProcessDefinitions({ page: { limit: MAX_ROWS } }, now));
    const out: ProcessDefinitionSummary[] = [];
    for (const d of defs.items ?? []) {
      const key = String(d.processDefinitionKey);
      const running = await mapped('count instances', () =>
        this.client.searchProcessInstances({ filter: { processDefinitionKey: asKey<ProcessDefinitionKey>(key), state: 'ACTIVE' }, page: { limit: 1 } }, now),
      );
      const incidents = await mapped('count incidents', () =>
        this.client.searchIncidents({ filter: { processDefinitionKey: asKey<ProcessDefinitionKey>(key), state: 'ACTIVE' }, page: { limit: 1 } }, now),
      );
      out.push({
        processDefinitionKey: key,
        bpmnProcessId: String(d.processDefinitionId),
        version: Number(d.version),
        runningInstances: Number(running.page.totalItems),
        openIncidents: Number(incidents.page.totalItems),
      });
    }
    return out.sort((a, b) => a.bpmnProcessId.localeCompare(b.bpmnProcessId) || a.version - b.version);
  }

  async processDefinitionXml(key: string): Promise<string> {
    return String(
      await mapped(`read process definition ${key}`, () =>
        this.client.getProcessDefinitionXml({ processDefinitionKey: asKey<ProcessDefinitionKey>(key) }, now),
      ),
    );
  }

  /** Operate's own source for the diagram badges: `POST /v2/process-definitions/{key}/statistics/element-instances`, running instances only. */
  async elementStatistics(key: string): Promise<ElementStatistics[]> {
    const r = await mapped(`statistics of ${key}`, () =>
      this.client.getProcessDefinitionStatistics({ processDefinitionKey: asKey<ProcessDefinitionKey>(key), filter: { state: 'ACTIVE' } }, now),
    );
    return (r.items ?? [])
      .map((s) => ({ elementId: String(s.elementId), active: Number(s.active ?? 0), incidents: Number(s.incidents ?? 0) }))
      .filter((s) => s.active || s.incidents);
  }

  /** The REST API's cursor paging: `next` is the page's `endCursor`. An incident type is found through the incident search first. */
  async searchInstances(s: InstanceSearch): Promise<{ items: InstanceSummary[]; next: string | null }> {
    let keys = s.processInstanceKeys;
    if (s.incidentType !== undefined) {
      const withType = new Set((await this.incidents({ errorType: s.incidentType })).map((i) => String(i.processInstanceKey)));
      keys = keys ? keys.filter((k) => withType.has(k)) : [...withType];
    }
    if (keys && !keys.length) return { items: [], next: null };
    const filter: Record<string, unknown> = {};
    if (s.bpmnProcessId !== undefined) filter['processDefinitionId'] = s.bpmnProcessId;
    if (s.version !== undefined) filter['processDefinitionVersion'] = s.version;
    if (s.state !== undefined) filter['state'] = s.state;
    if (s.elementId !== undefined) {
      filter['elementId'] = s.elementId;
      filter['elementInstanceState'] = 'ACTIVE';
    }
    if (s.withIncident) filter['hasIncident'] = true;
    if (keys) filter['processInstanceKey'] = { $in: keys };
    if (s.startedFrom !== undefined || s.startedTo !== undefined) {
      filter['startDate'] = { ...(s.startedFrom !== undefined ? { $gte: s.startedFrom } : {}), ...(s.startedTo !== undefined ? { $lt: s.startedTo } : {}) };
    }
    const page = s.after !== undefined ? { after: s.after, limit: s.limit } : { limit: s.limit };
    const r = await mapped('search process instances', () =>
      this.client.searchProcessInstances({ filter, sort: [{ field: 'processInstanceKey', order: 'DESC' }], page } as never, now),
    );
    const items: InstanceSummary[] = [];
    for (const i of (r.items ?? []) as unknown as InstanceRow[]) items.push(await this.summary(i));
    return { items, next: items.length === s.limit && r.page.endCursor ? String(r.page.endCursor) : null };
  }

  async getInstance(key: string): Promise<InstanceSummary | null> {
    const r = await mapped('search process instances', () =>
      this.client.searchProcessInstances({ filter: { processInstanceKey: asKey<ProcessInstanceKey>(key) }, page: { limit: 1 } }, now),
    );
    const row = (r.items ?? [])[0] as unknown as InstanceRow | undefined;
    return row ? this.summary(row) : null;
  }

  async listIncidents(f: { processInstanceKeys?: string[]; incidentType?: string }): Promise<IncidentDetail[]> {
    const rows: IncidentRow[] = [];
    const base = { ...(f.incidentType ? { errorType: f.incidentType } : {}) };
    if (f.processInstanceKeys) for (const key of f.processInstanceKeys) rows.push(...(await this.incidents({ ...base, processInstanceKey: key })));
    else rows.push(...(await this.incidents(base)));
    const out: IncidentDetail[] = [];
    for (const row of rows.slice(0, MAX_ROWS)) out.push(await this.detail(row));
    return out;
  }

  async getIncident(key: string): Promise<IncidentDetail | null> {
    try {
      const row = await mapped(`read incident ${key}`, () => this.client.getIncident({ incidentKey: asKey<IncidentKey>(key) }, now));
      return this.detail(row as IncidentRow);
    } catch (err) {
      if (err instanceof PortError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** The cluster's own migration (POST /process-instances/{key}/migration); its rejection names what cannot move. */
  async migrateInstance(processInstanceKey: string, plan: MigrationPlan): Promise<void> {
    await mapped(`migrate process instance ${processInstanceKey}`, () =>
      this.client.migrateProcessInstance({
        processInstanceKey: asKey<ProcessInstanceKey>(processInstanceKey),
        targetProcessDefinitionKey: asKey<ProcessDefinitionKey>(plan.targetProcessDefinitionKey),
        mappingInstructions: plan.mappingInstructions.map((m) => ({
          sourceElementId: asKey<never>(m.sourceElementId),
          targetElementId: asKey<never>(m.targetElementId),
        })),
      }),
    );
  }

  /** Camunda 8 has no dry run of a migration (Operate previews in its UI only): refused rather than guessed. */
  previewMigration(): never {
    throw new PortError(
      'UNAVAILABLE',
      "a Camunda 8 cluster offers no migration preview (dry run) through its API: use Operate's migration view, or migrate and read the rejection",
    );
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    await mapped(`update retries of job ${jobKey}`, () => this.client.updateJob({ jobKey: asKey<JobKey>(jobKey), changeset: { retries } }));
  }

  async countOpenIncidents(): Promise<number> {
    const r = await mapped('count incidents', () => this.client.searchIncidents({ filter: { state: 'ACTIVE' }, page: { limit: 1 } }, now));
    return Number(r.page.totalItems);
  }

  private async incidents(filter: Record<string, unknown>): Promise<IncidentRow[]> {
    const r = await mapped('search incidents', () =>
      this.client.searchIncidents({ filter: { ...filter, state: 'ACTIVE' }, page: { limit: MAX_ROWS } } as never, now),
    );
    return (r.items ?? []) as IncidentRow[];
  }

  private async summary(i: InstanceRow): Promise<InstanceSummary> {
    const key = String(i.processInstanceKey);
    const open = i.hasIncident ? (await this.incidents({ processInstanceKey: key })).length : 0;
    return {
      processInstanceKey: key,
      processDefinitionKey: String(i.processDefinitionKey),
      bpmnProcessId: String(i.processDefinitionId),
      version: Number(i.processDefinitionVersion),
      state: i.state === 'ACTIVE' || i.state === 'COMPLETED' ? i.state : 'TERMINATED',
      parentProcessInstanceKey: i.parentProcessInstanceKey ? String(i.parentProcessInstanceKey) : null,
      startedAt: new Date(i.startDate).toISOString(),
      endedAt: i.endDate ? new Date(i.endDate).toISOString() : null,
      openIncidents: open,
    };
  }

  private async detail(i: IncidentRow): Promise<IncidentDetail> {
    const jobKey = i.jobKey ? String(i.jobKey) : null;
    let jobRetries: number | null = null;
    if (jobKey) {
      const jobs = await mapped(`read job ${jobKey}`, () => this.client.searchJobs({ filter: { jobKey: asKey<JobKey>(jobKey) }, page: { limit: 1 } }, now));
      const job = (jobs.items ?? [])[0];
      jobRetries = job ? Number(job.retries) : null;
    }
    return {
      incidentKey: String(i.incidentKey),
      state: i.state === 'ACTIVE' ? 'ACTIVE' : 'RESOLVED',
      processInstanceKey: String(i.processInstanceKey),
      bpmnProcessId: String(i.processDefinitionId ?? ''),
      elementId: String(i.elementId ?? ''),
      elementInstanceKey: String(i.elementInstanceKey ?? ''),
      errorType: String(i.errorType ?? 'UNKNOWN'),
      errorMessage: String(i.errorMessage ?? ''),
      jobKey,
      jobRetries,
      createdAt: i.creationTime ? new Date(i.creationTime).toISOString() : new Date(0).toISOString(),
    };
  }
}
