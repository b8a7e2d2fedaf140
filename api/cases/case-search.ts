import { Router } from 'express';
import { CASE_STATUSES, CHANNELS } from '../../db/vocabulary.js';
import type { AppConfig } from '../../config/schema.js';
import { searchCases, type CaseSearch } from '../../domain/dashboard/case-search.js';
import { actorOf, requireAuth } from '../auth/middleware.js';
import { afterParam, keysetPageSize, offsetNote } from '../http/paging-schema.js';
import { validate } from '../http/validate.js';

const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };

export const caseSearchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 100 },
    status: { enum: [...CASE_STATUSES] },
    category: { type: 'string', minLength: 1, maxLength: 16 },
    unitId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    township: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    channel: { enum: [...CHANNELS] },
    light: { enum: ['green', 'yellow', 'red'] },
    from: dayOrInstant,
    to: dayOrInstant,
    after: afterParam,
    page: { type: 'integer', minimum: 1, maximum: 100000, description: offsetNote },
    pageSize: keysetPageSize(20),
  },
  not: { required: ['after', 'page'], properties: { after: {}, page: {} } },
};

/** GET /cases: the case search, scoped to what the caller may read (the same rule as GET /cases/:id), paged by `after` (README, Paging). */
export function caseSearchRoutes(config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES'>): Router {
  const r = Router();
  r.get('/cases', requireAuth, validate({ query: caseSearchQuery }), async (req, res) => {
    res.json(await searchCases(actorOf(req), req.query as CaseSearch, { offsetMinutes: config.CALENDAR_UTC_OFFSET_MINUTES }));
  });
  return r;
}
