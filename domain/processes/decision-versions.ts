import type { Selectable } from 'kysely';
import { DmnModdle } from 'dmn-moddle';
import { appSql } from '../../db/sql/current.js';
import type { DecisionVersionsTable } from '../../db/sql/schema.js';
import type { DeployResource } from '../../port/workflow-engine.js';
import type { AuditChain } from '../audit/index.js';
import { sha256, type Deployer } from './versions.js';

/**
 * The DMN files (decision requirements graphs) deployed, by version (issue 15): what the modeler's decision page
 * lists and opens. A DRG is known by its definitions id; a file that differs from its latest version is the next
 * version, the rule both engines apply, so the numbers here are the engines' DRG versions.
 */

export type DecisionVersionRow = Selectable<DecisionVersionsTable>;

export interface DrgInfo {
  drgId: string;
  name: string | null;
  decisionIds: string[];
}

/** The definitions id, its name and the decision ids of a DMN file; null when it is not one. */
export async function drgInfo(xml: string): Promise<DrgInfo | null> {
  try {
    const { rootElement } = await DmnModdle().fromXML(xml, 'dmn:Definitions');
    const defs = rootElement as { id?: string; name?: string; drgElement?: Array<{ $type: string; id: string }> };
    if (!defs?.id) return null;
    return {
      drgId: defs.id,
      name: defs.name ? defs.name.slice(0, 255) : null,
      decisionIds: (defs.drgElement ?? []).filter((e) => e.$type === 'dmn:Decision').map((e) => e.id),
    };
  } catch {
    return null;
  }
}

/**
 * Records the `.dmn` resources of a deployment the engine accepted, in the caller's audit-chain transaction: a file
 * equal to its DRG's latest version records nothing; another is the next version, audited `decision.deployed`.
 */
export async function recordDecisionsIn(
  chain: AuditChain,
  resources: DeployResource[],
  by: Deployer,
  now = new Date(),
): Promise<Array<{ drgId: string; version: number; isNew: boolean }>> {
  const db = appSql(chain.transaction);
  const out: Array<{ drgId: string; version: number; isNew: boolean }> = [];
  for (const r of resources.filter((x) => x.name.endsWith('.dmn'))) {
    const info = await drgInfo(r.content);
    if (!info) continue; // the engine took it, so this does not happen; nothing to list it by if it did
    const checksum = sha256(r.content);
    const latest = await db
      .selectFrom('decision_versions')
      .select(['version', 'checksum'])
      .where('drgId', '=', info.drgId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest?.checksum === checksum) {
      out.push({ drgId: info.drgId, version: latest.version, isNew: false });
      continue;
    }
    const version = (latest?.version ?? 0) + 1;
    await db
      .insertInto('decision_versions')
      .values({
        drgId: info.drgId,
        version,
        name: info.name,
        decisionIds: JSON.stringify(info.decisionIds),
        resourceName: r.name,
        xml: r.content,
        checksum,
        deployedBy: by.username,
        deployedAt: now,
      })
      .execute();
    await chain.append({
      caseId: null,
      actor: by.username,
      actorRole: by.role,
      action: 'decision.deployed',
      detail: { drgId: info.drgId, version, decisionIds: info.decisionIds, resource: r.name, checksum },
      at: now,
    });
    out.push({ drgId: info.drgId, version, isNew: true });
  }
  return out;
}

export interface DecisionFileSummary {
  drgId: string;
  name: string | null;
  decisionIds: string[];
  latestVersion: number;
  versionCount: number;
  deployedAt: string;
}

export async function listDecisionFiles(): Promise<DecisionFileSummary[]> {
  const rows = await appSql()
    .selectFrom('decision_versions')
    .select(['drgId', 'version', 'name', 'decisionIds', 'deployedAt'])
    .orderBy('drgId', 'asc')
    .orderBy('version', 'asc')
    .execute();
  const byId = new Map<string, DecisionFileSummary>();
  for (const r of rows) {
    const s = byId.get(r.drgId) ?? { drgId: r.drgId, name: null, decisionIds: [], latestVersion: 0, versionCount: 0, deployedAt: '' };
    s.versionCount++;
    if (r.version > s.latestVersion)
      Object.assign(s, { latestVersion: r.version, name: r.name, decisionIds: JSON.parse(r.decisionIds) as string[], deployedAt: r.deployedAt.toISOString() });
    byId.set(r.drgId, s);
  }
  return [...byId.values()];
}

export async function decisionFileVersions(
  drgId: string,
): Promise<Array<{ version: number; name: string | null; deployedAt: string; deployedBy: string; checksum: string }> | null> {
  const rows = await appSql()
    .selectFrom('decision_versions')
    .select(['version', 'name', 'deployedAt', 'deployedBy', 'checksum'])
    .where('drgId', '=', drgId)
    .orderBy('version', 'desc')
    .execute();
  if (!rows.length) return null;
  return rows.map((r) => ({ version: r.version, name: r.name, deployedAt: r.deployedAt.toISOString(), deployedBy: r.deployedBy, checksum: r.checksum }));
}

export async function decisionFileVersion(drgId: string, version: number | 'latest'): Promise<DecisionVersionRow | null> {
  const row = await appSql()
    .selectFrom('decision_versions')
    .selectAll()
    .where('drgId', '=', drgId)
    .$if(version !== 'latest', (b) => b.where('version', '=', version as number))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
