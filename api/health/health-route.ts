import { Router, type Request } from 'express';
import { sql } from 'kysely';
import type { Sql } from '../../db/sql/index.js';
import { authenticate } from '../../domain/auth/sessions.js';
import { bearerToken } from '../auth/middleware.js';

export interface HealthDeps {
  /** the application's database, and its dialect's name for the details */
  sql: Sql;
  database: string;
  engine: string;
  version: string;
  startedAt: Date;
}

/** Who may read the details (version, uptime, engine, database, the failure's text): the people who run it. */
const OPERATIONS_ROLES = new Set(['admin', 'auditor']);

async function mayReadDetails(req: Request): Promise<boolean> {
  const token = bearerToken(req);
  const actor = token ? await authenticate(token).catch(() => null) : null;
  return !!actor && OPERATIONS_ROLES.has(actor.role);
}

/**
 * GET /api/health: 200 when the database answers, 503 when it does not (for load balancers and compose).
 * Anonymous callers get the status only: the version and uptime tell an attacker which release runs and
 * when it was patched (issue #16, item 10); an admin's or auditor's bearer token shows them.
 */
export function healthRoute(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    let failure: Error | null = null;
    try {
      await sql`SELECT 1`.execute(deps.sql);
    } catch (err) {
      failure = err as Error;
    }
    const details =
      !failure && (await mayReadDetails(req))
        ? { version: deps.version, engine: deps.engine, database: deps.database, uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) }
        : {};
    if (failure) res.status(503).json({ status: 'unavailable', code: 'unavailable', message: 'database unavailable' });
    else res.json({ status: 'ok', ...details });
  });
  return router;
}
