import { ConfigError, loadConfig } from '../config/load.js';
import { createLogger } from '../config/logger.js';
import { startDatabase } from '../db/index.js';
import { openWorkflowEngine } from '../port/open-workflow-engine.js';
import { startJobWorkers } from './start-workers.js';

/**
 * `npm run workers`: only the job workers, for scaling out on a Camunda 8 cluster
 * (`docker compose up --scale workers=N`). The embedded engine runs its workers inside `npm start`.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  if (config.ENGINE !== 'camunda') {
    console.error('npm run workers runs job workers against a Camunda 8 cluster (ENGINE=camunda); with ENGINE=embedded the workers run inside npm start');
    process.exit(2);
  }
  const log = createLogger(config.LOG_LEVEL, 'ywtg-workers');
  const db = await startDatabase(config.DATABASE_URL);
  const engine = await openWorkflowEngine(config);
  const workers = await startJobWorkers(engine, config, log);
  log.info({ types: workers.types }, 'job workers running');
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping job workers');
    await workers.close();
    await engine.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
