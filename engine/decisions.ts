import { parseDrg } from './dmn/parse.js';
import type { DeployedDrg } from './dmn/types.js';
import type { SqlDriver } from './store/driver.js';
import { readDrgs } from './store/definitions.js';

/** One version of one decision, with the parsed graph it is evaluated in. */
export interface DeployedDecision {
  decisionKey: string;
  decisionId: string;
  version: number;
  versionTag: string | null;
  drgKey: string;
  drgId: string;
  drgVersion: number;
  drg: DeployedDrg;
}

/** A deployed `.dmn` file version. */
export interface DeployedDrgVersion {
  drgKey: string;
  drgId: string;
  version: number;
  drg: DeployedDrg;
}

/**
 * The deployed decisions, parsed once and held in memory like the process definitions: by key, and every
 * version per decision id (latest and version-tag lookups). Empty, it costs nothing at run time.
 */
export class Decisions {
  private readonly byKey = new Map<string, DeployedDecision>();
  private readonly versionsById = new Map<string, DeployedDecision[]>();
  private readonly latestDrgById = new Map<string, DeployedDrgVersion>();

  /** Parses every stored DRG version (at open). */
  async load(driver: SqlDriver): Promise<void> {
    const { drgs, decisions } = await readDrgs(driver);
    const byDrg = new Map<string, DeployedDrgVersion>();
    for (const r of drgs) {
      const { drg } = await parseDrg(r.xml);
      if (!drg) throw new Error(`stored decision requirements graph ${r.drg_key} (${r.drg_id}) no longer parses`);
      const version: DeployedDrgVersion = { drgKey: r.drg_key, drgId: r.drg_id, version: Number(r.version), drg };
      byDrg.set(r.drg_key, version);
      this.addDrg(version);
    }
    for (const d of decisions) {
      const drg = byDrg.get(d.drg_key);
      if (!drg) throw new Error(`decision ${d.decision_key} refers to a missing decision requirements graph ${d.drg_key}`);
      this.add({
        decisionKey: d.decision_key,
        decisionId: d.decision_id,
        version: Number(d.version),
        versionTag: d.version_tag,
        drgKey: drg.drgKey,
        drgId: drg.drgId,
        drgVersion: drg.version,
        drg: drg.drg,
      });
    }
  }

  addDrg(drg: DeployedDrgVersion): void {
    const latest = this.latestDrgById.get(drg.drgId);
    if (!latest || latest.version < drg.version) this.latestDrgById.set(drg.drgId, drg);
  }

  add(decision: DeployedDecision): void {
    this.byKey.set(decision.decisionKey, decision);
    const versions = this.versionsById.get(decision.decisionId) ?? [];
    versions.push(decision);
    versions.sort((a, b) => a.version - b.version);
    this.versionsById.set(decision.decisionId, versions);
  }

  latestDrg(drgId: string): DeployedDrgVersion | undefined {
    return this.latestDrgById.get(drgId);
  }

  get(decisionKey: string): DeployedDecision | undefined {
    return this.byKey.get(decisionKey);
  }

  latest(decisionId: string): DeployedDecision | undefined {
    const versions = this.versionsById.get(decisionId);
    return versions?.[versions.length - 1];
  }

  /** The newest version carrying the tag (Camunda: a tag names one version; the newest wins if it was reused). */
  withVersionTag(decisionId: string, versionTag: string): DeployedDecision | undefined {
    return (this.versionsById.get(decisionId) ?? []).filter((d) => d.versionTag === versionTag).pop();
  }

  list(): DeployedDecision[] {
    return [...this.versionsById.values()].flat();
  }
}
