import { Router, type Request, type Response } from 'express';
import type { AppConfig } from '../../config/schema.js';
import { recordBatches, verifyAuditChain, type ChainVerification, type StoredAuditRecord, type VerifyOptions } from '../../domain/audit/index.js';
import { rangeOf } from '../../domain/dashboard/case-search.js';
import { localTimestamp, offsetText } from '../../domain/shared/local-time.js';
import { requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { ndjson, sendCsv } from '../http/streaming.js';
import { validate } from '../http/validate.js';

const dayOrInstant = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
export const auditLogQuery = { type: 'object', additionalProperties: false, properties: { from: dayOrInstant, to: dayOrInstant } };
export const auditVerifyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: {
      enum: ['checkpoint', 'start'],
      description: 'checkpoint (default): resume after the latest verified checkpoint; start: recompute every hash from the first record',
    },
  },
};
export const NDJSON = 'application/x-ndjson';

/** The header names the offset the times are in: local time, as the pages show it (and the case history's export). */
const header = (offsetMinutes: number) => [
  'id',
  `createdAt (UTC${offsetText(offsetMinutes)})`,
  'caseId',
  'actor',
  'actorRole',
  'action',
  'detail',
  'dedupKey',
  'prevHash',
  'hash',
];
/** rows per read of the CSV export: one read and its formatting stay within a few ms */
const CSV_BATCH = 1_000;

const csvLineIn =
  (offsetMinutes: number) =>
  (a: StoredAuditRecord): unknown[] => [
    // created_at in local time with its offset (to the millisecond: the instant is kept); as stored when it is no
    // date at all (a tampered row is exported as it is, not dropped)
    a.id,
    a.createdAt ? localTimestamp(a.createdAt, offsetMinutes) : a.createdAtStored,
    a.caseId,
    a.actor,
    a.actorRole,
    a.action,
    a.detailText,
    a.dedupKey,
    a.prevHash,
    a.hash,
  ];

const answer = (r: ChainVerification) => ({
  ok: r.ok,
  checked: r.checked,
  from: r.from,
  resumedAfter: r.resumedAfter,
  checkedThisRun: r.checkedThisRun,
  verifiedThrough: r.verifiedThrough,
  ...(r.firstBroken ? { firstBroken: r.firstBroken } : {}),
});

/** Aborted when the client goes away before the answer is complete: a long verification stops between two batches. */
function abortOnClose(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error(`client closed ${req.path}`));
  });
  return controller.signal;
}

/**
 * The audit log for auditors: verify the hash chain (`?from=start` for a full run; progress as NDJSON
 * with `Accept: application/x-ndjson`), export the log or a period as CSV. Both stream: nothing waits
 * for the whole log, and neither holds the event loop. Read-only but for the verification's checkpoint;
 * admin and auditor.
 */
export function auditRoutes(config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES'>): Router {
  const r = Router();
  r.use('/audit', requireAuth, requireRole('admin', 'auditor'));
  r.get('/audit/verify', validate({ query: auditVerifyQuery }), async (req, res) => {
    const options: VerifyOptions = { from: (req.query as { from?: 'checkpoint' | 'start' }).from ?? 'checkpoint', signal: abortOnClose(req, res) };
    if (req.accepts(['application/json', NDJSON]) !== NDJSON) {
      // one answer at the end: for small logs and the callers that read JSON
      try {
        res.json(answer(await verifyAuditChain(options)));
      } catch (err) {
        if (!options.signal?.aborted) throw err;
      }
      return;
    }
    const out = ndjson(res);
    try {
      const result = await verifyAuditChain({
        ...options,
        onStart: async (s) => {
          await out.send({ type: 'start', from: s.from, resumedAfter: s.resumedAfter, checked: s.checked });
        },
        onProgress: async (p) => {
          await out.send({ type: 'progress', checked: p.checked, checkedThisRun: p.checkedThisRun, currentId: p.currentId });
        },
      });
      await out.send({ type: 'result', ...answer(result) });
    } catch (err) {
      if (options.signal?.aborted) return; // nobody is listening any more
      // the status line is long gone: the failure is the stream's last line, and logged by the error handler
      await out.send({ type: 'error', code: 'internal', message: 'verification failed' });
      res.end();
      throw err;
    }
    res.end();
  });
  r.get('/audit/log.csv', validate({ query: auditLogQuery }), async (req, res) => {
    const q = req.query as { from?: string; to?: string };
    const range = rangeOf(q.from, q.to, config.CALENDAR_UTC_OFFSET_MINUTES);
    if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
      throw new HttpError(400, 'invalid_input', undefined, { errors: [{ path: '/from', message: 'from must be before to' }] });
    }
    const rows = (async function* () {
      for await (const batch of recordBatches(range, CSV_BATCH)) yield batch.map(csvLineIn(config.CALENDAR_UTC_OFFSET_MINUTES));
    })();
    await sendCsv(res, 'audit-log.csv', header(config.CALENDAR_UTC_OFFSET_MINUTES), rows);
  });
  return r;
}
