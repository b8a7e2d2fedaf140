import { Router } from 'express';
import type { Sequelize } from 'sequelize';

export interface HealthDeps {
  sequelize: Sequelize;
  engine: string;
  version: string;
  startedAt: Date;
}

/** GET /api/health: 200 when the database answers, 503 when it does not (for load balancers and compose). */
export function healthRoute(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const body = {
      status: 'ok',
      version: deps.version,
      engine: deps.engine,
      database: deps.sequelize.getDialect(),
      uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
    };
    try {
      await deps.sequelize.query('SELECT 1');
      res.json(body);
    } catch (err) {
      res.status(503).json({ ...body, status: 'unavailable', code: 'unavailable', message: (err as Error).message });
    }
  });
  return router;
}
