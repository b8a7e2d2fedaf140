import express, { type Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../config/schema.js';
import type { Logger } from '../config/logger.js';
import { healthRoute } from './health/health-route.js';
import { errorHandler, notFound } from './http/errors.js';

export interface AppDeps {
  config: AppConfig;
  log: Logger;
  sequelize: Sequelize;
  version: string;
}

/** Builds the Express application: routes under /api, JSON errors everywhere. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));
  const api = express.Router();
  api.use(healthRoute({ sequelize: deps.sequelize, engine: deps.config.ENGINE, version: deps.version, startedAt: new Date() }));
  app.use('/api', api);
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
