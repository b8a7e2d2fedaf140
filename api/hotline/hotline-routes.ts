import { Router } from 'express';
import { callerCases, gridCentre, gridOfCall, nearbyOpenCases, suggestTypes } from '../../domain/hotline/call-context.js';
import { joinCallToCase, recentCalls, recordConsultation } from '../../domain/hotline/calls.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { phone } from '../cases/case-routes.js';
import { idempotent } from '../http/idempotency.js';
import { text, validate } from '../http/validate.js';

const gridCode = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' };
export const callerQuery = { type: 'object', additionalProperties: false, required: ['phone'], properties: { phone } };
export const contextQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: text(2000, 0),
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lng: { type: 'number', minimum: -180, maximum: 180 },
    gridCode,
  },
  dependencies: { lat: ['lng'], lng: ['lat'] },
};
const caller = { callerName: text(64), callerPhone: phone };
export const consultationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['question', 'answer'],
  properties: { ...caller, question: text(2000), answer: text(2000) },
};
export const joinBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'content'],
  properties: { ...caller, caseId: { type: 'string', pattern: '^[0-9]{1,19}$' }, content: text(2000) },
};

/**
 * The hotline operator's 来电登记 (issue #14): the caller's earlier cases, the context of what they say
 * (the classifier's suggestions, the grid, open cases nearby), 直办 of a consultation and 并单 of a call
 * about an open case. Filing a case stays `POST /api/cases`.
 */
export function hotlineRoutes(): Router {
  const r = Router();
  r.use('/hotline', requireAuth, requireRole('operator', 'admin'));
  r.get('/hotline/caller-cases', validate({ query: callerQuery }), async (req, res) => {
    res.json({ items: await callerCases(String(req.query['phone'])) });
  });
  r.get('/hotline/context', validate({ query: contextQuery }), async (req, res) => {
    const q = req.query as { description?: string; lat?: number; lng?: number; gridCode?: string };
    const suggestions = q.description ? await suggestTypes(q.description) : [];
    const grid = await gridOfCall(q);
    const point = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : q.gridCode ? await gridCentre(q.gridCode) : null;
    const nearby = point ? await nearbyOpenCases(point, suggestions[0]?.code ?? null) : [];
    res.json({ suggestions, grid, nearby });
  });
  r.get('/hotline/calls', async (req, res) => {
    res.json({ items: await recentCalls(actorOf(req).username) });
  });
  r.post(
    '/hotline/consultations',
    validate({ body: consultationBody }),
    idempotent(
      (req) => `POST /hotline/consultations:${actorOf(req).userId}`,
      async (req) => {
        const body = req.body as { callerName?: string; callerPhone?: string; question: string; answer: string };
        return { status: 201, body: await recordConsultation(actorOf(req), body) };
      },
    ),
  );
  r.post(
    '/hotline/joined-calls',
    validate({ body: joinBody }),
    idempotent(
      (req) => `POST /hotline/joined-calls:${actorOf(req).userId}`,
      async (req) => {
        const body = req.body as { callerName?: string; callerPhone?: string; caseId: string; content: string };
        return { status: 201, body: await joinCallToCase(actorOf(req), body) };
      },
    ),
  );
  return r;
}
