import { Router, type Request } from 'express';
import { CHANNELS, type Channel } from '../../db/vocabulary.js';
import { type Role } from '../../db/vocabulary.js';
import { readCase } from '../../domain/cases/case-detail.js';
import { orderRedispatch, type RedispatchOrder } from '../../domain/cases/order-redispatch.js';
import { fileCase, type CaseReport } from '../../domain/intake/file-case.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';

export const location = {
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lng: { type: 'number', minimum: -180, maximum: 180 },
  address: text(255),
};
export const phone = { type: 'string', pattern: '^[0-9+\\- ]{3,20}$' };

export const newCaseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['description'],
  properties: {
    description: text(2000),
    reporterName: text(64),
    reporterPhone: phone,
    ...location,
    gridCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    eventTypeCode: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$' },
    priority: { type: 'integer', minimum: 0, maximum: 100 },
    channel: { enum: CHANNELS.filter((c) => c !== 'photo' && c !== 'open311') },
  },
};
export const redispatchBody = {
  type: 'object',
  additionalProperties: false,
  required: ['unitCode', 'reason'],
  properties: { unitCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' }, reason: text(500) },
};
export const caseIdParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,19}$' } } };

/** The channel follows from who files: hotline operators, grid workers, leaders' 交办; admins name it. */
const CHANNEL_OF_ROLE: Partial<Record<Role, Channel>> = { operator: 'hotline', grid_worker: 'grid_worker', leader: 'leader' };

export function caseRoutes(port: WorkflowEngine): Router {
  const r = Router();
  r.post(
    '/cases',
    requireAuth,
    requireRole('admin', 'operator', 'grid_worker', 'leader'),
    validate({ body: newCaseBody }),
    idempotent(
      (req) => `POST /cases:${actorOf(req).userId}`,
      async (req: Request, { keyHash }) => {
        const actor = actorOf(req);
        const body = req.body as Omit<CaseReport, 'channel'> & { channel?: Channel };
        const channel = CHANNEL_OF_ROLE[actor.role] ?? body.channel;
        if (!channel) throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/channel', message: 'required for this role' }] });
        if (body.channel && body.channel !== channel)
          throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/channel', message: `your role files ${channel}` }] });
        if (body.priority !== undefined && actor.role !== 'leader' && actor.role !== 'admin') throw new HttpError(403, 'forbidden');
        const filed = await fileCase(
          port,
          {
            ...body,
            channel,
            filedBy: { actor: actor.username, role: actor.role },
            reporterUserId: actor.role === 'grid_worker' || actor.role === 'leader' ? actor.userId : null,
          },
          new Date(),
          { intakeKey: keyHash },
        );
        return { status: 201, body: { id: filed.caseId, caseNo: filed.caseNo, status: filed.status, trackingToken: filed.trackingToken } };
      },
      { resumable: true },
    ),
  );
  // 改派 by the centre while a unit handles the case: accepted here, carried out by the process (202)
  r.post(
    '/cases/:id/redispatch',
    requireAuth,
    requireRole('operator', 'admin'),
    validate({ params: caseIdParams, body: redispatchBody }),
    idempotent(
      (req) => `POST /cases/${String(req.params['id'])}/redispatch:${actorOf(req).userId}`,
      async (req: Request) => {
        const ordered = await orderRedispatch(port, actorOf(req), String(req.params['id']), req.body as RedispatchOrder);
        return { status: 202, body: ordered };
      },
    ),
  );
  r.get('/cases/:id', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    res.json(await readCase(actorOf(req), String(req.params['id'])));
  });
  return r;
}
