import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { TimeKey } from './cursor.js';

/**
 * The keyset condition of the paging contract (domain/shared/paging.ts) for queries written with Kysely (db/sql).
 * Rows after `key` in newest-first order (timestamp DESC, id DESC): the redundant `<=` bound gives both
 * databases a range to seek to on the (…, timestamp[, id]) index; the OR then only skips the rows that
 * share the key's timestamp.
 */
export function olderThanKey<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, key: TimeKey, column = 'createdAt', idColumn = 'id'): Expression<SqlBool> {
  const on = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
  return on.and([on(column, '<=', key.at), on.or([on(column, '<', key.at), on(idColumn, '<', key.id)])]);
}

/** Rows at or before `key` in newest-first order: the window up to and including it. */
export function notOlderThanKey<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  key: TimeKey,
  column = 'createdAt',
  idColumn = 'id',
): Expression<SqlBool> {
  const on = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
  return on.and([on(column, '>=', key.at), on.or([on(column, '>', key.at), on(idColumn, '>=', key.id)])]);
}
