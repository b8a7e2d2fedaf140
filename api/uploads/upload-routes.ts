import { Router, type Request, type RequestHandler, type Response } from 'express';
import { type AttachmentKind } from '../../db/vocabulary.js';
import {
  attachToCase,
  attachmentBytes,
  caseAttachments,
  checkUploads,
  findAttachment,
  publicPhoto,
  publicPhotos,
  type AttachmentRecord,
  type CheckedFile,
} from '../../domain/attachments/index.js';
import { readCase } from '../../domain/cases/case-detail.js';
import { taskForAttachment } from '../../domain/inbox/attachment-scope.js';
import { fileCase } from '../../domain/intake/file-case.js';
import { isDomainError } from '../../domain/shared/errors.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, refuseStaffSession, requireAuth } from '../auth/middleware.js';
import { caseIdParams } from '../cases/case-routes.js';
import { HttpError } from '../http/errors.js';
import { anonymousScope, idempotent } from '../http/idempotency.js';
import { validate } from '../http/validate.js';
import { publicReportBody, tokenParams } from '../public/public-routes.js';
import { taskKeyParams } from '../tasks/task-routes.js';
import { MAX_PHOTOS, multipartFiles, textFieldsAsBody, uploadedFiles } from './multipart.js';

export const TASK_ATTACHMENT_KINDS = ['photo_before', 'photo_after', 'document'] as const;
export const taskAttachmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: { kind: { enum: TASK_ATTACHMENT_KINDS } },
};
export const attachmentIdParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,19}$' } } };
export const photoParams = {
  type: 'object',
  required: ['token', 'attachmentId'],
  properties: { ...tokenParams.properties, attachmentId: { type: 'string', pattern: '^[0-9]{1,19}$' } },
};
export const attachmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    kind: { type: 'string' },
    fileName: { type: 'string' },
    mimeType: { type: 'string' },
    sizeBytes: { type: 'integer' },
    sha256: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

/** The bytes of a stored attachment: its own type, `nosniff` (set globally), inline for images, download for the rest. */
async function sendAttachment(res: Response, dataDir: string, row: AttachmentRecord): Promise<void> {
  const bytes = await attachmentBytes(dataDir, row);
  const ascii = row.fileName.replace(/[^A-Za-z0-9._ -]/gu, '_'); // the fallback for old clients; filename* has the real name
  const disposition = row.mimeType.startsWith('image/') ? 'inline' : 'attachment';
  res.setHeader('Content-Type', row.mimeType);
  res.setHeader('Content-Length', String(bytes.length));
  res.setHeader('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`);
  res.setHeader('ETag', `"${row.sha256}"`);
  res.setHeader('Cache-Control', 'private, max-age=3600');
  res.end(bytes);
}

/**
 * 随手拍 with photos: `POST /public/reports` as `multipart/form-data` (the JSON fields as text fields,
 * files in `photos`). Mounted before the JSON route, which gets every other content type. It keeps its
 * own per-address limit, since the JSON route's limiter sits in that route's router.
 * Every check (fields, count, size, type by magic bytes, a full decode of each image) runs before the case is filed, so a refusal
 * writes nothing: no case, no file, no row.
 */
export function publicReportUploadRoutes(port: WorkflowEngine, options: { dataDir: string; limiter: RequestHandler }): Router {
  const r = Router();
  const limiter = options.limiter;
  r.post(
    '/public/reports',
    (req, _res, next) => next(req.is('multipart/form-data') ? undefined : 'router'),
    limiter,
    refuseStaffSession,
    multipartFiles('photos', MAX_PHOTOS),
    textFieldsAsBody(['lat', 'lng']),
    validate({ body: publicReportBody }),
    async (req, _res, next) => {
      const checked = await checkUploads(uploadedFiles(req), 'image');
      (req as Request & { photos?: typeof checked }).photos = checked;
      // the idempotency hash covers the photos too: the same key with other photos is another request
      (req.body as Record<string, unknown>)['photoSha256'] = checked.map((f) => f.sha256);
      next();
    },
    idempotent(
      anonymousScope(() => 'POST /public/reports'),
      async (req: Request, { keyHash }) => {
        const { photoSha256: _hashes, ...fields } = req.body as { description: string; photoSha256?: string[] };
        const photos = (req as Request & { photos?: CheckedFile[] }).photos ?? [];
        const filed = await fileCase(port, { ...fields, channel: 'photo' }, new Date(), { intakeKey: keyHash });
        const rows = photos.length
          ? await attachToCase(options.dataDir, filed.caseId, 'photo', photos, {
              actor: 'public',
              actorRole: null,
              uploadedBy: null,
              dedupKey: `case-photos:${filed.caseId}`,
            })
          : [];
        return { status: 201, body: { caseNo: filed.caseNo, status: filed.status, trackingToken: filed.trackingToken, photoIds: rows.map((a) => a.id) } };
      },
    ),
  );
  return r;
}

/** Reading photos by tracking token (after the public routes, so their limiter counts these too), task uploads, staff reads. */
export function uploadRoutes(options: { dataDir: string }): Router {
  const r = Router();
  const { dataDir } = options;
  r.get('/public/reports/:token/photos', validate({ params: tokenParams }), async (req, res) => {
    res.json(await publicPhotos(String(req.params['token'])));
  });
  r.get('/public/reports/:token/photos/:attachmentId', validate({ params: photoParams }), async (req, res) => {
    await sendAttachment(res, dataDir, await publicPhoto(String(req.params['token']), String(req.params['attachmentId'])));
  });

  r.post(
    '/tasks/:key/attachments',
    requireAuth,
    validate({ params: taskKeyParams }),
    async (req, _res, next) => {
      // scope first: a caller who may not complete the task does not get to send us 5 MB
      await taskForAttachment(actorOf(req), String(req.params['key']));
      next();
    },
    multipartFiles('file', 1),
    textFieldsAsBody([]),
    validate({ body: taskAttachmentBody }),
    async (req, res) => {
      const actor = actorOf(req);
      const [file] = uploadedFiles(req);
      if (!file) throw new HttpError(400, 'file_required');
      const kind = (req.body as { kind: AttachmentKind }).kind;
      const [checked] = await checkUploads([file], kind === 'document' ? 'document' : 'image');
      // re-read: the task may have been completed while the file was arriving
      const task = await taskForAttachment(actor, String(req.params['key']));
      const [row] = await attachToCase(dataDir, task.caseId, kind, [checked!], {
        actor: actor.username,
        actorRole: actor.role,
        uploadedBy: actor.userId,
        detail: { userTaskKey: task.userTaskKey, elementId: task.elementId },
      });
      res.status(201).json({ id: row!.id, caseId: row!.caseId, kind: row!.kind, fileName: row!.fileName, mimeType: row!.mimeType, sizeBytes: row!.sizeBytes });
    },
  );

  r.get('/attachments/:id', requireAuth, validate({ params: attachmentIdParams }), async (req, res) => {
    const row = await findAttachment(String(req.params['id']));
    try {
      await readCase(actorOf(req), row.caseId);
    } catch (err) {
      // a case the caller may not read: its attachments do not exist for them either
      if (isDomainError(err, 'NOT_FOUND')) throw new HttpError(404, 'attachment_not_found');
      throw err;
    }
    await sendAttachment(res, dataDir, row);
  });
  r.get('/cases/:id/attachments', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    const caseId = String(req.params['id']);
    await readCase(actorOf(req), caseId);
    res.json(await caseAttachments(caseId));
  });
  return r;
}
