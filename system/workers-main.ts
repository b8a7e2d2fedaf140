import { ConfigError, loadConfig } from '../config/load.js';
import { createLogger } from '../config/logger.js';
import { startDatabase } from '../db/index.js';
import { reloadCalendarOverrides } from '../domain/calendar/index.js';
import { openWorkflowEngine } from '../port/open-workflow-engine.js';
import { startJobWorkers } from '../workers/start-workers.js';

/**
 * `npm run workers`: only the job workers, for scaling out on a Camunda 8 cluster
 * (`docker compose up --scale workers=N`). The embedded engine runs its workers inside `npm start`.
 */
/** How often a separate workers process re-reads the calendar overrides (the API process reloads on each change). */
const CALENDAR_RELOAD_MS = 5 * 60_000;

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
  // holidays and working days changed in the administration reach this process (not the API's) here:
  // deadlines computed after the next reload use them
  const calendarReload = setInterval(() => {
    reloadCalendarOverrides().catch((err: unknown) => log.warn({ err }, 'calendar reload failed'));
  }, CALENDAR_RELOAD_MS);
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping job workers');
    clearInterval(calendarReload);
    await workers.close();
    await engine.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
