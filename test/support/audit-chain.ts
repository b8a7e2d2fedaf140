import { appSql } from '../../db/sql/current.js';
import { auditHash, withAuditChain } from '../../domain/audit/index.js';

/** rows per INSERT: well under both databases' limits on bound values */
const ROWS_PER_INSERT = 250;

/**
 * Appends `count` real chain records in one transaction — the same content, hashes and head move as
 * appendAudit, but many rows per INSERT — so tests can build a log of tens of thousands of records in
 * a second or two. Records are `{ caseId, actor: 'bulk', action, detail: { i } }` from `start` on,
 * `perSecond` in each second (default 1: one second apart). Returns the new records' ids.
 */
export async function appendChainRecords(
  count: number,
  options: { caseId?: string | null; action?: string; start?: Date; perSecond?: number } = {},
): Promise<string[]> {
  const start = Math.floor((options.start ?? new Date()).getTime() / 1000) * 1000;
  return withAuditChain(async (chain) => {
    const db = appSql(chain.transaction);
    const head = await db.selectFrom('audit_chain_head').select('lastHash').where('id', '=', 1).executeTakeFirstOrThrow();
    let prev = head.lastHash;
    const rows = [];
    for (let i = 0; i < count; i++) {
      const content = {
        caseId: options.caseId === undefined ? '1' : options.caseId,
        actor: 'bulk',
        actorRole: null,
        action: options.action ?? 'bulk-append',
        detail: { i },
        dedupKey: null,
        createdAt: new Date(start + Math.floor(i / (options.perSecond ?? 1)) * 1000),
      };
      const hash = auditHash(prev, content);
      rows.push({ ...content, detail: JSON.stringify(content.detail), prevHash: prev, hash });
      prev = hash;
    }
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
      await db
        .insertInto('audit_log')
        .values(rows.slice(from, from + ROWS_PER_INSERT))
        .execute();
    }
    const ids = (await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(count).execute()).map((r) => String(r.id)).reverse();
    await db
      .updateTable('audit_chain_head')
      .set((eb) => ({ lastId: ids[ids.length - 1]!, lastHash: prev, records: eb('records', '+', String(count)) }))
      .where('id', '=', 1)
      .execute();
    return ids;
  });
}
