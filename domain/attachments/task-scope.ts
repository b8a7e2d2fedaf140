import type { Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { InboxTasksTable } from '../../db/sql/schema.js';
import type { Actor } from '../auth/sessions.js';
import { canActOnTask, mayReachTask } from '../inbox/tasks.js';
import { DomainError } from '../shared/errors.js';

/** An open task of a case, as attaching a file to it needs it (candidateGroups is JSON kept in TEXT). */
export type AttachableTask = Omit<Selectable<InboxTasksTable>, 'candidateGroups' | 'caseId'> & { candidateGroups: string[] | null; caseId: string };

/**
 * The task an actor may attach files to: the same scope as completing it (a writer in the task's pool
 * or unit, the task still open, not claimed by someone else), and the task must belong to a case.
 */
export async function taskForAttachment(actor: Actor, key: string): Promise<AttachableTask> {
  const found = key.length <= 32 ? await appSql().selectFrom('inbox_tasks').selectAll().where('userTaskKey', '=', key).limit(1).executeTakeFirst() : undefined;
  const row = found ? { ...found, candidateGroups: found.candidateGroups === null ? null : (JSON.parse(found.candidateGroups) as string[] | null) } : null;
  if (!row || !(await mayReachTask(actor, row))) throw new DomainError('NOT_FOUND', 'no such task', { apiCode: 'task_not_found' });
  if (!canActOnTask(actor, row)) throw new DomainError('INVALID_ARGUMENT', 'not allowed', { apiCode: 'forbidden', status: 403 });
  if (row.state !== 'created') throw new DomainError('CONFLICT', 'task finished', { apiCode: 'task_finished' });
  if (row.assignee && row.assignee !== actor.username) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  if (!row.caseId) throw new DomainError('CONFLICT', 'task has no case', { apiCode: 'task_without_case' });
  return { ...row, caseId: row.caseId };
}
