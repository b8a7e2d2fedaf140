import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../config/logger.js';
import type { AppConfig } from '../config/schema.js';
import { loadDemoData, type DemoLoadResult } from '../db/demo/load-demo.js';
import { startDatabase, type Database } from '../db/index.js';
import { createApp } from './app.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export interface RunningSystem {
  server: Server;
  url: string;
  db: Database;
  demo: DemoLoadResult | null;
  log: Logger;
  stop(): Promise<void>;
}

/** Starts the whole one-machine system: database + migrations, demo data on first run, HTTP server. */
export async function startSystem(config: AppConfig): Promise<RunningSystem> {
  const log = createLogger(config.LOG_LEVEL);
  const db = await startDatabase(config.DATABASE_URL);
  if (db.appliedMigrations.length) log.info({ migrations: db.appliedMigrations }, 'database migrated');
  const demo = config.DEMO_DATA ? await loadDemoData(db.sequelize, config.DEMO_PASSWORD) : null;
  if (demo?.loaded) log.info({ imported: demo.summary }, 'demo district loaded');
  const app = createApp({ config, log, sequelize: db.sequelize, version: pkg.version });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;
  return {
    server, url, db, demo, log,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
