import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../config/logger.js';
import { productPath } from '../config/product-root.js';
import type { AppConfig } from '../config/schema.js';
import { loadDemoData, type DemoLoadResult } from '../db/demo/load-demo.js';
import { startDatabase, type Database } from '../db/index.js';
import { ensureRollups } from '../db/rollups/index.js';
import { openWorkflowEngine } from '../port/open-workflow-engine.js';
import { deployProduct } from '../domain/processes/product-resources.js';
import type { RunningWorkers, WorkflowEngine } from '../port/workflow-engine.js';
import { startJobWorkers } from '../workers/start-workers.js';
import { startInboxSync } from '../domain/inbox/sync.js';
import { startCaseHistory } from '../domain/history/record-events.js';
import { createApp } from '../api/app.js';
import { endDashboardStreams } from '../api/dashboard/dashboard-routes.js';
import { notificationSenders, startOutboxDelivery } from './notifications.js';
import { startScheduledWork } from '../domain/schedule/index.js';
import { prunableEngine } from '../domain/history/retention.js';
import { resumeInterruptedFilings } from '../domain/intake/resume-filings.js';
import { resumeBatches, resumeOperationIntents } from '../domain/operations/index.js';

const pkg = JSON.parse(readFileSync(productPath('package.json'), 'utf8')) as { version: string };

export interface RunningSystem {
  server: Server;
  url: string;
  db: Database;
  demo: DemoLoadResult | null;
  workflow: WorkflowEngine;
  workers: RunningWorkers;
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Starts the whole system in one process: database + migrations, demo data on first run, the workflow
 * engine with the product's processes and forms deployed, every job worker, notification delivery and
 * the HTTP server.
 */
export async function startSystem(config: AppConfig): Promise<RunningSystem> {
  const log = createLogger(config.LOG_LEVEL);
  const db = await startDatabase(config.DATABASE_URL);
  if (db.appliedMigrations.length) log.info({ migrations: db.appliedMigrations }, 'database migrated');
  // the rollups cut days at the configured offset: another offset (or a new definition) rebuilds them once
  if ((await ensureRollups(db.sql, config.CALENDAR_UTC_OFFSET_MINUTES)) === 'rebuilt')
    log.info({ offsetMinutes: config.CALENDAR_UTC_OFFSET_MINUTES }, 'case rollups rebuilt');
  const demo = config.DEMO_DATA ? await loadDemoData(db.sql, config.DEMO_PASSWORD) : null;
  if (demo?.loaded) log.info({ imported: demo.summary }, 'demo district loaded');
  const workflow = await openWorkflowEngine(config);
  const deployed = await deployProduct(workflow);
  log.info(
    { processes: deployed.processes.map((p) => `${p.bpmnProcessId}@${p.version}`), forms: deployed.forms.map((f) => `${f.formId}@${f.version}`) },
    'processes and forms deployed',
  );
  const workers = await startJobWorkers(workflow, config, log);
  const stopOutbox = startOutboxDelivery(notificationSenders(config, log), log);
  // daily overdue digest 08:00, monthly evaluation 01:00 on the 1st and the embedded engine's prune 02:30, Asia/Shanghai
  const prunable = config.HISTORY_RETENTION_DAYS > 0 ? prunableEngine(workflow) : null;
  const stopScheduledWork = startScheduledWork({
    now: () => new Date(),
    log,
    openIncidents: () => workflow.countOpenIncidents(),
    ...(prunable ? { history: { engine: prunable, retentionDays: config.HISTORY_RETENTION_DAYS } } : {}),
  });
  const inbox = await startInboxSync(workflow);
  const history = await startCaseHistory(workflow);
  // filings a crash interrupted are finished before anyone can file again (and retry them)
  const resumed = await resumeInterruptedFilings(workflow, { graceMs: config.ENGINE === 'embedded' ? 0 : 5 * 60_000 });
  if (resumed.finished.length) log.warn({ cases: resumed.finished }, 'interrupted filings finished');
  if (resumed.failed.length) log.error({ failed: resumed.failed }, 'interrupted filings could not be finished; retried at the next start');
  // cancels and migrations a crash cut between the engine and the case's record are recorded (or dropped) first
  const intents = await resumeOperationIntents(workflow, { graceMs: config.ENGINE === 'embedded' ? 0 : 5 * 60_000 });
  if (intents.recorded.length || intents.dropped.length) log.warn(intents, 'interrupted operations finished');
  if (intents.failed.length) log.error({ failed: intents.failed }, 'interrupted operations could not be finished; retried at the next start');
  // operations batches a stop or crash cut off go on from their first pending instance (in the background)
  const batches = await resumeBatches(workflow, { graceMs: config.ENGINE === 'embedded' ? 0 : 5 * 60_000 });
  if (batches.ids.length) log.warn({ batches: batches.ids }, 'interrupted operations batches carried on');
  batches.runs.catch((err: unknown) => log.error({ err }, 'an interrupted operations batch failed'));
  const app = createApp({ config, log, database: db, version: pkg.version, workflow });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;
  return {
    server,
    url,
    db,
    demo,
    workflow,
    workers,
    log,
    async stop() {
      endDashboardStreams(); // SSE responses never end by themselves: close() would wait for them
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workers.close();
      await inbox.close();
      await history.close();
      await stopOutbox();
      await stopScheduledWork();
      await workflow.close();
      await db.close();
    },
  };
}
