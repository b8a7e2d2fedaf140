import express, { type Express } from 'express';
import type { AppConfig } from '../config/schema.js';
import type { Logger } from '../config/logger.js';
import type { WorkflowEngine } from '../port/workflow-engine.js';
import { registryRoutes } from './admin/registry/registry-routes.js';
import { auditRecordsRoutes } from './audit/audit-records-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import { authRoutes } from './auth/auth-routes.js';
import { cameraEventRoutes } from './camera/camera-event-routes.js';
import { cameraRoutes, ingestBodyParser } from './camera/camera-routes.js';
import { caseRoutes } from './cases/case-routes.js';
import { hotlineRoutes } from './hotline/hotline-routes.js';
import { assignmentRoutes } from './assignments/assignment-routes.js';
import { fieldReportRoutes } from './field/field-report-routes.js';
import { revisitRoutes } from './followup/revisit-routes.js';
import { caseSearchRoutes } from './cases/case-search.js';
import { classifyRoutes } from './classify/classify-routes.js';
import { historyRoutes } from './cases/history-routes.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import { ADMIN_JSON_LIMIT, ADMIN_LARGE_BODY_PATHS, processRoutes } from './admin/process-routes.js';
import { decisionRoutes } from './admin/decision-routes.js';
import { formRoutes } from './admin/form-routes.js';
import { migrationRoutes } from './operations/migration-routes.js';
import { operationsRoutes } from './operations/operations-routes.js';
import { docsRoute, openApiDocument } from './docs/openapi.js';
import { optionsFromDocument } from './http/options.js';
import { healthRoute } from './health/health-route.js';
import { errorHandler, notFound } from './http/errors.js';
import { rateLimit, securityHeaders } from './http/security.js';
import { open311ClientRoutes } from './open311/open311-client-routes.js';
import { open311Routes } from './open311/open311-routes.js';
import { publicRoutes } from './public/public-routes.js';
import { taskRoutes } from './tasks/task-routes.js';
import { publicReportUploadRoutes, uploadRoutes } from './uploads/upload-routes.js';
import { staticRoutes } from './web/static-routes.js';
import { compressJson } from './http/compress-json.js';
import { countInFlight } from './http/in-flight.js';
import type { Sql } from '../db/sql/index.js';

export interface AppDeps {
  config: AppConfig;
  log: Logger;
  /** the application's database, for the health check (the routes reach it through the domain) */
  database: { sql: Sql; dialect: 'sqlite' | 'mysql' };
  version: string;
  /** the workflow engine port; without it only health, auth and docs are served */
  workflow?: WorkflowEngine;
  /** requests per minute and address on the public routes (default 30) and on login (default 20) */
  rateLimits?: { publicPerMinute?: number; loginPerMinute?: number; open311PerMinute?: number };
}

/** Builds the Express application: routes under /api, JSON errors everywhere. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(countInFlight());
  app.use(securityHeaders({ mapTileUrl: deps.config.MAP_TILE_URL ?? null }));
  app.use(compressJson());
  if (deps.workflow) {
    // Open311 GeoReport v2 at the root, before the JSON parser: it parses its own bodies (form-encoded
    // or JSON) and answers every error, a malformed body included, in the spec's format
    app.use(
      '/open311/v2',
      open311Routes({
        port: deps.workflow,
        log: deps.log,
        jurisdictionId: deps.config.OPEN311_JURISDICTION_ID,
        perMinute: deps.rateLimits?.open311PerMinute ?? deps.rateLimits?.publicPerMinute ?? 60,
      }),
    );
  }
  // diagrams and forms exceed the general limit: parsed first here, so the general parser leaves them be
  app.use(ADMIN_LARGE_BODY_PATHS, express.json({ limit: ADMIN_JSON_LIMIT, strict: true }));
  app.use('/api/ingest', ingestBodyParser);
  app.use(express.json({ limit: '256kb', strict: true }));
  const api = express.Router();
  api.use(optionsFromDocument((openApiDocument(deps.version) as { paths: Record<string, Record<string, unknown>> }).paths));
  api.use(
    healthRoute({
      sql: deps.database.sql,
      database: deps.database.dialect,
      engine: deps.config.ENGINE,
      version: deps.version,
      startedAt: new Date(),
    }),
  );
  api.use(docsRoute(deps.version));
  api.use(authRoutes({ loginLimit: deps.rateLimits?.loginPerMinute ?? 20 }));
  api.use(open311ClientRoutes());
  api.use(registryRoutes());
  api.use(auditRoutes(deps.config));
  api.use(auditRecordsRoutes(deps.config));
  const workflow = deps.workflow;
  api.use(dashboardRoutes(deps.config, workflow ? { openIncidents: () => workflow.countOpenIncidents() } : {}));
  api.use(caseSearchRoutes(deps.config));
  api.use(classifyRoutes(deps.config));
  api.use(cameraEventRoutes(deps.config));
  if (deps.workflow) {
    // one budget per address for the public routes, whichever body type a report comes in
    const publicLimiter = rateLimit({ windowMs: 60_000, max: deps.rateLimits?.publicPerMinute ?? 30 });
    // multipart 随手拍 (photos) before the JSON route, which answers every other content type
    api.use(publicReportUploadRoutes(deps.workflow, { dataDir: deps.config.DATA_DIR, limiter: publicLimiter }));
    api.use(publicRoutes(deps.workflow, { limiter: publicLimiter }));
    api.use(caseRoutes(deps.workflow));
    api.use(hotlineRoutes());
    api.use(assignmentRoutes(deps.workflow));
    api.use(fieldReportRoutes(deps.workflow, { dataDir: deps.config.DATA_DIR }));
    api.use(revisitRoutes(deps.workflow));
    api.use(historyRoutes(deps.workflow, { utcOffsetMinutes: deps.config.CALENDAR_UTC_OFFSET_MINUTES }));
    api.use(taskRoutes(deps.workflow));
    api.use(processRoutes(deps.workflow));
    api.use(formRoutes(deps.workflow));
    api.use(decisionRoutes(deps.workflow));
    api.use(operationsRoutes(deps.workflow));
    api.use(migrationRoutes(deps.workflow));
    api.use(uploadRoutes({ dataDir: deps.config.DATA_DIR }));
    api.use(cameraRoutes(deps.workflow, { minConfidence: deps.config.AI_MIN_CONFIDENCE ?? 0.6 }));
  }
  app.use('/api', api);
  app.use(staticRoutes());
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
