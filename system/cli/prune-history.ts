import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.js';
import { pruneEngineHistory } from '../../domain/history/retention.js';
import { pruneEngineDatabase } from '../../engine/index.js';
import { engineDatabaseUrl } from '../../port/open-workflow-engine.js';

const USAGE = `usage: npm run history:prune -- [--days N] [--batch-size N]

Deletes the embedded engine's rows of cases that ended more than N days ago (default HISTORY_RETENTION_DAYS)
and that the case history and the inbox have stored; the case history, the audit log and the process
diagrams stay. The server does the same every night at 02:30. On MySQL/MariaDB stop the server first (one
engine per database); on SQLite it may run beside the server.`;

/** `npm run history:prune`: the nightly prune of finished instances, run by hand. */
try {
  const { values } = parseArgs({ options: { days: { type: 'string' }, 'batch-size': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config = loadConfig();
  const days = values.days === undefined ? config.HISTORY_RETENTION_DAYS : Number(values.days);
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (!(Number.isInteger(days) && days >= 0) || (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1))) {
    console.error(`--days takes a whole number of days, --batch-size a whole number of instances\n${USAGE}`);
    process.exit(2);
  }
  if (config.ENGINE === 'camunda') {
    console.log('ENGINE=camunda: the cluster keeps its own history (its retention settings); nothing to prune here');
    process.exit(0);
  }
  if (days === 0) {
    console.log('HISTORY_RETENTION_DAYS=0: finished instances are kept for ever (give --days N to prune anyway)');
    process.exit(0);
  }
  const url = engineDatabaseUrl(config);
  if (url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length))) {
    console.log(`no engine database at ${url.slice('sqlite:'.length)}: nothing to prune`);
    process.exit(0);
  }
  const run = await pruneEngineHistory(
    { pruneFinishedInstances: (options) => pruneEngineDatabase(url, options) },
    { now: new Date(), retentionDays: days, ...(batchSize ? { batchSize } : {}) },
  );
  console.log(
    `pruned ${run.roots} finished cases (${run.instances} instances) that ended before ${run.endedBefore}; ${run.kept} kept until the history readers have them`,
  );
  for (const [table, n] of Object.entries(run.rows)) if (n) console.log(`  ${table}: ${n} rows`);
  if (run.kept && run.slowestExporter) console.log(`  the slowest reader is '${run.slowestExporter.name}' at position ${run.slowestExporter.position}`);
  console.log(JSON.stringify(run));
} catch (err) {
  if (err instanceof Error && /another engine process already runs/.test(err.message)) {
    console.error('the server holds the engine on this database and prunes it every night at 02:30; stop it to prune by hand');
    process.exit(1);
  }
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
