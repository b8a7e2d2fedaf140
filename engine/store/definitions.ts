import type { SqlDriver } from './driver.js';

/** SQL of `eng_definition` (versioned BPMN processes) and `eng_form` (versioned form-js forms). */

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

export async function insertDefinition(db: SqlDriver, d: { defKey: string; processId: string; version: number; resource: string; checksum: string; xml: string; deployedAt: number }): Promise<void> {
  await db.run(
    'INSERT INTO eng_definition (def_key, process_id, version, resource, checksum, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [d.defKey, d.processId, d.version, d.resource, d.checksum, d.xml, d.deployedAt],
  );
}

export async function latestForm(db: SqlDriver, formId: string): Promise<{ form_key: string; version: number; checksum: string } | undefined> {
  return db.get<{ form_key: string; version: number; checksum: string }>('SELECT form_key, version, checksum FROM eng_form WHERE form_id = ? ORDER BY version DESC LIMIT 1', [formId]);
}

export async function insertForm(db: SqlDriver, f: { formKey: string; formId: string; version: number; resource: string; checksum: string; content: string; deployedAt: number }): Promise<void> {
  await db.run('INSERT INTO eng_form (form_key, form_id, version, resource, checksum, content, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [f.formKey, f.formId, f.version, f.resource, f.checksum, f.content, f.deployedAt]);
}
