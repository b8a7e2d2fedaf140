import type { Selectable } from 'kysely';
import { appDialect, appSql } from '../../db/sql/current.js';
import type { ProcessDraftsTable } from '../../db/sql/schema.js';
import { withAuditChain } from '../audit/index.js';
import { DomainError } from '../shared/errors.js';
import type { Deployer } from './versions.js';
import { singleProcessOf } from './xml-input.js';

export interface DraftView {
  processId: string;
  xml: string;
  savedBy: string;
  savedAt: string;
}

const view = (d: Selectable<ProcessDraftsTable>): DraftView => ({ processId: d.processId, xml: d.xml, savedBy: d.savedBy, savedAt: d.savedAt.toISOString() });

export async function readDraft(processId: string): Promise<DraftView | null> {
  const d = await appSql().selectFrom('process_drafts').selectAll().where('processId', '=', processId).executeTakeFirst();
  return d ? view(d) : null;
}

/**
 * Saves the modeler's work in progress (one draft per process id, replaced on every save). A draft need not
 * pass lint — it is unfinished work — but it must be a BPMN document whose one process has the id it is
 * saved under, so the draft of one process never ends up under another.
 */
export async function saveDraft(processId: string, xml: string, by: Deployer): Promise<DraftView> {
  const p = await singleProcessOf(xml);
  if (p.id !== processId)
    throw new DomainError('INVALID_ARGUMENT', `the document's process id is '${p.id}', not '${processId}'`, { apiCode: 'process_id_mismatch' });
  return withAuditChain(async (chain) => {
    const savedAt = new Date();
    const draft = { processId, xml, savedBy: by.username, savedAt };
    // one statement that inserts or replaces, as the model's upsert was
    const changes = { xml, savedBy: by.username, savedAt };
    await appSql(chain.transaction)
      .insertInto('process_drafts')
      .values(draft)
      .$call((b) => (appDialect() === 'sqlite' ? b.onConflict((oc) => oc.column('processId').doUpdateSet(changes)) : b.onDuplicateKeyUpdate(changes)))
      .execute();
    await chain.append({
      caseId: null,
      actor: by.username,
      actorRole: by.role,
      action: 'process.draft_saved',
      detail: { processId, bytes: Buffer.byteLength(xml, 'utf8') },
      at: savedAt,
    });
    return view(draft);
  });
}

/** Drops the draft; false when there was none. */
export async function deleteDraft(processId: string, by: Deployer): Promise<boolean> {
  return withAuditChain(async (chain) => {
    const { numDeletedRows } = await appSql(chain.transaction).deleteFrom('process_drafts').where('processId', '=', processId).executeTakeFirstOrThrow();
    const removed = Number(numDeletedRows);
    if (removed) await chain.append({ caseId: null, actor: by.username, actorRole: by.role, action: 'process.draft_deleted', detail: { processId } });
    return removed > 0;
  });
}
