import { Router, type Request, type RequestHandler } from 'express';
import { fileCase } from '../../domain/intake/file-case.js';
import { followCase, rateCase } from '../../domain/intake/tracking.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { refuseStaffSession } from '../auth/middleware.js';
import { location, phone } from '../cases/case-routes.js';
import { anonymousScope, idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';

export const publicReportBody = {
  type: 'object',
  additionalProperties: false,
  required: ['description'],
  properties: { description: text(2000), reporterName: text(64), reporterPhone: phone, ...location },
};
export const tokenParams = { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } } };
export const ratingBody = {
  type: 'object',
  additionalProperties: false,
  required: ['satisfied', 'rating'],
  properties: { satisfied: { type: 'boolean' }, rating: { type: 'integer', minimum: 1, maximum: 5 }, comment: text(500, 0) },
};

/** 随手拍 without login: report, follow by tracking token, rate. Rate-limited per address. */
export function publicRoutes(port: WorkflowEngine, options: { limiter: RequestHandler }): Router {
  const r = Router();
  r.use('/public', options.limiter);
  r.post(
    '/public/reports',
    refuseStaffSession,
    validate({ body: publicReportBody }),
    idempotent(
      anonymousScope(() => 'POST /public/reports'),
      async (req: Request, { keyHash }) => {
        const body = req.body as { description: string; lat?: number; lng?: number };
        const filed = await fileCase(port, { ...body, channel: 'photo' }, new Date(), { intakeKey: keyHash });
        return { status: 201, body: { caseNo: filed.caseNo, status: filed.status, trackingToken: filed.trackingToken } };
      },
      { resumable: true },
    ),
  );
  r.get('/public/reports/:token', validate({ params: tokenParams }), async (req, res) => {
    res.json(await followCase(String(req.params['token'])));
  });
  r.post(
    '/public/reports/:token/rating',
    validate({ params: tokenParams, body: ratingBody }),
    idempotent(
      anonymousScope((req) => `POST /public/reports/${String(req.params['token'])}/rating`),
      async (req: Request) => {
        const body = req.body as { satisfied: boolean; rating: number; comment?: string };
        const rated = await rateCase(port, String(req.params['token']), body);
        return { status: 202, body: { caseNo: rated.caseNo, accepted: true } };
      },
    ),
  );
  return r;
}
