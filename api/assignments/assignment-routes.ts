import { Router } from 'express';
import { assignCase, assignmentsBy } from '../../domain/intake/assign-case.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { location } from '../cases/case-routes.js';
import { idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';

export const assignmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'instruction', 'unitCode', 'dueAt'],
  properties: {
    description: text(1500),
    instruction: text(400),
    unitCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    dueAt: { type: 'string', format: 'date-time' },
    priority: { type: 'integer', minimum: 0, maximum: 100 },
    eventTypeCode: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$' },
    gridCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    ...location,
  },
  dependencies: { lat: ['lng'], lng: ['lat'] },
};

/**
 * A district leader's 交办 (issue #14 item 4): a case with its priority, the unit named, a deadline and the
 * leader's instruction; and the leader's own 交办 with where each stands. Admins may file one for a leader.
 */
export function assignmentRoutes(port: WorkflowEngine): Router {
  const r = Router();
  r.use('/assignments', requireAuth, requireRole('leader', 'admin'));
  r.post(
    '/assignments',
    validate({ body: assignmentBody }),
    idempotent(
      (req) => `POST /assignments:${actorOf(req).userId}`,
      async (req) => {
        const actor = actorOf(req);
        const body = req.body as {
          description: string;
          instruction: string;
          unitCode: string;
          dueAt: string;
          priority?: number;
          eventTypeCode?: string;
          gridCode?: string;
          address?: string;
          lat?: number;
          lng?: number;
        };
        const filed = await assignCase(port, { userId: actor.userId, username: actor.username, role: actor.role }, { ...body, dueAt: new Date(body.dueAt) });
        return { status: 201, body: { id: filed.caseId, caseNo: filed.caseNo, status: filed.status, unitCode: filed.unitCode, dueAt: filed.dueAt } };
      },
    ),
  );
  r.get('/assignments', async (req, res) => {
    const items = await assignmentsBy(actorOf(req).userId);
    res.json({ items: items.map((a) => ({ ...a, dueAt: a.dueAt.toISOString() })) });
  });
  return r;
}
