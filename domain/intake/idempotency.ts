import { createHash } from 'node:crypto';
import { uniqueViolation } from '../../db/sql/constraint-errors.js';
import { appSql } from '../../db/sql/current.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { DomainError } from '../shared/errors.js';

export type IdempotentOutcome =
  { replay: true; status: number; body: unknown } | { replay: false; finish(status: number, body: unknown): Promise<void>; abandon(): Promise<void> };

/**
 * `Idempotency-Key`: the first request with a key runs and its answer is stored; a retry with the same key
 * and the same body gets that answer again; the same key with another body is a conflict, as is a retry
 * while the first is still running. A first request that fails with a 4xx/5xx leaves no record.
 */
/** when this process started: a request still "in progress" from before then was cut off by a crash */
const STARTED_AT = Date.now();
/** a request "in progress" this long is taken as cut off too (another process, on a shared MySQL, that died) */
const ABANDONED_AFTER_MS = 5 * 60_000;

/**
 * `resumable`: a retry may take over a first request that a crash cut off (still "in progress" from before
 * this process started, or for ABANDONED_AFTER_MS) and run the handler again — for handlers that find their
 * own earlier half-done work instead of doing it twice (intake, by the key's hash on the case). Otherwise
 * such a retry stays a conflict.
 */
export async function beginIdempotent(scope: string, request: unknown, options: { resumable?: boolean } = {}): Promise<IdempotentOutcome> {
  const requestHash = createHash('sha256')
    .update(canonicalJson(request ?? null))
    .digest('hex');
  const existing = await appSql()
    .selectFrom('idempotency_keys')
    .select(['id', 'requestHash', 'statusCode', 'responseBody', 'createdAt'])
    .where('scope', '=', scope)
    .executeTakeFirst();
  if (!existing) {
    let id: number;
    try {
      const now = new Date();
      const inserted = await appSql()
        .insertInto('idempotency_keys')
        .values({ scope, requestHash, statusCode: null, responseBody: null, createdAt: now, updatedAt: now })
        .executeTakeFirstOrThrow();
      id = Number(inserted.insertId);
    } catch (err) {
      if (uniqueViolation(err)) throw new DomainError('CONFLICT', 'request in progress', { apiCode: 'idempotency_in_progress' });
      throw err;
    }
    return { replay: false, finish: (status, body) => finishRecord(id, status, body), abandon: () => dropRecord(id) };
  }
  if (existing.requestHash !== requestHash) throw new DomainError('CONFLICT', 'key reused with another body', { apiCode: 'idempotency_mismatch' });
  if (existing.statusCode === null) {
    const cutOff = existing.createdAt.getTime() < STARTED_AT || Date.now() - existing.createdAt.getTime() > ABANDONED_AFTER_MS;
    if (!options.resumable || !cutOff) throw new DomainError('CONFLICT', 'request in progress', { apiCode: 'idempotency_in_progress' });
    // taken over by this retry: the record is its own from here (finish stores its answer, abandon drops it)
    return { replay: false, finish: (status, body) => finishRecord(existing.id, status, body), abandon: () => dropRecord(existing.id) };
  }
  return { replay: true, status: existing.statusCode, body: JSON.parse(existing.responseBody ?? 'null') };
}

/** the first request's answer, stored for its retries */
async function finishRecord(id: number, status: number, body: unknown): Promise<void> {
  await appSql()
    .updateTable('idempotency_keys')
    .set({ statusCode: status, responseBody: JSON.stringify(body), updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

async function dropRecord(id: number): Promise<void> {
  await appSql().deleteFrom('idempotency_keys').where('id', '=', id).execute();
}
