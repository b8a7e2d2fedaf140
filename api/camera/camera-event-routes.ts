import { Router } from 'express';
import type { AppConfig } from '../../config/schema.js';
import { listCameraEvents } from '../../domain/cameras/camera-events.js';
import { rangeOf } from '../../domain/dashboard/case-search.js';
import { requireAuth, requireRole } from '../auth/middleware.js';
import { afterParam, keysetPageSize, pagingErrors, pagingFields } from '../http/paging-schema.js';
import { validate } from '../http/validate.js';

const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
export const cameraEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    camera: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    caseId: { type: 'string', pattern: '^[0-9]{1,19}$' },
    from: dayOrInstant,
    to: dayOrInstant,
    after: afterParam,
    pageSize: keysetPageSize(50),
  },
};

const cameraEvent = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    cameraCode: { type: 'string', nullable: true },
    eventId: { type: 'string' },
    eventTypeCode: { type: 'string', nullable: true },
    caseId: { type: 'string' },
    caseNo: { type: 'string', nullable: true },
    outcome: { type: 'string', enum: ['created', 'merged'] },
    confidence: { type: 'number' },
    capturedAt: { type: 'string', format: 'date-time' },
    snapshotUrl: { type: 'string', nullable: true },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};

/** The OpenAPI path of the camera events list. */
export function cameraEventsApiPaths(): Record<string, unknown> {
  const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  return {
    '/admin/camera-events': {
      get: {
        summary: 'accepted AI-camera events, newest received first (admin, auditor, operator); by camera, case and period',
        security: [{ bearer: [] }],
        description: 'Follow `next` with `after`. An unknown camera code lists nothing.',
        parameters: Object.entries(cameraEventsQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: cameraEvent }, ...pagingFields } },
              },
            },
          },
          '400': err(pagingErrors),
          '401': err('no or bad bearer token'),
          '403': err('role not allowed'),
        },
      },
    },
  };
}

/** GET /admin/camera-events: what the cameras reported, for the people who run them. */
export function cameraEventRoutes(config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES'>): Router {
  const r = Router();
  r.get('/admin/camera-events', requireAuth, requireRole('admin', 'auditor', 'operator'), validate({ query: cameraEventsQuery }), async (req, res) => {
    const { from, to, ...rest } = req.query as { camera?: string; caseId?: string; from?: string; to?: string; after?: string; pageSize?: number };
    res.json(await listCameraEvents({ ...rest, ...rangeOf(from, to, config.CALENDAR_UTC_OFFSET_MINUTES) }));
  });
  return r;
}
