import { Router, type Request } from 'express';
import { attachToCase, checkUploads, type CheckedFile } from '../../domain/attachments/index.js';
import { fieldReportsOf } from '../../domain/intake/field-reports.js';
import { fileCase } from '../../domain/intake/file-case.js';
import { closeSelfHandled } from '../../domain/intake/self-handled.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { location } from '../cases/case-routes.js';
import { HttpError } from '../http/errors.js';
import { idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';
import { MAX_PHOTOS, multipartFiles, textFieldsAsBody, uploadedFiles } from '../uploads/multipart.js';

export const fieldReportBody = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'eventTypeCode'],
  properties: {
    description: text(2000),
    eventTypeCode: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$' },
    gridCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    ...location,
    selfHandled: { enum: ['true', 'false'] },
    result: text(500),
  },
  dependencies: { lat: ['lng'], lng: ['lat'] },
};

interface FieldReport {
  description: string;
  eventTypeCode: string;
  gridCode?: string;
  address?: string;
  lat?: number;
  lng?: number;
  selfHandled?: 'true' | 'false';
  result?: string;
}

/**
 * A grid worker's 巡查上报 from the phone (issue #14 item 4): multipart, the fields as text and up to
 * MAX_PHOTOS photos in `photos`. `selfHandled=true` (自处置, with `result`: what was done) files the case and
 * closes it at once. Every check (fields, photos by magic bytes) runs before anything is written.
 */
export function fieldReportRoutes(port: WorkflowEngine, options: { dataDir: string }): Router {
  const r = Router();
  r.use('/field-reports', requireAuth, requireRole('grid_worker'));
  r.post(
    '/field-reports',
    (req, _res, next) => next(req.is('multipart/form-data') ? undefined : new HttpError(415, 'multipart_required')),
    multipartFiles('photos', MAX_PHOTOS),
    textFieldsAsBody(['lat', 'lng']),
    validate({ body: fieldReportBody }),
    async (req, _res, next) => {
      const body = req.body as FieldReport;
      if (body.selfHandled === 'true' && !body.result)
        return next(new HttpError(400, 'result_required', undefined, { errors: [{ path: '/result', message: 'say what was done on the spot' }] }));
      const checked = await checkUploads(uploadedFiles(req), 'image');
      (req as Request & { photos?: typeof checked }).photos = checked;
      (req.body as Record<string, unknown>)['photoSha256'] = checked.map((f) => f.sha256);
      next();
    },
    idempotent(
      (req) => `POST /field-reports:${actorOf(req).userId}`,
      async (req: Request, { keyHash }) => {
        const actor = actorOf(req);
        const { photoSha256: _hashes, selfHandled, result, ...fields } = req.body as FieldReport & { photoSha256?: string[] };
        const photos = (req as Request & { photos?: CheckedFile[] }).photos ?? [];
        const who = { actor: actor.username, role: actor.role };
        const filed = await fileCase(port, { ...fields, channel: 'grid_worker', reporterUserId: actor.userId, filedBy: who }, new Date(), {
          intakeKey: keyHash,
        });
        const rows = photos.length
          ? await attachToCase(options.dataDir, filed.caseId, 'photo', photos, {
              actor: actor.username,
              actorRole: actor.role,
              uploadedBy: actor.userId,
              dedupKey: `case-photos:${filed.caseId}`,
            })
          : [];
        const status =
          selfHandled === 'true' ? (await closeSelfHandled(port, filed, { username: actor.username, role: actor.role }, result!)).case.status : filed.status;
        return { status: 201, body: { id: filed.caseId, caseNo: filed.caseNo, status, selfHandled: selfHandled === 'true', photoIds: rows.map((a) => a.id) } };
      },
    ),
  );
  r.get('/field-reports', async (req, res) => {
    res.json({ items: await fieldReportsOf(actorOf(req).userId) });
  });
  return r;
}
