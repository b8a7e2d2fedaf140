import { parseBpmn } from './model/parse.js';
import type { SqlDriver } from './store/driver.js';
import { readDefinitionDecisions, readDefinitionProcesses, readDefinitions } from './store/definitions.js';
import type { Definition } from './runtime/run.js';

/** The deployed process versions, parsed once and held in memory: by key, and the latest per process id. */
export class Definitions {
  private readonly byKey = new Map<string, Definition>();
  private readonly latestByProcess = new Map<string, Definition>();

  /** Parses every stored version (at open). */
  async load(driver: SqlDriver): Promise<void> {
    const decisionKeys = new Map<string, Record<string, string>>();
    for (const l of await readDefinitionDecisions(driver)) {
      const keys = decisionKeys.get(l.def_key) ?? {};
      keys[l.decision_id] = l.decision_key;
      decisionKeys.set(l.def_key, keys);
    }
    const processKeys = new Map<string, Record<string, string>>();
    for (const l of await readDefinitionProcesses(driver)) {
      const keys = processKeys.get(l.def_key) ?? {};
      keys[l.process_id] = l.called_def_key;
      processKeys.set(l.def_key, keys);
    }
    for (const r of await readDefinitions(driver)) {
      const parsed = await parseBpmn(r.resource, r.xml);
      const model = parsed.processes.find((p) => p.processId === r.process_id);
      if (!model) throw new Error(`stored definition ${r.def_key} (${r.process_id}) no longer parses`);
      const keys = decisionKeys.get(r.def_key);
      const called = processKeys.get(r.def_key);
      this.add({
        defKey: r.def_key,
        processId: r.process_id,
        version: Number(r.version),
        model,
        ...(keys ? { decisionKeys: keys } : {}),
        ...(called ? { processKeys: called } : {}),
      });
    }
  }

  /** A committed version: known by key, and the latest of its process if it is newer. */
  add(def: Definition): void {
    this.byKey.set(def.defKey, def);
    const latest = this.latestByProcess.get(def.processId);
    if (!latest || latest.version < def.version) this.latestByProcess.set(def.processId, def);
  }

  /** Known by key only, while the deployment that adds it is in its transaction (its start timers need it). */
  addPending(def: Definition): void {
    this.byKey.set(def.defKey, def);
  }

  /** The deployment's transaction failed. */
  forget(defKey: string): void {
    this.byKey.delete(defKey);
  }

  get(defKey: string): Definition {
    const d = this.byKey.get(defKey);
    if (!d) throw new Error(`definition ${defKey} is not loaded`);
    return d;
  }

  /** A version by key, or undefined (a caller's key, not one the engine stored). */
  find(defKey: string): Definition | undefined {
    return this.byKey.get(defKey);
  }

  latest(processId: string): Definition | undefined {
    return this.latestByProcess.get(processId);
  }

  /** Zeebe's versionTag binding: the latest version of the process carrying that `zeebe:versionTag`. */
  withVersionTag(processId: string, tag: string): Definition | undefined {
    let found: Definition | undefined;
    for (const d of this.byKey.values()) {
      if (d.processId === processId && d.model.versionTag === tag && (!found || d.version > found.version)) found = d;
    }
    return found;
  }

  version(processId: string, version: number): Definition | undefined {
    return [...this.byKey.values()].find((d) => d.processId === processId && d.version === version);
  }
}
