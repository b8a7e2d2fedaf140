import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../sql/index.js';
import { importCsvFiles } from './importer.js';

/** The header of classify_examples.csv, in the order the export writes it (db/csv-formats.md). */
export const CLASSIFY_EXAMPLES_HEADER = ['code', 'text', 'label', 'channel', 'source'] as const;

export const csvCell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function classifyExamplesCsv(rows: ReadonlyArray<Record<(typeof CLASSIFY_EXAMPLES_HEADER)[number], string>>): string {
  return [CLASSIFY_EXAMPLES_HEADER.join(','), ...rows.map((r) => CLASSIFY_EXAMPLES_HEADER.map((h) => csvCell(r[h])).join(','))].join('\n') + '\n';
}

/**
 * Imports classify_examples.csv given as text (an upload, or one example the administration page adds or
 * edits) through the validated importer: the same column checks and label references as
 * `npm run import -- --classify-examples`, all or nothing (ImportError lists every problem).
 */
export async function importClassifyExamplesCsv(sql: Sql, csv: string): Promise<{ created: number; updated: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'classify-examples-'));
  try {
    const path = join(dir, 'classify_examples.csv');
    writeFileSync(path, csv, 'utf8');
    return (await importCsvFiles(sql, { classifyExamples: path })).classifyExamples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
