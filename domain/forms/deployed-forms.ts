import { appSql } from '../../db/sql/current.js';
import { compileForm } from './derive-schema.js';
import { parseFormDefinition } from './form-definition.js';
import { loadFormDirectory, type LoadedForm } from './load-forms.js';

let files: Map<string, LoadedForm> | null = null;
const compiled = new Map<string, LoadedForm>();

/**
 * The form a task shows and is checked against: the latest version deployed (the form editor deploys
 * new ones; user tasks link their form by id with the engines' default "latest" binding), else the
 * repository's `forms/` file. Compiled once per version.
 */
export async function taskForm(formId: string): Promise<LoadedForm | undefined> {
  const latest = await appSql()
    .selectFrom('form_versions')
    .select(['formId', 'version', 'schema'])
    .where('formId', '=', formId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return (files ??= loadFormDirectory()).get(formId);
  const cacheKey = `${formId}@${latest.version}`;
  let form = compiled.get(cacheKey);
  if (!form) {
    const definition = parseFormDefinition(latest.schema, cacheKey);
    form = { formId, file: cacheKey, definition, derived: compileForm(definition).derived };
    compiled.set(cacheKey, form);
  }
  return form;
}
