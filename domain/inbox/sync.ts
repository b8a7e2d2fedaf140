import { appSql } from '../../db/sql/current.js';
import { type InboxTaskState } from '../../db/vocabulary.js';
import type { EngineEvent, UserTask, WorkflowEngine } from '../../port/workflow-engine.js';
import { rememberInstance } from '../cases/case-instances.js';
import { insertTask, readTaskByKey, updateTask } from './task-rows.js';

export const INBOX_SUBSCRIBER = 'inbox-tasks';

const STATE: Record<string, InboxTaskState> = { CREATED: 'created', ASSIGNED: 'created', UPDATED: 'created', COMPLETED: 'completed', CANCELED: 'cancelled' };

/** The case of a process instance: the mapping kept here, else the case's own instance key. */
export async function caseOfInstance(processInstanceKey: string): Promise<string | null> {
  const q = appSql();
  const mapped = await q.selectFrom('case_instances').select('caseId').where('processInstanceKey', '=', processInstanceKey).executeTakeFirst();
  if (mapped) return mapped.caseId;
  const c = await q.selectFrom('cases').select('id').where('processInstanceKey', '=', processInstanceKey).limit(1).executeTakeFirst();
  return c ? c.id : null;
}

/** Candidate group = unit code: the first group that names a unit is the task's unit. */
async function unitOf(task: UserTask): Promise<number | null> {
  const codes = task.candidateGroups.filter((g) => g && !/^[a-z_]+$/.test(g));
  const candidates = codes.length ? codes : task.candidateGroups;
  if (!candidates.length) return null;
  const unit = await appSql().selectFrom('units').select('id').where('code', 'in', candidates).limit(1).executeTakeFirst();
  return unit?.id ?? null;
}

/**
 * Applies one engine event to `inbox_tasks` (idempotent: events come at least once).
 * - a called instance (its root element activated with a parent) inherits its parent's case;
 * - a user-task event inserts or updates the task's row.
 */
export async function applyEngineEvent(event: EngineEvent): Promise<void> {
  if (event.kind === 'element') {
    if (event.intent !== 'ACTIVATED' || event.elementType !== 'process') return;
    const parent = event.detail?.['parentInstanceKey'] ?? event.detail?.['parentProcessInstanceKey'];
    // the embedded engine names the parent instance; Camunda's listeners carry the `caseId` variable instead
    const caseId = typeof parent === 'string' && parent ? await caseOfInstance(parent) : event.detail?.['caseId'];
    if (
      typeof caseId === 'string' &&
      caseId &&
      !(await appSql().selectFrom('cases').select('id').where('processInstanceKey', '=', event.processInstanceKey).limit(1).executeTakeFirst())
    ) {
      await rememberInstance(event.processInstanceKey, caseId);
    }
    return;
  }
  const { task, intent } = event;
  const state = STATE[intent] ?? 'created';
  const fields = {
    processInstanceKey: task.processInstanceKey,
    elementId: task.elementId,
    name: (task.name ?? task.elementId).slice(0, 100),
    formId: task.formId,
    unitId: await unitOf(task),
    assignee: task.assignee,
    candidateGroups: task.candidateGroups,
    state,
    priority: task.priority,
    dueAt: task.dueDate ? new Date(task.dueDate) : null,
    followUpAt: task.followUpDate ? new Date(task.followUpDate) : null,
  };
  const existing = await readTaskByKey(task.userTaskKey);
  const caseId = existing?.caseId ?? (await caseOfInstance(task.processInstanceKey));
  if (existing) {
    // a task finished through the API keeps who finished it and when
    await updateTask(existing, {
      ...fields,
      caseId,
      ...(existing.state !== 'created' ? { state: existing.state } : {}),
      ...(state !== 'created' && !existing.completedAt ? { completedAt: new Date(event.at) } : {}),
    });
  } else {
    await insertTask({ userTaskKey: task.userTaskKey, caseId, ...fields, completedAt: state === 'created' ? null : new Date(event.at), completedBy: null });
  }
}

/** Keeps the inbox in step with the engine for as long as the subscription is open. */
export function startInboxSync(port: WorkflowEngine): Promise<{ close(): Promise<void> }> {
  return port.subscribe(INBOX_SUBSCRIBER, applyEngineEvent);
}
