import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productPath } from '../../config/product-root.js';
import { compileForm, type DerivedFormSchema } from './derive-schema.js';
import { parseFormDefinition, type FormDefinition } from './form-definition.js';

/** The repository's `forms/` folder. */
export const FORMS_DIR = fileURLToPath(productPath('forms/'));

export interface LoadedForm {
  formId: string;
  file: string;
  definition: FormDefinition;
  derived: DerivedFormSchema;
}

/**
 * Reads every `<formId>.form` of a folder, checks that the `id` inside equals the file name and
 * derives (and compiles) each submission schema, so a form the server cannot check fails at start-up.
 */
export function loadFormDirectory(dir: string = FORMS_DIR): Map<string, LoadedForm> {
  const forms = new Map<string, LoadedForm>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.form'))
    .sort()) {
    const file = join(dir, name);
    const definition = parseFormDefinition(readFileSync(file, 'utf8'), name);
    const formId = basename(name, '.form');
    if (definition.id !== formId) throw new Error(`${name}: id is '${definition.id}', expected '${formId}' (the file name)`);
    forms.set(formId, { formId, file, definition, derived: compileForm(definition).derived });
  }
  return forms;
}
