import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** One problem in an import, located the way a person fixes it in a spreadsheet. */
export interface ImportProblem {
  file: string;
  row: number; // 1 = header row, data starts at 2
  column: string | null;
  message: string;
}

export interface CsvRow {
  row: number;
  values: Record<string, string>;
}

/**
 * Reads a CSV file with a header row. Records come back with their 1-based row number in
 * the file; a malformed file (bad quoting, ragged rows) becomes a problem, not an exception.
 */
export function readCsv(path: string, label: string, columns: readonly string[], problems: ImportProblem[]): CsvRow[] {
  let records: string[][];
  try {
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    records = parse(text, { relaxColumnCount: false, skipEmptyLines: true }) as string[][];
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    const row = typeof e.lines === 'number' ? e.lines : 1;
    problems.push({ file: label, row, column: null, message: e.code === 'ENOENT' ? `cannot read ${path}` : `not valid CSV: ${e.message}` });
    return [];
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const missing = columns.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !columns.includes(h));
  for (const c of missing) problems.push({ file: label, row: 1, column: c, message: `missing column ${c}` });
  for (const c of unknown) problems.push({ file: label, row: 1, column: c, message: `unknown column ${c}` });
  if (missing.length || unknown.length) return [];
  return records.slice(1).map((cells, i) => ({
    row: i + 2,
    values: Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? '').trim()])),
  }));
}
