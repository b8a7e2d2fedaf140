import { readFileSync } from 'node:fs';

/** processes/README.md, the contract between processes, workers, forms and the API. */
export const CONTRACT = readFileSync(new URL('../../processes/README.md', import.meta.url), 'utf8');

export interface FormContractRow {
  element: string;
  formId: string;
  candidateGroups: string;
  variables: string[];
}

/** The rows of the "User tasks and forms" table. */
export function userTaskForms(readme: string = CONTRACT): FormContractRow[] {
  const start = readme.indexOf('### User tasks and forms');
  if (start < 0) throw new Error('processes/README.md has no "User tasks and forms" section');
  const lines = readme.slice(start).split('\n').slice(1);
  const rows: FormContractRow[] = [];
  let inTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    // split on pipes that are not escaped (`done` \| `return`)
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length < 4 || /^-+$/.test(cells[0]!) || cells[1] === 'formId') continue;
    const formId = /`([^`]+)`/.exec(cells[1]!)?.[1];
    if (!formId) continue;
    // `handleOutcome` (`done` \| `return` \| `extend`): the parenthesis lists values, not variables
    const variables = [...cells[3]!.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.push({ element: cells[0]!, formId, candidateGroups: cells[2]!, variables });
  }
  return rows;
}

/** Every variable name the contract mentions (backticked identifiers, `<stage>DueAt` expanded). */
export function contractVariables(readme: string = CONTRACT): Set<string> {
  const names = new Set<string>();
  for (const m of readme.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) names.add(m[1]!);
  const stages = ['accept', 'dispatch', 'handle', 'verify', 'extend'];
  for (const suffix of ['DueAt', 'WarnAt', 'SuperviseAt']) for (const s of stages) names.add(`${s}${suffix}`);
  return names;
}
