import type { FlowNode } from '../model/types.js';
import type { ElementRow } from '../runtime/rows.js';
import { MI_BODY, type Run, type Vars } from '../runtime/run.js';
import { trigger } from '../runtime/triggers.js';

/**
 * BPMN errors and escalations (thrown by an end/throw event or a job worker) travel outwards: the
 * catching boundary event or event sub-process start is looked for from the throwing element up
 * through its scopes and, past the process, through the call activity that started it. An exact code
 * match wins over a catch-all.
 */

/** True when something caught the error; the caller raises UNHANDLED_ERROR_EVENT otherwise. */
export async function throwError(run: Run, from: ElementRow, code: string, message: string, vars: Vars, jobKey: string | null = null): Promise<boolean> {
  const found = await findCatch(
    run,
    from,
    (e) => e?.kind === 'error' && (e.errorCode === null || e.errorCode === code),
    (e) => e?.kind === 'error' && e.errorCode === code,
  );
  await run.history(from, 'ERROR_THROWN', { errorCode: code, errorMessage: message, jobKey, caughtBy: found?.eventId ?? null });
  if (!found) return false;
  await trigger(run, found.owner.key, found.eventId, { ...vars });
  return true;
}

/** An uncaught escalation is no incident (Zeebe): the flow goes on. */
export async function throwEscalation(run: Run, from: ElementRow, code: string): Promise<boolean> {
  const found = await findCatch(
    run,
    from,
    (e) => e?.kind === 'escalation' && (e.escalationCode === null || e.escalationCode === code),
    (e) => e?.kind === 'escalation' && e.escalationCode === code,
  );
  await run.history(from, 'ESCALATION_THROWN', { escalationCode: code, caughtBy: found?.eventId ?? null });
  if (!found) return false;
  await trigger(run, found.owner.key, found.eventId, {});
  return true;
}

async function findCatch(
  run: Run,
  from: ElementRow,
  matches: (e: FlowNode['event']) => boolean,
  exact: (e: FlowNode['event']) => boolean,
): Promise<{ owner: ElementRow; eventId: string } | null> {
  let current: ElementRow | null = from;
  while (current) {
    const model = (await run.definitionOf(current)).model;
    const node = model.nodes[current.elementId];
    // an inner instance of a multi-instance has its boundary events on the body
    const isInner = current.data.loopCounter !== undefined;
    if (node && !isInner) {
      const candidates = node.boundaryEvents.map((id) => model.nodes[id]!).filter((b) => matches(b.event));
      const pick = candidates.find((b) => exact(b.event)) ?? candidates[0];
      if (pick) return { owner: current, eventId: pick.id };
    }
    const scope: ElementRow | null = current.scopeKey ? await run.element(current.scopeKey) : null;
    if (scope && scope.type !== MI_BODY) {
      const scopeNode = model.nodes[scope.elementId]!;
      const starts = scopeNode.eventSubProcesses.map((id) => model.nodes[model.nodes[id]!.startEvents[0]!]!).filter((s) => matches(s.event));
      const pick = starts.find((s) => exact(s.event)) ?? starts[0];
      if (pick) return { owner: scope, eventId: pick.id };
    }
    if (scope) {
      current = scope;
      continue;
    }
    // left the process: continue at the call activity that started it
    const inst = await run.instance(current.instanceKey);
    current = inst.parent_element_key ? await run.element(inst.parent_element_key) : null;
  }
  return null;
}
