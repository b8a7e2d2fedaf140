import express, { Router, type Request } from 'express';
import {
  authenticateDevice,
  createCamera,
  deleteCamera,
  getCamera,
  ingestCameraEvents,
  listCameras,
  rotateCameraKey,
  updateCamera,
  type CameraEventInput,
  type CameraInput,
} from '../../domain/cameras/index.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { text, validate } from '../http/validate.js';

export const MAX_EVENTS_PER_BATCH = 500;

const code = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' };
const eventTypeCode = { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$' };
const cameraFields = {
  name: text(100),
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lng: { type: 'number', minimum: -180, maximum: 180 },
  address: { anyOf: [text(255), { type: 'null' }] },
  gridCode: { anyOf: [code, { type: 'null' }] },
  eventTypeCodes: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: eventTypeCode },
  enabled: { type: 'boolean' },
};
export const newCameraBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'lat', 'lng', 'eventTypeCodes'],
  properties: { code, ...cameraFields },
};
export const cameraPatchBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: cameraFields };
export const cameraCodeParams = { type: 'object', required: ['code'], properties: { code } };
export const cameraListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: text(64),
    enabled: { type: 'boolean' },
    page: { type: 'integer', minimum: 1, maximum: 10000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
};
export const cameraSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    lat: { type: 'number' },
    lng: { type: 'number' },
    address: { type: 'string', nullable: true },
    gridCode: { type: 'string', nullable: true },
    eventTypeCodes: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'boolean' },
    hasKey: { type: 'boolean' },
    keyRotatedAt: { type: 'string', nullable: true },
    lastSeenAt: { type: 'string', nullable: true },
  },
};
export const cameraEventsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['deviceCode', 'events'],
  properties: {
    deviceCode: code,
    events: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_EVENTS_PER_BATCH,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['eventId', 'eventTypeCode', 'confidence', 'capturedAt'],
        properties: {
          eventId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
          eventTypeCode,
          confidence: { type: 'number', minimum: 0, maximum: 1 },
          capturedAt: { type: 'string', format: 'date-time', maxLength: 40 },
          snapshotUrl: { type: 'string', format: 'uri', pattern: '^https?://[^\\s]+$', maxLength: 1024 },
        },
      },
    },
  },
};
export const cameraEventsReply = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'outcome'],
        properties: {
          eventId: { type: 'string' },
          outcome: { enum: ['created', 'merged', 'duplicate', 'refused'] },
          caseId: { type: 'string' },
          caseNo: { type: 'string' },
          code: { enum: ['type_not_detected', 'unknown_event_type', 'low_confidence', 'implausible_time', 'implausible_location'] },
        },
      },
    },
  },
};

/**
 * The webhook's JSON parser, mounted before the app-wide one (256 kB): a full batch of 500 events with
 * snapshot URLs runs to several hundred kB. The app-wide parser then sees the body parsed and skips.
 */
export const ingestBodyParser = express.json({ limit: '1mb', strict: true });

/** Camera registry (admin writes; admin, auditor and operator read) and the device webhook. */
export function cameraRoutes(port: WorkflowEngine, options: { minConfidence: number }): Router {
  const r = Router();
  const readers = requireRole('admin', 'auditor', 'operator');
  const admin = requireRole('admin');
  const camCode = (req: Request) => String(req.params['code']);
  r.get('/admin/cameras', requireAuth, readers, validate({ query: cameraListQuery }), async (req, res) => {
    res.json(await listCameras(req.query as { q?: string; enabled?: boolean; page?: number; pageSize?: number }));
  });
  r.post('/admin/cameras', requireAuth, admin, validate({ body: newCameraBody }), async (req, res) => {
    const { camera, apiKey } = await createCamera(actorOf(req), req.body as CameraInput);
    res.status(201).json({ ...camera, apiKey });
  });
  r.get('/admin/cameras/:code', requireAuth, readers, validate({ params: cameraCodeParams }), async (req, res) => {
    res.json(await getCamera(camCode(req)));
  });
  r.patch('/admin/cameras/:code', requireAuth, admin, validate({ params: cameraCodeParams, body: cameraPatchBody }), async (req, res) => {
    res.json(await updateCamera(actorOf(req), camCode(req), req.body as Partial<CameraInput>));
  });
  r.delete('/admin/cameras/:code', requireAuth, admin, validate({ params: cameraCodeParams }), async (req, res) => {
    await deleteCamera(actorOf(req), camCode(req));
    res.status(204).end();
  });
  r.post('/admin/cameras/:code/rotate-key', requireAuth, admin, validate({ params: cameraCodeParams }), async (req, res) => {
    res.json(await rotateCameraKey(actorOf(req), camCode(req)));
  });

  r.post('/ingest/camera/events', validate({ body: cameraEventsBody }), async (req, res) => {
    const body = req.body as { deviceCode: string; events: CameraEventInput[] };
    const device = await authenticateDevice(body.deviceCode, req.get('x-device-key'));
    res.json({ results: await ingestCameraEvents(port, device, body.events, { minConfidence: options.minConfidence }) });
  });
  return r;
}
