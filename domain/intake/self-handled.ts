import { changeCase, type CaseChange } from '../cases/change-case.js';
import { DomainError } from '../shared/errors.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import type { FiledCase } from './file-case.js';

export const SELF_HANDLED_ACTION = 'self-handled';

/**
 * 自处置: a grid worker fixed a small problem on the spot, so the case is filed (it counts, with its
 * photos and place) and closed at once. None of the processes has a self-handled path and intake starts
 * the category's loop with fixed variables, so the loop is ended before anyone works on it: the instance
 * is cancelled (its first steps are service tasks; 受理 has not been done), then the case goes from
 * `reported` straight to `closed`. That step is not an edge of the loop's transition table on purpose:
 * only this path, for a case that never entered the loop, may take it.
 * If 并单 absorbed the report before the cancel, the case stays merged and the caller hears so (409).
 */
export async function closeSelfHandled(
  port: WorkflowEngine,
  filed: FiledCase,
  actor: { username: string; role: string },
  result: string,
  at = new Date(),
): Promise<CaseChange> {
  try {
    await port.cancelInstance(filed.processInstanceKey);
  } catch (err) {
    // the loop already ended (并单 at the first step): the case is not ours to close any more
    if (!(err instanceof PortError && err.code === 'NOT_FOUND')) throw err;
  }
  return changeCase(
    filed.caseId,
    SELF_HANDLED_ACTION,
    { actor: actor.username, actorRole: actor.role, at, dedupKey: `self-handled:${filed.caseId}` },
    async (c) => {
      if (c.status !== 'reported') {
        throw new DomainError('INVALID_TRANSITION', `case ${c.caseNo} is ${c.status}: it was taken up before it could be closed as self-handled`, {
          caseId: c.id,
          status: c.status,
          apiCode: 'not_self_handled',
        });
      }
      c.status = 'closed';
      c.handledAt = at;
      c.closedAt = at;
      c.dueAt = null;
      return { from: 'reported', to: 'closed', result, processInstanceKey: filed.processInstanceKey };
    },
  );
}
