import { ProcessDraft } from '../../db/models/index.js';
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

const view = (d: ProcessDraft): DraftView => ({ processId: d.processId, xml: d.xml, savedBy: d.savedBy, savedAt: d.savedAt.toISOString() });

export async function readDraft(processId: string): Promise<DraftView | null> {
  const d = await ProcessDraft.findByPk(processId);
  return d ? view(d) : null;
}

/**
 * Saves the modeler's work in progress (one draft per process id, replaced on every save). A draft need not
 * pass lint — it is unfinished work — but it must be a BPMN document whose one process has the id it is
 * saved under, so the draft of one process never ends up under another.
 */
export async function saveDraft(processId: string, xml: string, by: Deployer): Promise<DraftView> {
  const p = await singleProcessOf(xml);
  if (p.id !== processId) throw new DomainError('INVALID_ARGUMENT', `the document's process id is '${p.id}', not '${processId}'`, { apiCode: 'process_id_mismatch', status: 400 });
  return withAuditChain(async (chain) => {
    const { transaction } = chain;
    const savedAt = new Date();
    const [draft] = await ProcessDraft.upsert({ processId, xml, savedBy: by.username, savedAt }, { transaction });
    await chain.append({ caseId: null, actor: by.username, actorRole: by.role, action: 'process.draft_saved', detail: { processId, bytes: Buffer.byteLength(xml, 'utf8') }, at: savedAt });
    return view(draft);
  });
}

/** Drops the draft; false when there was none. */
export async function deleteDraft(processId: string, by: Deployer): Promise<boolean> {
  return withAuditChain(async (chain) => {
    const removed = await ProcessDraft.destroy({ where: { processId }, transaction: chain.transaction });
    if (removed) await chain.append({ caseId: null, actor: by.username, actorRole: by.role, action: 'process.draft_deleted', detail: { processId } });
    return removed > 0;
  });
}
