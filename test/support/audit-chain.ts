import { QueryTypes } from 'sequelize';
import { AuditRecord } from '../../db/models/index.js';
import { insertRows, type Row } from '../../db/rows.js';
import { auditHash, withAuditChain } from '../../domain/audit/index.js';

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
  const sequelize = AuditRecord.sequelize!;
  const start = Math.floor((options.start ?? new Date()).getTime() / 1000) * 1000;
  return withAuditChain(async (chain) => {
    const transaction = chain.transaction;
    const [head] = await sequelize.query<{ last_hash: string }>('SELECT last_hash FROM audit_chain_head WHERE id = 1', {
      type: QueryTypes.SELECT,
      transaction,
    });
    let prev = head!.last_hash;
    const rows: Row[] = [];
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
      rows.push({
        case_id: content.caseId,
        actor: content.actor,
        actor_role: null,
        action: content.action,
        detail: JSON.stringify(content.detail),
        dedup_key: null,
        prev_hash: prev,
        hash,
        created_at: content.createdAt,
      });
      prev = hash;
    }
    await insertRows(sequelize, 'audit_log', rows, { transaction });
    const ids = (
      await sequelize.query<{ id: unknown }>('SELECT id FROM audit_log ORDER BY id DESC LIMIT ?', {
        replacements: [count],
        type: QueryTypes.SELECT,
        transaction,
      })
    )
      .map((r) => String(r.id))
      .reverse();
    await sequelize.query('UPDATE audit_chain_head SET last_id = ?, last_hash = ?, records = records + ? WHERE id = 1', {
      replacements: [ids[ids.length - 1], prev, count],
      transaction,
    });
    return ids;
  });
}
