import { Router } from 'express';
import { recordRevisit, revisitList, type RevisitAnswer } from '../../domain/followup/revisits.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { caseIdParams } from '../cases/case-routes.js';
import { HttpError } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';

export const revisitBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reached'],
  properties: {
    reached: { type: 'boolean' },
    satisfied: { type: 'boolean' },
    rating: { type: 'integer', minimum: 1, maximum: 5 },
    comment: text(500, 0),
    note: text(500, 0),
  },
};

/** The centre's 回访 (issue #14 item 5): closed cases to call back, and what each call-back gave. */
export function revisitRoutes(port: WorkflowEngine): Router {
  const r = Router();
  r.use('/revisits', requireAuth, requireRole('operator', 'admin'));
  r.get('/revisits', async (_req, res) => {
    res.json({ items: await revisitList() });
  });
  r.post(
    '/revisits/:id',
    validate({ params: caseIdParams, body: revisitBody }),
    idempotent(
      (req) => `POST /revisits/${String(req.params['id'])}:${actorOf(req).userId}`,
      async (req) => {
        const body = req.body as { reached: boolean; satisfied?: boolean; rating?: number };
        // a reached reporter's answer needs both; ajv's strict mode refuses the if/then that would say so
        if (body.reached && (body.satisfied === undefined || body.rating === undefined)) {
          throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/', message: 'satisfied and rating are required when reached' }] });
        }
        const done = await recordRevisit(port, actorOf(req), String(req.params['id']), req.body as RevisitAnswer);
        return { status: 200, body: done };
      },
    ),
  );
  return r;
}
