import type { Insertable, Selectable } from 'kysely';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { InboxTasksTable } from '../../db/sql/schema.js';
import { type InboxTaskState, type WarningLight } from '../../db/vocabulary.js';

/**
 * Rows of `inbox_tasks` read and written through db/sql: the columns as the model declared them (the
 * state and light unions, the candidate groups parsed from their JSON text). Every writer copies the
 * case's created_at into `caseCreatedAt` (the model's beforeSave hook did): the cases of a unit's tasks
 * page in the cases' order through it (migration 0013, domain/dashboard/scoped-case-keys.ts).
 */
export type InboxTaskRecord = Omit<Selectable<InboxTasksTable>, 'state' | 'warningLight' | 'candidateGroups'> & {
  state: InboxTaskState;
  warningLight: WarningLight;
  candidateGroups: string[] | null;
};

export const taskRecord = (row: Selectable<InboxTasksTable>): InboxTaskRecord =>
  ({ ...row, candidateGroups: row.candidateGroups === null ? null : (JSON.parse(row.candidateGroups) as string[]) }) as InboxTaskRecord;

export async function readTaskByKey(userTaskKey: string, tx?: Tx | null): Promise<InboxTaskRecord | null> {
  const row = await appSql(tx).selectFrom('inbox_tasks').selectAll().where('userTaskKey', '=', userTaskKey).executeTakeFirst();
  return row ? taskRecord(row) : null;
}

async function caseCreatedAt(caseId: string, tx?: Tx | null): Promise<Date | null> {
  return (await appSql(tx).selectFrom('cases').select('createdAt').where('id', '=', caseId).executeTakeFirst())?.createdAt ?? null;
}

/** The fields a writer gives; the rest has the model's defaults (priority 50, light green) or is kept by the writer. */
export type NewTask = Omit<InboxTaskRecord, 'id' | 'priority' | 'warningLight' | 'caseCreatedAt' | 'createdAt' | 'updatedAt'> & {
  priority?: number;
  warningLight?: WarningLight;
};

export async function insertTask(task: NewTask, now = new Date(), tx?: Tx | null): Promise<InboxTaskRecord> {
  const row: Insertable<InboxTasksTable> = {
    ...task,
    priority: task.priority ?? 50,
    warningLight: task.warningLight ?? 'green',
    candidateGroups: task.candidateGroups === null ? null : JSON.stringify(task.candidateGroups),
    caseCreatedAt: task.caseId === null ? null : await caseCreatedAt(task.caseId, tx),
    createdAt: now,
    updatedAt: now,
  };
  const result = await appSql(tx).insertInto('inbox_tasks').values(row).executeTakeFirstOrThrow();
  return taskRecord({ ...row, id: String(result.insertId) } as Selectable<InboxTasksTable>);
}

export type TaskPatch = Partial<Omit<InboxTaskRecord, 'id' | 'userTaskKey' | 'caseCreatedAt' | 'createdAt' | 'updatedAt'>>;

const sameValue = (a: unknown, b: unknown): boolean =>
  a instanceof Date || b instanceof Date
    ? a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
    : Array.isArray(a) || Array.isArray(b)
      ? JSON.stringify(a) === JSON.stringify(b)
      : a === b;

/**
 * Writes the fields of `patch` that differ from `task` (nothing at all when none does, as the model's
 * `update` did), with `updatedAt`, and the case's created_at when the case is new to the row or was
 * never copied. Returns the row as it is now.
 */
export async function updateTask(task: InboxTaskRecord, patch: TaskPatch, now = new Date(), tx?: Tx | null): Promise<InboxTaskRecord> {
  const changed: TaskPatch = {};
  for (const [name, value] of Object.entries(patch) as Array<[keyof TaskPatch, unknown]>) {
    if (value !== undefined && !sameValue(task[name], value)) (changed as Record<string, unknown>)[name] = value;
  }
  const caseId = changed.caseId !== undefined ? changed.caseId : task.caseId;
  let copied: Date | null | undefined;
  if (caseId === null) copied = task.caseCreatedAt === null ? undefined : null;
  else if (!task.caseCreatedAt || changed.caseId !== undefined) copied = await caseCreatedAt(caseId, tx);
  if (copied !== undefined && sameValue(copied, task.caseCreatedAt)) copied = undefined;
  if (!Object.keys(changed).length && copied === undefined) return task;
  const { candidateGroups, ...plain } = changed;
  await appSql(tx)
    .updateTable('inbox_tasks')
    .set({
      ...plain,
      ...(candidateGroups !== undefined ? { candidateGroups: candidateGroups === null ? null : JSON.stringify(candidateGroups) } : {}),
      ...(copied !== undefined ? { caseCreatedAt: copied } : {}),
      updatedAt: now,
    })
    .where('id', '=', task.id)
    .execute();
  return { ...task, ...changed, ...(copied !== undefined ? { caseCreatedAt: copied } : {}), updatedAt: now };
}
