/** Append-only, hash-chained audit log of every human and machine action on a case. */
export {
  AUDIT_GENESIS_HASH, appendAudit, caseAuditTrail, onCaseAudited, findAuditByDedupKey, lastCaseAudit, toAuditEntry, withAuditChain,
  type AuditChain, type AuditEntry, type AuditInput,
} from './audit-log.js';
export { verifyAuditChain, type ChainVerification } from './verify-chain.js';
export { auditHash } from './hash.js';
