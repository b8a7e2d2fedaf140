import type { UserTaskRow } from '../runtime/rows.js';
import type { SqlDriver, SqlValue } from './driver.js';

/** SQL of `eng_user_task`: Camunda user tasks, kept after they end (COMPLETED, CANCELED) until pruned. */

export interface NewUserTask {
  taskKey: string;
  instanceKey: string;
  elementKey: string;
  elementId: string;
  processId: string;
  defKey: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  formKey: string | null;
  priority: number;
  createdAt: number;
  /** CREATING while creating task listeners run */
  state?: 'CREATING' | 'CREATED';
}

export async function insertUserTask(db: SqlDriver, t: NewUserTask): Promise<void> {
  await db.write(
    `INSERT INTO eng_user_task (task_key, state, instance_key, element_key, element_id, process_id, def_key, name, assignee, candidate_groups,
       candidate_users, due_date, follow_up_date, form_id, form_key, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      t.taskKey,
      t.state ?? 'CREATED',
      t.instanceKey,
      t.elementKey,
      t.elementId,
      t.processId,
      t.defKey,
      t.name,
      t.assignee,
      JSON.stringify(t.candidateGroups),
      JSON.stringify(t.candidateUsers),
      t.dueDate,
      t.followUpDate,
      t.formId,
      t.formKey,
      t.priority,
      t.createdAt,
    ],
  );
}

export async function selectUserTask(db: SqlDriver, key: string): Promise<UserTaskRow | undefined> {
  return db.get<UserTaskRow>('SELECT * FROM eng_user_task WHERE task_key = ?', [key]);
}

/** The open tasks of an element (created, or in a transition waiting for task listeners). */
export async function openTaskKeysOfElement(db: SqlDriver, elementKey: string): Promise<string[]> {
  // filter the state here: on the element's own index the lookup stays O(1) whatever the table size
  const rows = await db.all<{ task_key: string; state: string }>('SELECT task_key, state FROM eng_user_task WHERE element_key = ?', [elementKey]);
  return rows.filter((t) => t.state !== 'COMPLETED' && t.state !== 'CANCELED').map((t) => t.task_key);
}

/** A transition of an open task begins (waiting for task listeners) or ends (CREATED). */
export async function setTaskState(db: SqlDriver, key: string, state: UserTaskRow['state']): Promise<void> {
  await db.write('UPDATE eng_user_task SET state = ? WHERE task_key = ?', [state, key]);
}

export async function markTaskEnded(db: SqlDriver, key: string, state: 'COMPLETED' | 'CANCELED', at: number): Promise<void> {
  await db.write(`UPDATE eng_user_task SET state = '${state}', ended_at = ? WHERE task_key = ?`, [at, key]);
}

export async function setAssignee(db: SqlDriver, key: string, assignee: string | null): Promise<void> {
  await db.write('UPDATE eng_user_task SET assignee = ? WHERE task_key = ?', [assignee, key]);
}

export interface UserTaskChanges {
  dueDate?: string | null;
  followUpDate?: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
  priority?: number;
}

/** Writes the given changes; false when there were none. */
export async function updateUserTask(db: SqlDriver, key: string, changes: UserTaskChanges): Promise<boolean> {
  const sets: string[] = [];
  const values: SqlValue[] = [];
  if (changes.dueDate !== undefined) sets.push('due_date = ?') && values.push(changes.dueDate);
  if (changes.followUpDate !== undefined) sets.push('follow_up_date = ?') && values.push(changes.followUpDate);
  if (changes.candidateGroups) sets.push('candidate_groups = ?') && values.push(JSON.stringify(changes.candidateGroups));
  if (changes.candidateUsers) sets.push('candidate_users = ?') && values.push(JSON.stringify(changes.candidateUsers));
  if (changes.priority !== undefined) sets.push('priority = ?') && values.push(changes.priority);
  if (!sets.length) return false;
  await db.write(`UPDATE eng_user_task SET ${sets.join(', ')} WHERE task_key = ?`, [...values, key]);
  return true;
}
