import { Router } from 'express';
import type { AppConfig } from '../../config/schema.js';
import { listAuditRecords } from '../../domain/audit/record-list.js';
import { rangeOf } from '../../domain/dashboard/case-search.js';
import { requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { afterParam, keysetPageSize, pagingErrors, pagingFields } from '../http/paging-schema.js';
import { text, validate } from '../http/validate.js';

const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
export const auditRecordsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: dayOrInstant,
    to: dayOrInstant,
    caseId: { type: 'string', pattern: '^[0-9]{1,19}$' },
    action: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
    actor: text(64),
    after: afterParam,
    pageSize: keysetPageSize(50),
  },
};

const auditRecord = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    caseId: { type: 'string', nullable: true },
    actor: { type: 'string' },
    actorRole: { type: 'string', nullable: true },
    action: { type: 'string' },
    detail: { type: 'object', nullable: true },
    hash: { type: 'string' },
  },
};

/** The OpenAPI path of the audit records list. */
export function auditRecordsApiPaths(): Record<string, unknown> {
  const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  return {
    '/audit/records': {
      get: {
        summary: 'audit records, newest first (createdAt, id), by case, action, actor and period (admin, auditor)',
        security: [{ bearer: [] }],
        description: 'Follow `next` with `after`. from/to: local days (inclusive) or instants (to exclusive).',
        parameters: Object.entries(auditRecordsQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: auditRecord }, ...pagingFields } },
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

/** GET /audit/records: the audit log as a list for auditors (the CSV export walks the whole period). */
export function auditRecordsRoutes(config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES'>): Router {
  const r = Router();
  r.get('/audit/records', requireAuth, requireRole('admin', 'auditor'), validate({ query: auditRecordsQuery }), async (req, res) => {
    const q = req.query as { from?: string; to?: string; caseId?: string; action?: string; actor?: string; after?: string; pageSize?: number };
    const range = rangeOf(q.from, q.to, config.CALENDAR_UTC_OFFSET_MINUTES);
    if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
      throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/from', message: 'from must be before to' }] });
    }
    const { from: _f, to: _t, ...rest } = q;
    res.json(await listAuditRecords({ ...rest, ...range }));
  });
  return r;
}
