import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { ConfigError, loadConfig } from '../../config/load.js';
import { startDatabase } from '../../db/index.js';
import { filesItself, loadCatalogueClassifier } from '../../domain/classify/index.js';

/**
 * npm run classify -- --file reports.tsv: one JSON line per report (columns id, text; header line),
 * with the model the server would use on the configured database (DATABASE_URL, default the app's).
 */
const USAGE = 'usage: npm run classify -- --file reports.tsv   (tab-separated, header line with columns id and text)';
try {
  const { values } = parseArgs({ options: { file: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.file) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const rows = parse(readFileSync(values.file, 'utf8').replace(/^\uFEFF/, ''), {
    delimiter: '\t',
    columns: true,
    skipEmptyLines: true,
    relaxQuotes: true,
    quote: false,
  }) as Array<Record<string, string>>;
  if (rows.length && (!('id' in rows[0]!) || !('text' in rows[0]!))) {
    console.error(`the header line must name the columns id and text\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  const db = await startDatabase(config.DATABASE_URL);
  try {
    const classifier = await loadCatalogueClassifier();
    for (const row of rows) {
      const c = classifier.classify(row['text'] ?? '');
      console.log(
        JSON.stringify({
          id: row['id'],
          candidates: c.candidates.map((x) => ({ code: x.code, category: x.category, confidence: x.confidence })),
          dispatchable: c.dispatchable,
          auto: filesItself(c, config.CLASSIFY_MIN_CONFIDENCE),
          place: c.place,
        }),
      );
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
