import type { Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { AuditLogTable, CaseEventsTable, NotificationOutboxTable } from '../../db/sql/schema.js';
import { PHONE_ROLES, maskPhone } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';
import { readCase } from '../cases/case-detail.js';
import { readCaseRecord, type CaseRecord } from '../cases/case-records.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { caseStory } from './case-story.js';
import { highlightsOf } from './highlights.js';
import type { CaseHistory, TimelineEntry } from './history-types.js';
import { historyNames } from './history-names.js';

export type { CaseHistory, TimelineEntry } from './history-types.js';

/** A stored engine event (case_events), its detail parsed from the JSON text. */
export type CaseEventRecord = Omit<Selectable<CaseEventsTable>, 'detail'> & { detail: Record<string, unknown> | null };
/** The parts of an audit record (audit_log) a timeline shows, its detail parsed. */
export type AuditEntryRecord = Pick<Selectable<AuditLogTable>, 'id' | 'action' | 'actor' | 'actorRole' | 'createdAt'> & {
  detail: Record<string, unknown> | null;
};
export type OutboxMessageRecord = Selectable<NotificationOutboxTable>;

const parsed = (text: string | null): Record<string, unknown> | null => (typeof text === 'string' ? (JSON.parse(text) as Record<string, unknown>) : null);
export const caseEventRecord = (row: Selectable<CaseEventsTable>): CaseEventRecord => ({ ...row, detail: parsed(row.detail) });
export const auditEntryRecord = <R extends { detail: string | null }>(row: R): Omit<R, 'detail'> & { detail: Record<string, unknown> | null } => ({
  ...row,
  detail: parsed(row.detail),
});

/**
 * Every instance of a case: its own, the ones intake and the inbox mapped to it, and — following the
 * parent links stored with each called instance's root activation — the ones they called. Events
 * stored before their case was known get it now.
 */
export async function instancesOf(c: Pick<CaseRecord, 'id' | 'processInstanceKey'>): Promise<string[]> {
  const q = appSql();
  const keys = new Set<string>();
  if (c.processInstanceKey) keys.add(c.processInstanceKey);
  for (const m of await q.selectFrom('case_instances').select('processInstanceKey').where('caseId', '=', c.id).execute()) keys.add(m.processInstanceKey);
  for (const e of await q.selectFrom('case_events').select('processInstanceKey').where('caseId', '=', c.id).groupBy('processInstanceKey').execute())
    keys.add(e.processInstanceKey);
  let frontier = [...keys];
  for (let depth = 0; frontier.length && depth < 10; depth++) {
    const children = await q.selectFrom('case_events').select('processInstanceKey').where('parentInstanceKey', 'in', frontier).execute();
    frontier = children.map((ch) => ch.processInstanceKey).filter((k) => !keys.has(k));
    for (const k of frontier) keys.add(k);
  }
  // events that arrived before their case was known get it now; looked for first, so a read writes only when needed
  // (on SQLite a write waits for the one writer's turn, behind intake)
  if (
    keys.size &&
    (await q
      .selectFrom('case_events')
      .select('id')
      .where('processInstanceKey', 'in', [...keys])
      .where('caseId', 'is', null)
      .limit(1)
      .executeTakeFirst())
  ) {
    await q
      .updateTable('case_events')
      .set({ caseId: c.id })
      .where('processInstanceKey', 'in', [...keys])
      .where('caseId', 'is', null)
      .execute();
  }
  return [...keys];
}

/** Within one instant: engine events first (in delivery order), then what people and workers recorded. */
export const KIND_ORDER: Record<TimelineEntry['kind'], number> = { element: 0, variables: 1, action: 2, notification: 3 };

/** A recipient that is a phone number is masked like the reporter's phone. */
const recipientFor = (actor: Actor, recipient: string) =>
  /^\+?[0-9 -]{7,20}$/.test(recipient) && !PHONE_ROLES.includes(actor.role) ? maskPhone(recipient)! : recipient;

/** An engine event's element entry, and the entry of the variables it completed with (if any). */
export function eventEntries(e: CaseEventRecord): { element: TimelineEntry; variables: (TimelineEntry & { kind: 'variables' }) | null } {
  const { variables, ...rest } = e.detail ?? {};
  const at = e.at.toISOString();
  const element: TimelineEntry = {
    at,
    kind: 'element',
    intent: e.intent,
    elementId: e.elementId,
    elementType: e.elementType,
    elementInstanceKey: e.elementInstanceKey,
    processInstanceKey: e.processInstanceKey,
    bpmnProcessId: e.bpmnProcessId,
    detail: Object.keys(rest).length ? rest : null,
  };
  const vars = variables && typeof variables === 'object' && Object.keys(variables).length ? (variables as Record<string, unknown>) : null;
  return {
    element,
    variables: vars
      ? { at, kind: 'variables', elementId: e.elementId, elementInstanceKey: e.elementInstanceKey, processInstanceKey: e.processInstanceKey, variables: vars }
      : null,
  };
}

export function actionEntry(a: AuditEntryRecord): TimelineEntry {
  return {
    at: a.createdAt.toISOString(),
    kind: 'action',
    auditId: a.id,
    action: a.action,
    actor: a.actor,
    actorRole: a.actorRole ?? null,
    detail: a.detail ?? null,
  };
}

export function notificationEntry(actor: Actor, m: OutboxMessageRecord): TimelineEntry {
  return {
    at: m.createdAt.toISOString(),
    kind: 'notification',
    id: m.id,
    channel: m.channel,
    recipient: recipientFor(actor, m.recipient),
    subject: m.subject,
    body: m.body,
    status: m.status,
    sentAt: m.sentAt ? m.sentAt.toISOString() : null,
  };
}

/**
 * The full history of a case for the actor (the case's visibility rule applies): engine element events
 * of all its instances, the variables each task completed with, every audit record (human and machine
 * actions) and every notification, in one timeline; with what the diagram viewer highlights, the case's
 * story and the names of the ids (element names need the `port`, for the definitions' XML).
 */
export async function caseHistory(actor: Actor, caseId: string, port: WorkflowEngine | null = null): Promise<CaseHistory> {
  const detail = await readCase(actor, caseId);
  const c = (await readCaseRecord(detail.id))!;
  const instances = await instancesOf(c);
  const q = appSql();
  const [events, audits, messages] = await Promise.all([
    instances.length
      ? q
          .selectFrom('case_events')
          .selectAll()
          .where('processInstanceKey', 'in', instances)
          .orderBy('at', 'asc')
          .orderBy('id', 'asc')
          .execute()
          .then((rows) => rows.map(caseEventRecord))
      : [],
    q
      .selectFrom('audit_log')
      .selectAll()
      .where('caseId', '=', c.id)
      .orderBy('id', 'asc')
      .execute()
      .then((rows) => rows.map(auditEntryRecord)),
    q.selectFrom('notification_outbox').selectAll().where('caseId', '=', c.id).orderBy('id', 'asc').execute(),
  ]);
  const timeline: TimelineEntry[] = [];
  const variablesByElement: Record<string, Record<string, unknown>> = {};
  for (const e of events) {
    const { element, variables } = eventEntries(e);
    timeline.push(element);
    if (variables) {
      timeline.push(variables);
      if (e.elementInstanceKey) variablesByElement[e.elementInstanceKey] = { ...(variablesByElement[e.elementInstanceKey] ?? {}), ...variables.variables };
    }
  }
  for (const a of audits) timeline.push(actionEntry(a));
  for (const m of messages) timeline.push(notificationEntry(actor, m));
  // stable: within one instant, engine events first (in delivery order), then what people and workers recorded
  // (timeline-stream.ts reads the same order a batch at a time, for the CSV)
  const indexed = timeline.map((entry, i) => ({ entry, i }));
  indexed.sort((x, y) => x.entry.at.localeCompare(y.entry.at) || KIND_ORDER[x.entry.kind] - KIND_ORDER[y.entry.kind] || x.i - y.i);
  const own = events.filter((e) => e.processInstanceKey === c.processInstanceKey);
  const root = own.find((e) => e.elementType === 'process' && e.intent === 'ACTIVATED');
  // a case whose instance was migrated (流程迁移) runs the target version now: its diagram is that one
  const migrated = [...audits].reverse().find((a) => a.action === 'ops_instance_migrated' && a.detail?.['processInstanceKey'] === c.processInstanceKey)?.detail;
  const version = migrated?.['toVersion'] ?? root?.detail?.['version'];
  const definitionKey = migrated?.['toProcessDefinitionKey'] ?? root?.detail?.['processDefinitionKey'];
  const processId = migrated?.['toBpmnProcessId'] ?? root?.bpmnProcessId;
  const sorted = indexed.map((x) => x.entry);
  return {
    case: detail,
    timeline: sorted,
    diagram: {
      bpmnProcessId: typeof processId === 'string' ? processId : c.processId,
      version: typeof version === 'number' ? version : null,
      processDefinitionKey: typeof definitionKey === 'string' || typeof definitionKey === 'number' ? String(definitionKey) : null,
    },
    highlights: highlightsOf(own),
    variablesByElement,
    story: caseStory(sorted, { createdAt: detail.createdAt, closedAt: detail.closedAt }),
    names: await historyNames(sorted, [detail.unitCode], port),
  };
}
