import { Router } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import type { AppConfig } from '../../config/schema.js';
import { AuditRecord } from '../../db/models/index.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { rangeOf } from '../../domain/dashboard/case-search.js';
import { CSV_BOM, csvRow } from '../../domain/history/csv.js';
import { requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';

const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
export const auditLogQuery = { type: 'object', additionalProperties: false, properties: { from: dayOrInstant, to: dayOrInstant } };

const HEADER = ['id', 'createdAt', 'caseId', 'actor', 'actorRole', 'action', 'detail', 'dedupKey', 'prevHash', 'hash'];
const PAGE = 1000;

/** The audit log for auditors: verify the hash chain, export a period as CSV. Read-only; admin and auditor. */
export function auditRoutes(config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES'>): Router {
  const r = Router();
  r.use('/audit', requireAuth, requireRole('admin', 'auditor'));
  r.get('/audit/verify', validate({}), async (_req, res) => {
    const result = await verifyAuditChain();
    res.json({ ok: result.ok, checked: result.checked, ...(result.firstBroken ? { firstBroken: result.firstBroken } : {}) });
  });
  r.get('/audit/log.csv', validate({ query: auditLogQuery }), async (req, res) => {
    const q = req.query as { from?: string; to?: string };
    const range = rangeOf(q.from, q.to, config.CALENDAR_UTC_OFFSET_MINUTES);
    if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
      throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/from', message: 'from must be before to' }] });
    }
    const period: WhereOptions<AuditRecord> = {
      ...(range.from || range.to ? { createdAt: { ...(range.from ? { [Op.gte]: range.from } : {}), ...(range.to ? { [Op.lt]: range.to } : {}) } } : {}),
    };
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="audit-log.csv"');
    res.write(CSV_BOM + csvRow(HEADER));
    // page by id, so a long log is never in memory at once
    let lastId = '0';
    for (;;) {
      const rows = await AuditRecord.findAll({ where: { ...period, id: { [Op.gt]: lastId } }, order: [['id', 'ASC']], limit: PAGE });
      let chunk = '';
      for (const a of rows) chunk += csvRow([a.id, a.createdAt, a.caseId, a.actor, a.actorRole, a.action, a.detail, a.dedupKey, a.prevHash, a.hash]);
      if (chunk) res.write(chunk);
      if (rows.length < PAGE) break;
      lastId = rows[rows.length - 1]!.id;
    }
    res.end();
  });
  return r;
}
