import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.js';
import { ImportError, importCsvFiles, type ImportFiles } from '../import/importer.js';
import { startDatabase } from '../index.js';

const USAGE = `usage: npm run import -- [--dir <folder>] [--units f.csv] [--grids f.csv] [--event-types f.csv] [--items f.csv]

--dir takes units.csv, grids.csv, event_types.csv, items.csv and classify_examples.csv from a folder (those present).
Formats: db/csv-formats.md. Every row is validated first; any problem → nothing is imported.`;

function filesFromArgs(): ImportFiles {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      units: { type: 'string' },
      grids: { type: 'string' },
      'event-types': { type: 'string' },
      items: { type: 'string' },
      'classify-examples': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const files: ImportFiles = {};
  const fromDir = (name: string) => (values.dir && existsSync(join(values.dir, name)) ? join(values.dir, name) : undefined);
  const pick = (explicit: string | undefined, name: string) => explicit ?? fromDir(name);
  const units = pick(values.units, 'units.csv');
  const grids = pick(values.grids, 'grids.csv');
  const eventTypes = pick(values['event-types'], 'event_types.csv');
  const items = pick(values.items, 'items.csv');
  if (units) files.units = units;
  if (grids) files.grids = grids;
  if (eventTypes) files.eventTypes = eventTypes;
  if (items) files.items = items;
  const examples = pick(values['classify-examples'], 'classify_examples.csv');
  if (examples) files.classifyExamples = examples;
  if (!Object.keys(files).length) {
    console.error(`no CSV file given or found\n${USAGE}`);
    process.exit(2);
  }
  return files;
}

try {
  const files = filesFromArgs();
  const config = loadConfig();
  const db = await startDatabase(config.DATABASE_URL);
  try {
    const summary = await importCsvFiles(db.sql, files);
    for (const [what, n] of Object.entries(summary)) {
      if (n.created || n.updated) console.log(`${what}: ${n.created} created, ${n.updated} updated`);
    }
    console.log('import done');
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ImportError || err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
