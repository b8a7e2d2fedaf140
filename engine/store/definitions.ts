import type { SqlDriver } from './driver.js';

/**
 * SQL of `eng_definition` (versioned BPMN processes), `eng_form` (versioned form-js forms), and DMN: `eng_drg`
 * (versioned `.dmn` files), `eng_decision` (their decisions, versioned per decision id) and
 * `eng_definition_decision` (the decisions deployed with a process version, for bindingType="deployment"), and
 * `eng_definition_process` (the processes deployed with a process version, for call activities bound by deployment).
 */

export interface DefinitionDbRow {
  def_key: string;
  process_id: string;
  version: number;
  resource: string;
  xml: string;
}

/** Committed state: every deployed version, oldest first per process. */
export async function readDefinitions(db: SqlDriver): Promise<DefinitionDbRow[]> {
  return db.read<DefinitionDbRow>('SELECT def_key, process_id, version, resource, xml FROM eng_definition ORDER BY process_id, version');
}

export async function definitionChecksum(db: SqlDriver, defKey: string): Promise<string | undefined> {
  return (await db.get<{ checksum: string }>('SELECT checksum FROM eng_definition WHERE def_key = ?', [defKey]))?.checksum;
}

export async function insertDefinition(
  db: SqlDriver,
  d: { defKey: string; processId: string; version: number; resource: string; checksum: string; xml: string; deployedAt: number },
): Promise<void> {
  await db.run('INSERT INTO eng_definition (def_key, process_id, version, resource, checksum, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    d.defKey,
    d.processId,
    d.version,
    d.resource,
    d.checksum,
    d.xml,
    d.deployedAt,
  ]);
}

export async function latestForm(db: SqlDriver, formId: string): Promise<{ form_key: string; version: number; checksum: string } | undefined> {
  return db.get<{ form_key: string; version: number; checksum: string }>(
    'SELECT form_key, version, checksum FROM eng_form WHERE form_id = ? ORDER BY version DESC LIMIT 1',
    [formId],
  );
}

export async function insertForm(
  db: SqlDriver,
  f: { formKey: string; formId: string; version: number; resource: string; checksum: string; content: string; deployedAt: number },
): Promise<void> {
  await db.run('INSERT INTO eng_form (form_key, form_id, version, resource, checksum, content, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    f.formKey,
    f.formId,
    f.version,
    f.resource,
    f.checksum,
    f.content,
    f.deployedAt,
  ]);
}

export interface DrgDbRow {
  drg_key: string;
  drg_id: string;
  version: number;
  resource: string;
  xml: string;
}

export interface DecisionDbRow {
  decision_key: string;
  decision_id: string;
  version: number;
  version_tag: string | null;
  drg_key: string;
}

/** Committed DMN state: every DRG version and every decision version, oldest first. */
export async function readDrgs(db: SqlDriver): Promise<{ drgs: DrgDbRow[]; decisions: DecisionDbRow[] }> {
  const drgs = await db.read<DrgDbRow>('SELECT drg_key, drg_id, version, resource, xml FROM eng_drg ORDER BY drg_id, version');
  // no DRG, no decision: a database without DMN costs one query at open
  const decisions = drgs.length
    ? await db.read<DecisionDbRow>('SELECT decision_key, decision_id, version, version_tag, drg_key FROM eng_decision ORDER BY decision_id, version')
    : [];
  return { drgs, decisions };
}

export async function drgChecksum(db: SqlDriver, drgKey: string): Promise<string | undefined> {
  return (await db.get<{ checksum: string }>('SELECT checksum FROM eng_drg WHERE drg_key = ?', [drgKey]))?.checksum;
}

export async function insertDrg(
  db: SqlDriver,
  d: { drgKey: string; drgId: string; version: number; resource: string; checksum: string; xml: string; deployedAt: number },
): Promise<void> {
  await db.run('INSERT INTO eng_drg (drg_key, drg_id, version, resource, checksum, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    d.drgKey,
    d.drgId,
    d.version,
    d.resource,
    d.checksum,
    d.xml,
    d.deployedAt,
  ]);
}

export async function insertDecision(
  db: SqlDriver,
  d: { decisionKey: string; decisionId: string; version: number; versionTag: string | null; name: string | null; drgKey: string; deployedAt: number },
): Promise<void> {
  await db.run('INSERT INTO eng_decision (decision_key, decision_id, version, version_tag, name, drg_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    d.decisionKey,
    d.decisionId,
    d.version,
    d.versionTag,
    d.name,
    d.drgKey,
    d.deployedAt,
  ]);
}

export async function insertDefinitionDecision(db: SqlDriver, defKey: string, decisionId: string, decisionKey: string): Promise<void> {
  await db.run('INSERT INTO eng_definition_decision (def_key, decision_id, decision_key) VALUES (?, ?, ?)', [defKey, decisionId, decisionKey]);
}

/** Call activities with bindingType="deployment": the process versions deployed together with a process version. */
export async function insertDefinitionProcess(db: SqlDriver, defKey: string, processId: string, calledDefKey: string): Promise<void> {
  await db.run('INSERT INTO eng_definition_process (def_key, process_id, called_def_key) VALUES (?, ?, ?)', [defKey, processId, calledDefKey]);
}

/** def key → process id → key of the version deployed with it. */
export async function readDefinitionProcesses(db: SqlDriver): Promise<Array<{ def_key: string; process_id: string; called_def_key: string }>> {
  return db.read('SELECT def_key, process_id, called_def_key FROM eng_definition_process');
}

/** def key → decision id → decision key, for process versions deployed with decisions they bind to by deployment. */
export async function readDefinitionDecisions(db: SqlDriver): Promise<Array<{ def_key: string; decision_id: string; decision_key: string }>> {
  return db.read('SELECT def_key, decision_id, decision_key FROM eng_definition_decision');
}
