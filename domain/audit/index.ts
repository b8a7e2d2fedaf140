/** Append-only, hash-chained audit log of every human and machine action on a case. */
export {
  AUDIT_GENESIS_HASH,
  appendAudit,
  caseAuditTrail,
  onCaseAudited,
  findAuditByDedupKey,
  lastCaseAudit,
  toAuditEntry,
  withAuditChain,
  type AuditChain,
  type AuditEntry,
  type AuditInput,
} from './audit-log.js';
export {
  VERIFY_BATCH,
  verifyAuditChain,
  type ChainVerification,
  type VerifyFrom,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyStart,
} from './verify-chain.js';
export { latestCheckpoint, type AuditCheckpoint } from './checkpoints.js';
export { recordBatches, type AuditPeriod, type StoredAuditRecord } from './stored-records.js';
export { auditHash } from './hash.js';
