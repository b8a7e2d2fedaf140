import { caseIdParams } from '../cases/case-routes.js';
import { publicReportBody } from '../public/public-routes.js';
import { taskKeyParams } from '../tasks/task-routes.js';
import {
  cameraCodeParams,
  cameraEventsBody,
  cameraEventsReply,
  cameraListQuery,
  cameraPatchBody,
  cameraSchema,
  newCameraBody,
} from '../camera/camera-routes.js';
import { attachmentIdParams, attachmentSchema, photoParams, TASK_ATTACHMENT_KINDS } from './upload-routes.js';
import { MAX_IMAGE_PIXELS } from '../../domain/attachments/index.js';
import { MAX_FILE_BYTES, MAX_PHOTOS } from './multipart.js';

type Schema = Record<string, unknown>;
const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const params = (where: 'path' | 'query', schema: { properties: Record<string, unknown>; required?: readonly string[] }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: where, required: where === 'path', schema: s }));
const auth = [{ bearer: [] }];
const guarded = { '401': err('no or bad bearer token'), '403': err('role not allowed') };
const bytes = (description: string) => ({
  description,
  content: {
    'image/jpeg': { schema: { type: 'string', format: 'binary' } },
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'image/webp': { schema: { type: 'string', format: 'binary' } },
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
  },
});
const uploadRefusals = {
  '413': err(
    `file_too_large (> ${MAX_FILE_BYTES / 1024 / 1024} MB), too_many_files, image_too_many_pixels (> ${MAX_IMAGE_PIXELS / 1e6} MP, checked before decoding)`,
  ),
  '415': err(
    'unsupported_file_type: not JPEG/PNG/WebP (PDF for documents) by magic bytes, or a name/type that contradicts the content; image_invalid: the image does not decode in full (forged header, truncated, corrupt); pdf_invalid: a PDF header without the trailer and cross-reference section of a PDF. Stored images lose their metadata (EXIF incl. GPS, XMP, text chunks; only the EXIF orientation is kept)',
  ),
};

/** `POST /public/reports` takes JSON or multipart: the JSON fields as text fields plus up to six photos. */
export const publicReportRequestBody = {
  required: true,
  content: {
    'application/json': { schema: publicReportBody },
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['description'],
        properties: {
          ...(publicReportBody.properties as Record<string, Schema>),
          lat: { type: 'string', description: 'decimal degrees' },
          lng: { type: 'string', description: 'decimal degrees' },
          photos: {
            type: 'array',
            maxItems: MAX_PHOTOS,
            items: { type: 'string', format: 'binary' },
            description: `≤ ${MAX_PHOTOS} JPEG/PNG/WebP files, ≤ 5 MB each`,
          },
        },
      },
    },
  },
};
export const publicReportUploadResponses = uploadRefusals;

/** The uploads, attachments and AI-camera paths for the OpenAPI document (spread into its `paths`). */
export function uploadApiPaths(): Record<string, unknown> {
  return {
    '/public/reports/{token}/photos': {
      get: {
        summary: "the reporter's photos of the case and the unit's after-photos (`kind` photo / photo_after), by tracking token",
        parameters: params('path', { properties: { token: (photoParams.properties as Record<string, unknown>)['token'] } }),
        responses: { '200': json({ type: 'array', items: attachmentSchema }), '404': err('unknown token') },
      },
    },
    '/public/reports/{token}/photos/{attachmentId}': {
      get: {
        summary: "one photo of the case, its bytes (only this case's photos and after-photos)",
        parameters: params('path', photoParams),
        responses: { '200': bytes('the image'), '404': err('attachment_not_found') },
      },
    },
    '/tasks/{key}/attachments': {
      post: {
        summary: "attach a file to the task's case (same scope as completing the task); the id goes into the form's photo fields",
        security: auth,
        parameters: params('path', taskKeyParams),
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['kind', 'file'],
                properties: { kind: { enum: TASK_ATTACHMENT_KINDS }, file: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
        responses: {
          '201': json(attachmentSchema, 'stored'),
          '400': err('invalid_input, file_required, bad_multipart'),
          ...guarded,
          '404': err('task_not_found'),
          '409': err('task_finished, task_claimed, task_without_case'),
          ...uploadRefusals,
        },
      },
    },
    '/attachments/{id}': {
      get: {
        summary: "an attachment's bytes (whoever may read the case)",
        security: auth,
        parameters: params('path', attachmentIdParams),
        responses: { '200': bytes('the file'), '401': err('not logged in'), '404': err('attachment_not_found (or its case is not yours)') },
      },
    },
    '/cases/{id}/attachments': {
      get: {
        summary: 'the attachments of a case (whoever may read the case)',
        security: auth,
        parameters: params('path', caseIdParams),
        responses: { '200': json({ type: 'array', items: attachmentSchema }), '401': err('not logged in'), '404': err('case_not_found') },
      },
    },
    '/admin/cameras': {
      get: {
        summary: 'AI cameras (admin, auditor, operator)',
        security: auth,
        parameters: params('query', cameraListQuery),
        responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: cameraSchema }, total: { type: 'integer' } } }), ...guarded },
      },
      post: {
        summary: 'register a camera (admin); the answer carries its API key once',
        security: auth,
        requestBody: { required: true, content: { 'application/json': { schema: newCameraBody } } },
        responses: {
          '201': json({ ...cameraSchema, properties: { ...cameraSchema.properties, apiKey: { type: 'string' } } }),
          '400': err('invalid_input, unknown_grid, unknown_event_type'),
          ...guarded,
          '409': err('camera_exists'),
        },
      },
    },
    '/admin/cameras/{code}': {
      get: {
        summary: 'one camera',
        security: auth,
        parameters: params('path', cameraCodeParams),
        responses: { '200': json(cameraSchema), ...guarded, '404': err('camera_not_found') },
      },
      patch: {
        summary: 'change a camera (admin); `enabled: false` stops its events',
        security: auth,
        parameters: params('path', cameraCodeParams),
        requestBody: { required: true, content: { 'application/json': { schema: cameraPatchBody } } },
        responses: { '200': json(cameraSchema), '400': err('invalid input'), ...guarded, '404': err('camera_not_found') },
      },
      delete: {
        summary: 'delete a camera without cases (admin)',
        security: auth,
        parameters: params('path', cameraCodeParams),
        responses: {
          '204': { description: 'deleted' },
          ...guarded,
          '404': err('camera_not_found'),
          '409': err('in_use: its events made cases; disable it instead'),
        },
      },
    },
    '/admin/cameras/{code}/rotate-key': {
      post: {
        summary: 'a new API key (admin), shown once; the old one stops working',
        security: auth,
        parameters: params('path', cameraCodeParams),
        responses: { '200': json({ type: 'object', properties: { apiKey: { type: 'string' } } }), ...guarded, '404': err('camera_not_found') },
      },
    },
    '/ingest/camera/events': {
      post: {
        summary:
          'AI-camera webhook: ≤ 500 events per batch; per event created | merged (repeat of an open case of this camera and type) | duplicate (eventId seen) | refused (type_not_detected, unknown_event_type, low_confidence under AI_MIN_CONFIDENCE, implausible_time: captured over 30 days ago or ahead of the clock, implausible_location: the camera is registered at (0, 0) or far outside the district)',
        parameters: [{ name: 'X-Device-Key', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: cameraEventsBody } } },
        responses: {
          '200': json(cameraEventsReply),
          '400': err('invalid_input'),
          '401': err('device_unauthorized'),
          '403': err('device_disabled'),
          '413': err('payload_too_large (> 1 MB)'),
        },
      },
    },
  };
}
