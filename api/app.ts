import express, { type Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../config/schema.js';
import type { Logger } from '../config/logger.js';
import type { WorkflowEngine } from '../port/workflow-engine.js';
import { authRoutes } from './auth/auth-routes.js';
import { caseRoutes } from './cases/case-routes.js';
import { docsRoute } from './docs/openapi.js';
import { healthRoute } from './health/health-route.js';
import { errorHandler, notFound } from './http/errors.js';
import { securityHeaders } from './http/security.js';
import { publicRoutes } from './public/public-routes.js';
import { taskRoutes } from './tasks/task-routes.js';

export interface AppDeps {
  config: AppConfig;
  log: Logger;
  sequelize: Sequelize;
  version: string;
  /** the workflow engine port; without it only health, auth and docs are served */
  workflow?: WorkflowEngine;
  /** requests per minute and address on the public routes (default 30) and on login (default 20) */
  rateLimits?: { publicPerMinute?: number; loginPerMinute?: number };
}

/** Builds the Express application: routes under /api, JSON errors everywhere. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders);
  app.use(express.json({ limit: '256kb', strict: true }));
  const api = express.Router();
  api.use(healthRoute({ sequelize: deps.sequelize, engine: deps.config.ENGINE, version: deps.version, startedAt: new Date() }));
  api.use(docsRoute(deps.version));
  api.use(authRoutes({ loginLimit: deps.rateLimits?.loginPerMinute ?? 20 }));
  if (deps.workflow) {
    api.use(publicRoutes(deps.workflow, { perMinute: deps.rateLimits?.publicPerMinute ?? 30 }));
    api.use(caseRoutes(deps.workflow));
    api.use(taskRoutes(deps.workflow));
  }
  app.use('/api', api);
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
