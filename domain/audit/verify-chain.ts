import { Op, QueryTypes } from 'sequelize';
import { AuditRecord } from '../../db/models/index.js';
import { AUDIT_GENESIS_HASH } from './audit-log.js';
import { auditHash } from './hash.js';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { id: string; reason: string } | null;
}

const PAGE = 1000;

/**
 * Walks the whole log in id order, recomputing every hash: an edited record fails its own hash,
 * a removed or reordered one breaks the next record's prevHash, and records cut off the end no
 * longer match the chain head. Reads page by page, so a long log never sits in memory at once.
 */
export async function verifyAuditChain(): Promise<ChainVerification> {
  let prev = AUDIT_GENESIS_HASH;
  let lastId = '0';
  let checked = 0;
  for (;;) {
    const rows = await AuditRecord.findAll({ where: { id: { [Op.gt]: lastId } }, order: [['id', 'ASC']], limit: PAGE });
    for (const row of rows) {
      if (row.prevHash !== prev) {
        return { ok: false, checked, firstBroken: { id: row.id, reason: `prevHash ${row.prevHash.slice(0, 12)}… does not match the previous record's hash ${prev.slice(0, 12)}… (a record before it was removed, inserted or changed)` } };
      }
      const expected = auditHash(prev, {
        caseId: row.caseId, actor: row.actor, actorRole: row.actorRole ?? null, action: row.action,
        detail: row.detail ?? null, dedupKey: row.dedupKey ?? null, createdAt: row.createdAt,
      });
      if (expected !== row.hash) {
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'content does not match its hash (the record was changed)' } };
      }
      prev = row.hash;
      lastId = row.id;
      checked++;
    }
    if (rows.length < PAGE) break;
  }
  const sequelize = AuditRecord.sequelize!;
  const [head] = await sequelize.query<{ last_id: unknown; last_hash: string }>('SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1', { type: QueryTypes.SELECT });
  if (head && head.last_hash !== prev) {
    const headId = head.last_id === null ? '0' : String(head.last_id);
    return { ok: false, checked, firstBroken: { id: headId, reason: `the chain head names record ${headId} but the log ends at record ${lastId} (records were removed from the end)` } };
  }
  return { ok: true, checked, firstBroken: null };
}
