import type { SqlDriver } from './driver.js';

/** SQL of `eng_variable`: one row per variable and scope, the value as JSON text. */

export interface VariableDbRow {
  scope_key: string;
  name: string;
  value: string;
}

export async function selectScopesVariables(db: SqlDriver, scopeKeys: readonly string[]): Promise<VariableDbRow[]> {
  return db.all<VariableDbRow>(`SELECT scope_key, name, value FROM eng_variable WHERE scope_key IN (${scopeKeys.map(() => '?').join(', ')})`, scopeKeys);
}

/** The JSON text of one variable, or undefined when the scope does not hold it. */
export async function selectVariableText(db: SqlDriver, scopeKey: string, name: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM eng_variable WHERE scope_key = ? AND name = ?', [scopeKey, name]))?.value;
}

export async function insertVariable(db: SqlDriver, scopeKey: string, name: string, instanceKey: string, text: string): Promise<void> {
  await db.write('INSERT INTO eng_variable (scope_key, name, instance_key, value) VALUES (?, ?, ?, ?)', [scopeKey, name, instanceKey, text]);
}

export async function updateVariable(db: SqlDriver, scopeKey: string, name: string, text: string): Promise<void> {
  await db.write('UPDATE eng_variable SET value = ? WHERE scope_key = ? AND name = ?', [text, scopeKey, name]);
}

export async function deleteScopeVariables(db: SqlDriver, scopeKey: string): Promise<void> {
  await db.write('DELETE FROM eng_variable WHERE scope_key = ?', [scopeKey]);
}

export async function deleteInstanceVariables(db: SqlDriver, instanceKey: string): Promise<void> {
  await db.write('DELETE FROM eng_variable WHERE instance_key = ?', [instanceKey]);
}
