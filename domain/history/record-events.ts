import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import { appDialect, appSql } from '../../db/sql/current.js';
import type { CaseEventsTable } from '../../db/sql/schema.js';
import type { EngineEvent, WorkflowEngine } from '../../port/workflow-engine.js';
import { caseOfInstance } from '../inbox/sync.js';
import { rememberInstance } from '../cases/case-instances.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { forgetKnownInstances, knownCaseOf, rememberCaseOf } from './known-instances.js';

export const CASE_HISTORY_SUBSCRIBER = 'case-history';

type ElementEvent = Extract<EngineEvent, { kind: 'element' }>;

/**
 * The identity of an element event: everything the engine said about it. A redelivery hashes the
 * same and is dropped by the unique `event_key`; a flow taken again later (返工 loops) differs in `at`.
 */
export function eventKeyOf(e: ElementEvent): string {
  return createHash('sha256')
    .update(canonicalJson([e.processInstanceKey, e.elementInstanceKey, e.elementId, e.intent, e.at, e.detail]))
    .digest('hex');
}

/** The instance that called this one, as the engine reports it on the called instance's root activation. */
export function parentOf(e: ElementEvent): string | null {
  const parent = e.detail?.['parentInstanceKey'] ?? e.detail?.['parentProcessInstanceKey'];
  return typeof parent === 'string' && parent ? parent : typeof parent === 'number' ? String(parent) : null;
}

/**
 * The case of an instance: the mapping the inbox sync and intake keep; for a called instance whose
 * mapping is not there yet (this subscriber may see the child's events before the inbox sync does),
 * its parent's case — from the event itself or from a stored root activation — recorded for everyone.
 * null when not known yet (the case's own first events can come before intake stored its key): the
 * history reader fills those in later.
 */
async function caseOf(e: ElementEvent, parent: string | null): Promise<string | null> {
  const cached = knownCaseOf(e.processInstanceKey);
  if (cached) return cached;
  let caseId = await caseOfInstance(e.processInstanceKey);
  if (!caseId) {
    const parentKey =
      parent ??
      (
        await appSql()
          .selectFrom('case_events')
          .select('parentInstanceKey')
          .where('processInstanceKey', '=', e.processInstanceKey)
          .where('parentInstanceKey', 'is not', null)
          .limit(1)
          .executeTakeFirst()
      )?.parentInstanceKey ??
      null;
    if (parentKey) {
      caseId = knownCaseOf(parentKey) ?? (await caseOfInstance(parentKey));
      if (caseId) await rememberInstance(e.processInstanceKey, caseId);
    }
  }
  if (caseId) rememberCaseOf(e.processInstanceKey, caseId);
  return caseId;
}

/** Stores one element event (idempotent). User-task events are the inbox's business and are skipped. */
export async function recordEngineEvent(event: EngineEvent): Promise<void> {
  await recordEngineEvents([event]);
}

/**
 * Stores a batch of element events in one statement (idempotent: a redelivered event hashes to the
 * same key and the unique index drops it instead of a lookup first). About a dozen events per case pass
 * here; one INSERT per event was a dozen commits per case for SQLite's one writer under intake load.
 */
export async function recordEngineEvents(events: EngineEvent[]): Promise<void> {
  const rows: Array<Insertable<CaseEventsTable>> = [];
  const createdAt = new Date();
  for (const event of events) {
    if (event.kind !== 'element') continue;
    const parent = event.intent === 'ACTIVATED' ? parentOf(event) : null;
    // in order: a called instance's case comes from its parent, seen earlier in the same batch
    const caseId = await caseOf(event, parent);
    rows.push({
      eventKey: eventKeyOf(event),
      caseId,
      processInstanceKey: event.processInstanceKey,
      parentInstanceKey: parent,
      elementInstanceKey: event.elementInstanceKey,
      elementId: event.elementId.slice(0, 128),
      elementType: event.elementType?.slice(0, 48) ?? null,
      bpmnProcessId: event.bpmnProcessId?.slice(0, 128) ?? null,
      intent: event.intent,
      at: new Date(event.at),
      detail: event.detail ? JSON.stringify(event.detail) : null,
      createdAt,
    });
  }
  // multi-row INSERTs of at most 250 rows (well under both databases' bound-value limits); a redelivered event is skipped
  const q = appSql();
  for (let from = 0; from < rows.length; from += 250) {
    const insert = appDialect() === 'sqlite' ? q.insertInto('case_events').orIgnore() : q.insertInto('case_events').ignore();
    await insert.values(rows.slice(from, from + 250)).execute();
  }
}

/** Keeps `case_events` filled from the port for as long as the subscription is open. */
export function startCaseHistory(port: WorkflowEngine): Promise<{ close(): Promise<void> }> {
  // instance keys are only unique within one engine: a new subscription (another engine, another
  // database, as in the tests) must not reuse what the last one learnt
  forgetKnownInstances();
  return port.subscribeBatches(CASE_HISTORY_SUBSCRIBER, recordEngineEvents);
}
