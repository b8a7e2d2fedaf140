import { createHash } from 'node:crypto';
import { IdempotencyRecord } from '../../db/models/index.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { DomainError } from '../shared/errors.js';

export type IdempotentOutcome = { replay: true; status: number; body: unknown } | { replay: false; finish(status: number, body: unknown): Promise<void>; abandon(): Promise<void> };

/**
 * `Idempotency-Key`: the first request with a key runs and its answer is stored; a retry with the same key
 * and the same body gets that answer again; the same key with another body is a conflict, as is a retry
 * while the first is still running. A first request that fails with a 4xx/5xx leaves no record.
 */
export async function beginIdempotent(scope: string, request: unknown): Promise<IdempotentOutcome> {
  const requestHash = createHash('sha256').update(canonicalJson(request ?? null)).digest('hex');
  const existing = await IdempotencyRecord.findOne({ where: { scope } });
  if (!existing) {
    let record: IdempotencyRecord;
    try {
      record = await IdempotencyRecord.create({ scope, requestHash, statusCode: null, responseBody: null });
    } catch (err) {
      if ((err as Error).name === 'SequelizeUniqueConstraintError') throw new DomainError('CONFLICT', 'request in progress', { apiCode: 'idempotency_in_progress' });
      throw err;
    }
    return {
      replay: false,
      finish: async (status, body) => { await record.update({ statusCode: status, responseBody: JSON.stringify(body) }); },
      abandon: async () => { await record.destroy(); },
    };
  }
  if (existing.requestHash !== requestHash) throw new DomainError('CONFLICT', 'key reused with another body', { apiCode: 'idempotency_mismatch' });
  if (existing.statusCode === null) throw new DomainError('CONFLICT', 'request in progress', { apiCode: 'idempotency_in_progress' });
  return { replay: true, status: existing.statusCode, body: JSON.parse(existing.responseBody ?? 'null') };
}
