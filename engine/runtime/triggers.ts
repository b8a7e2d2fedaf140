import { triggerBoundaryEvent } from '../behaviours/boundary-events.js';
import { triggerCatchEvent } from '../behaviours/catch-events.js';
import { triggerEventBasedGateway } from '../behaviours/event-based-gateway.js';
import { triggerEventSubProcess } from '../behaviours/event-sub-process.js';
import type { Run, Vars } from './run.js';

/**
 * A timer fired or a message/signal matched (or an error/escalation was caught): `ownerKey` holds the
 * subscription, `eventId` is the event that was waiting — a boundary event, an event sub-process start,
 * the owner itself (a catch event or receive task), or the target of an event-based gateway. Each case
 * is its behaviour's. False when the owner is gone or no longer active.
 */
export async function trigger(run: Run, ownerKey: string, eventId: string, vars: Vars): Promise<boolean> {
  const owner = await run.element(ownerKey);
  if (!owner || owner.state !== 'ACTIVE') return false;
  const model = (await run.definitionOf(owner)).model;
  const event = model.nodes[eventId]!;
  if (event.type === 'boundaryEvent') return triggerBoundaryEvent(run, owner, event, vars);
  if (event.type === 'startEvent' && model.nodes[event.scopeId]!.type === 'eventSubProcess')
    return triggerEventSubProcess(run, owner, event, model.nodes[event.scopeId]!, vars);
  if (owner.elementId === eventId) return triggerCatchEvent(run, owner, event, vars);
  if (owner.type === 'eventBasedGateway') return triggerEventBasedGateway(run, owner, model, eventId, vars);
  return false;
}
