import type { Actor } from '../auth/sessions.js';
import { readTaskByKey, type InboxTaskRecord } from './task-rows.js';
import { canActOnTask, mayReachTask } from './tasks.js';
import { DomainError } from '../shared/errors.js';

/**
 * The task an actor may attach files to: the same scope as completing it (a writer in the task's pool
 * or unit, the task still open, not claimed by someone else), and the task must belong to a case.
 */
export async function taskForAttachment(actor: Actor, key: string): Promise<InboxTaskRecord & { caseId: string }> {
  const row = key.length <= 32 ? await readTaskByKey(key) : null;
  if (!row || !(await mayReachTask(actor, row))) throw new DomainError('NOT_FOUND', 'no such task', { apiCode: 'task_not_found' });
  if (!canActOnTask(actor, row)) throw new DomainError('INVALID_ARGUMENT', 'not allowed', { apiCode: 'forbidden' });
  if (row.state !== 'created') throw new DomainError('CONFLICT', 'task finished', { apiCode: 'task_finished' });
  if (row.assignee && row.assignee !== actor.username) throw new DomainError('CONFLICT', 'claimed by someone else', { apiCode: 'task_claimed' });
  if (!row.caseId) throw new DomainError('CONFLICT', 'task has no case', { apiCode: 'task_without_case' });
  return row as InboxTaskRecord & { caseId: string };
}
