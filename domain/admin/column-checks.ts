import type { ColumnSpec } from '../../db/import/columns.js';
import { columnProblem, fieldProblem, type FieldProblem } from './registry-messages.js';

/** A request field as the CSV cell the importer would read: its JSON pointer and its text. */
export interface Cell {
  path: string;
  value: string | null | undefined;
}

/**
 * Runs the importer's own column checks (db/import/columns.ts) over request fields, so the API and
 * `npm run import` accept exactly the same values. `creating`: required columns must be present;
 * on a change only the given fields are checked, and a required one may not be cleared.
 */
export function checkCells(specs: ColumnSpec[], cells: Record<string, Cell | undefined>, creating: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const spec of specs) {
    const cell = cells[spec.name];
    if (!cell) {
      if (creating && spec.required) problems.push(fieldProblem(`/${spec.name}`, 'required'));
      continue;
    }
    if (cell.value === undefined) {
      if (creating && spec.required) problems.push(fieldProblem(cell.path, 'required'));
      continue;
    }
    if (cell.value === null || cell.value === '') {
      if (spec.required) problems.push(fieldProblem(cell.path, 'required'));
      continue;
    }
    const message = spec.check?.(cell.value);
    if (message) problems.push(columnProblem(cell.path, cell.value, message));
  }
  return problems;
}

/** undefined stays undefined (not given), null stays null (cleared), anything else becomes its cell text. */
export function cellOf<T>(path: string, value: T | null | undefined, toText: (v: T) => string = String): Cell | undefined {
  if (value === undefined) return undefined;
  return { path, value: value === null ? null : toText(value) };
}
