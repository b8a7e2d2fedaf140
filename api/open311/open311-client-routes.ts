import { Router } from 'express';
import { createOpen311Client, disableOpen311Client, listOpen311Clients } from '../../domain/open311/clients.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { text, validate } from '../http/validate.js';

export const open311ClientBody = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: text(100) } };
export const open311ClientParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };
export const open311ClientSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    createdBy: { type: 'string', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
    disabledAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** Open311 API clients: admins register (the key is shown once) and disable them; auditors read the list. */
export function open311ClientRoutes(): Router {
  const r = Router();
  r.get('/admin/open311-clients', requireAuth, requireRole('admin', 'auditor'), validate({}), async (_req, res) => {
    res.json(await listOpen311Clients());
  });
  r.post('/admin/open311-clients', requireAuth, requireRole('admin'), validate({ body: open311ClientBody }), async (req, res) => {
    const name = (req.body as { name: string }).name.trim();
    if (!name) throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/name', message: 'must not be blank' }] });
    res.status(201).json(await createOpen311Client(name, actorOf(req)));
  });
  r.post('/admin/open311-clients/:id/disable', requireAuth, requireRole('admin'), validate({ params: open311ClientParams }), async (req, res) => {
    res.json(await disableOpen311Client(Number(req.params['id']), actorOf(req)));
  });
  return r;
}
