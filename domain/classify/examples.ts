import { importClassifyExamplesCsv } from '../../db/import/classify-examples-csv.js';
import { appSql } from '../../db/sql/current.js';

/** the CSV format of the examples (db/csv-formats.md) and the importer's refusal, for the administration's routes */
export { classifyExamplesCsv, csvCell } from '../../db/import/classify-examples-csv.js';
export { ImportError } from '../../db/import/importer.js';

/** A labelled report the classifier learns from (classify_examples), as the administration page shows it. */
export interface ClassifyExampleRow {
  id: number;
  code: string;
  text: string;
  label: string;
  channel: string;
  source: string;
  caseId: string | null;
  updatedAt: Date;
}

const COLUMNS = ['id', 'code', 'text', 'label', 'channel', 'source', 'caseId', 'updatedAt'] as const;
const examples = () => appSql().selectFrom('classify_examples');

export interface ExampleFilter {
  /** words in the text; % and _ act as wildcards (SQLite's LIKE has no escape character by default) */
  q?: string;
  label?: string;
  /** only examples with a smaller id (the previous page's last) */
  beforeId?: number;
}

/**
 * Examples newest first (what an administrator or an operator's decision added last is what is looked
 * for), up to `limit`; `total` counts the examples of the label (all when none), whatever the words.
 */
export async function examplesPage(filter: ExampleFilter, limit: number): Promise<{ rows: ClassifyExampleRow[]; total: number }> {
  const [rows, counted] = await Promise.all([
    examples()
      .select([...COLUMNS])
      .$if(filter.beforeId !== undefined, (q) => q.where('id', '<', filter.beforeId!))
      .$if(!!filter.label, (q) => q.where('label', '=', filter.label!))
      .$if(!!filter.q, (q) => q.where('text', 'like', `%${filter.q}%`))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    examples()
      .select((eb) => eb.fn.countAll().as('n'))
      .$if(!!filter.label, (q) => q.where('label', '=', filter.label!))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(counted.n) };
}

/** Examples with an id above `afterId`, oldest first (the CSV export reads them a page at a time). */
export function examplesAfter(afterId: number, limit: number): Promise<ClassifyExampleRow[]> {
  return examples()
    .select([...COLUMNS])
    .where('id', '>', afterId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

export async function findExample(code: string): Promise<ClassifyExampleRow | null> {
  return (
    (await examples()
      .select([...COLUMNS])
      .where('code', '=', code)
      .executeTakeFirst()) ?? null
  );
}

/** Deletes the example with this code; false when there was none. */
export async function removeExample(code: string): Promise<boolean> {
  const result = await appSql().deleteFrom('classify_examples').where('code', '=', code).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Imports classify_examples.csv given as text through the validated importer (db/import), all or nothing:
 * an ImportError lists every problem.
 */
export function importExamplesCsv(csv: string): Promise<{ created: number; updated: number }> {
  return importClassifyExamplesCsv(appSql(), csv);
}
