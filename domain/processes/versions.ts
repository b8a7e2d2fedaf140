import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { FormVersionsTable, ProcessVersionsTable } from '../../db/sql/schema.js';
import type { DeployResource, DeployResult } from '../../port/workflow-engine.js';
import { withAuditChain, type AuditChain } from '../audit/index.js';
import type { FormSummary, ProcessSummary, VersionSummary } from './process-admin-types.js';

/** Who deployed: a user, or `system` for the product deploy at start. */
export interface Deployer {
  username: string;
  role: string | null;
}

export const SYSTEM_DEPLOYER: Deployer = { username: 'system', role: null };

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface RecordedDeployment {
  processes: Array<{ processId: string; version: number; processDefinitionKey: string; isNew: boolean }>;
  forms: Array<{ formId: string; version: number; formKey: string; isNew: boolean }>;
}

function processNameOf(xml: string, processId: string): string | null {
  // the name attribute of <bpmn:process id="…" name="…">, without a second parse of the document
  const tag = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?process\\b[^>]*\\bid="${processId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`).exec(xml)?.[0];
  const name = tag ? /\bname="([^"]*)"/.exec(tag)?.[1] : undefined;
  return name === undefined
    ? null
    : name
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
        .slice(0, 255);
}

/**
 * Records what a deployment created, in the caller's audit-chain transaction. The engines answer an
 * unchanged resource with its existing version, so a version already recorded is not recorded (nor
 * audited) again: a redeploy of identical XML creates no new version here either.
 */
export async function recordDeploymentIn(
  chain: AuditChain,
  resources: DeployResource[],
  result: DeployResult,
  by: Deployer,
  now = new Date(),
): Promise<RecordedDeployment> {
  const db = appSql(chain.transaction);
  const content = new Map(resources.map((r) => [r.name, r.content]));
  const out: RecordedDeployment = { processes: [], forms: [] };
  for (const p of result.processes) {
    const existing = await db
      .selectFrom('process_versions')
      .select('id')
      .where('processId', '=', p.bpmnProcessId)
      .where('version', '=', p.version)
      .executeTakeFirst();
    const xml = content.get(p.resourceName);
    const isNew = !existing && xml !== undefined;
    if (isNew) {
      const checksum = sha256(xml);
      await db
        .insertInto('process_versions')
        .values({
          processId: p.bpmnProcessId,
          version: p.version,
          processDefinitionKey: p.processDefinitionKey,
          name: processNameOf(xml, p.bpmnProcessId),
          resourceName: p.resourceName,
          xml,
          checksum,
          deployedBy: by.username,
          deployedAt: now,
        })
        .execute();
      await chain.append({
        caseId: null,
        actor: by.username,
        actorRole: by.role,
        action: 'process.deployed',
        detail: { processId: p.bpmnProcessId, version: p.version, processDefinitionKey: p.processDefinitionKey, resource: p.resourceName, checksum },
        at: now,
      });
    }
    out.processes.push({ processId: p.bpmnProcessId, version: p.version, processDefinitionKey: p.processDefinitionKey, isNew });
  }
  for (const f of result.forms) {
    const existing = await db.selectFrom('form_versions').select('id').where('formId', '=', f.formId).where('version', '=', f.version).executeTakeFirst();
    const schema = content.get(f.resourceName);
    const isNew = !existing && schema !== undefined;
    if (isNew) {
      const checksum = sha256(schema);
      await db
        .insertInto('form_versions')
        .values({ formId: f.formId, version: f.version, formKey: f.formKey, schema, checksum, deployedBy: by.username, deployedAt: now })
        .execute();
      await chain.append({
        caseId: null,
        actor: by.username,
        actorRole: by.role,
        action: 'form.deployed',
        detail: { formId: f.formId, version: f.version, formKey: f.formKey, resource: f.resourceName, checksum },
        at: now,
      });
    }
    out.forms.push({ formId: f.formId, version: f.version, formKey: f.formKey, isNew });
  }
  return out;
}

/** {@link recordDeploymentIn} in a transaction of its own (the product deploy at start). */
export function recordDeployment(resources: DeployResource[], result: DeployResult, by: Deployer = SYSTEM_DEPLOYER): Promise<RecordedDeployment> {
  return withAuditChain((chain) => recordDeploymentIn(chain, resources, result, by));
}

/** The XML of a deployed process definition, by the engine's key (the diagram a case runs); null if unknown. */
export async function processXmlOfDefinition(processDefinitionKey: string): Promise<string | null> {
  const row = await appSql().selectFrom('process_versions').select('xml').where('processDefinitionKey', '=', String(processDefinitionKey)).executeTakeFirst();
  return row?.xml ?? null;
}

/** Every process with a deployed version or a draft, by id. */
export async function listProcesses(): Promise<ProcessSummary[]> {
  const rows = await appSql()
    .selectFrom('process_versions')
    .select(['processId', 'version', 'name', 'deployedAt'])
    .orderBy('processId', 'asc')
    .orderBy('version', 'asc')
    .execute();
  const drafts = new Set((await appSql().selectFrom('process_drafts').select('processId').execute()).map((d) => d.processId));
  const byId = new Map<string, ProcessSummary>();
  for (const r of rows) {
    const s = byId.get(r.processId) ?? {
      processId: r.processId,
      name: null,
      latestVersion: null,
      versionCount: 0,
      deployedAt: null,
      hasDraft: drafts.has(r.processId),
    };
    s.versionCount++;
    if (s.latestVersion === null || r.version > s.latestVersion)
      Object.assign(s, { latestVersion: r.version, name: r.name, deployedAt: r.deployedAt.toISOString() });
    byId.set(r.processId, s);
  }
  for (const id of drafts)
    if (!byId.has(id)) byId.set(id, { processId: id, name: null, latestVersion: null, versionCount: 0, deployedAt: null, hasDraft: true });
  return [...byId.values()].sort((a, b) => a.processId.localeCompare(b.processId));
}

/** The versions of one process, newest first; null when the process has none. */
export async function processVersions(processId: string): Promise<VersionSummary[] | null> {
  const rows = await appSql()
    .selectFrom('process_versions')
    .select(['version', 'processDefinitionKey', 'name', 'deployedAt', 'deployedBy', 'checksum'])
    .where('processId', '=', processId)
    .orderBy('version', 'desc')
    .execute();
  if (!rows.length) return null;
  return rows.map((r) => ({
    version: r.version,
    processDefinitionKey: r.processDefinitionKey,
    name: r.name,
    deployedAt: r.deployedAt.toISOString(),
    deployedBy: r.deployedBy,
    checksum: r.checksum,
  }));
}

export type ProcessVersionRow = Selectable<ProcessVersionsTable>;
export type FormVersionRow = Selectable<FormVersionsTable>;

/** One version's row (`latest`: the newest), or null. */
export async function processVersion(processId: string, version: number | 'latest'): Promise<ProcessVersionRow | null> {
  const row = await appSql()
    .selectFrom('process_versions')
    .selectAll()
    .where('processId', '=', processId)
    .$if(version !== 'latest', (b) => b.where('version', '=', version as number))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Every process id with a deployed version (what a call activity may call). */
export async function deployedProcessIds(): Promise<Set<string>> {
  const rows = await appSql().selectFrom('process_versions').select('processId').groupBy('processId').execute();
  return new Set(rows.map((r) => r.processId));
}

export async function listForms(): Promise<FormSummary[]> {
  const rows = await appSql()
    .selectFrom('form_versions')
    .select(['formId', 'version', 'deployedAt'])
    .orderBy('formId', 'asc')
    .orderBy('version', 'asc')
    .execute();
  const byId = new Map<string, FormSummary>();
  for (const r of rows) {
    const s = byId.get(r.formId) ?? { formId: r.formId, latestVersion: 0, versionCount: 0, deployedAt: r.deployedAt.toISOString() };
    s.versionCount++;
    if (r.version > s.latestVersion) Object.assign(s, { latestVersion: r.version, deployedAt: r.deployedAt.toISOString() });
    byId.set(r.formId, s);
  }
  return [...byId.values()];
}

export async function formVersions(
  formId: string,
): Promise<Array<{ version: number; formKey: string; deployedAt: string; deployedBy: string; checksum: string }> | null> {
  const rows = await appSql()
    .selectFrom('form_versions')
    .select(['version', 'formKey', 'deployedAt', 'deployedBy', 'checksum'])
    .where('formId', '=', formId)
    .orderBy('version', 'desc')
    .execute();
  if (!rows.length) return null;
  return rows.map((r) => ({ version: r.version, formKey: r.formKey, deployedAt: r.deployedAt.toISOString(), deployedBy: r.deployedBy, checksum: r.checksum }));
}

export async function formVersion(formId: string, version: number | 'latest'): Promise<FormVersionRow | null> {
  const row = await appSql()
    .selectFrom('form_versions')
    .selectAll()
    .where('formId', '=', formId)
    .$if(version !== 'latest', (b) => b.where('version', '=', version as number))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
