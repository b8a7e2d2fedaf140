import type { JobType } from '../../processes/contract.js';
import { getCaseView } from '../../domain/cases/case-view.js';
import { noteOnCase, setCaseEventType } from '../../domain/cases/case-actions.js';
import { findActiveEventType, loadCatalogueClassifier } from '../../domain/classify/index.js';
import { complete, type JobHandler } from '../../port/workflow-engine.js';
import { settingsOf, type WorkerDeps } from '../deps.js';
import { caseJob, stringVar } from '../support/case-job.js';

export const JOB_TYPE = 'case-classify' satisfies JobType;

/**
 * Picks the event type: the one the channel already knew (AI camera, grid worker) when it is in
 * the catalogue, else the case's own, else the keyword classifier over the description. Below the
 * confidence threshold (or with no match) `needsManualAccept` sends it to a person in 受理.
 */
export function caseClassifyHandler(deps: WorkerDeps): JobHandler {
  const { classifyThreshold } = settingsOf(deps);
  return caseJob(deps, async (job, { caseId, ctx }) => {
    const view = await getCaseView(caseId);
    const given = stringVar(job, 'eventTypeCode');
    const known = given ? await findActiveEventType(given) : null;
    let code: string | null = null;
    let confidence = 0;
    let method: string;
    let matched: string[] = [];
    let extra: Record<string, unknown> = {};
    if (known) {
      [code, confidence, method] = [known.code, 1, 'given'];
    } else if (view.eventType) {
      [code, confidence, method] = [view.eventType.code, 1, 'case'];
    } else {
      const result = (await loadCatalogueClassifier()).classify(stringVar(job, 'description') ?? view.case.description);
      [code, confidence, method, matched] = [result.eventTypeCode, result.confidence, result.method, result.matched];
      // not every call is a case: 咨询/表扬/骚扰 go to a person in 受理 (不予立案, answered directly), never filed by themselves
      extra = {
        dispatchable: result.dispatchable,
        notDispatchable: result.notDispatchable?.label ?? null,
        candidates: result.candidates.map((c) => ({ code: c.code, confidence: c.confidence, words: c.words })),
        place: result.place ? { gridCode: result.place.gridCode, matched: result.place.matched, confidence: result.place.confidence } : null,
        modelVersion: result.modelVersion,
      };
      if (!result.dispatchable) [code, confidence] = [null, 0];
    }
    const detail = {
      classifyConfidence: confidence,
      needsManualAccept: code === null || confidence < classifyThreshold,
      method,
      matched,
      ...extra,
      ...(given && !known ? { unknownGivenCode: given } : {}),
    };
    const change = code
      ? await setCaseEventType(caseId, ctx, { eventTypeCode: code, detail })
      : await noteOnCase(caseId, 'classified', ctx, { ...detail, eventTypeCode: null, category: null });
    const d = change.detail;
    return complete({
      eventTypeCode: d['eventTypeCode'] ?? null,
      category: d['category'] ?? null,
      classifyConfidence: d['classifyConfidence'],
      needsManualAccept: d['needsManualAccept'],
    });
  });
}
