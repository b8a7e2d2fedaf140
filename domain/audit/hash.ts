import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';

/** The fields an audit record's hash covers: everything but its id and the hash itself. */
export interface HashedAuditContent {
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  detail: Record<string, unknown> | null;
  dedupKey: string | null;
  createdAt: Date;
}

/** sha256(prevHash + canonical JSON of the content), hex. */
export function auditHash(prevHash: string, content: HashedAuditContent): string {
  const body = canonicalJson({ ...content, createdAt: content.createdAt.toISOString() });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
