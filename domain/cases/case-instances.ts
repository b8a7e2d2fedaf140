import { uniqueViolation } from '../../db/sql/constraint-errors.js';
import { appSql, type Tx } from '../../db/sql/current.js';

/** Records instance → case and gives tasks that arrived before the mapping their case. */
export async function rememberInstance(processInstanceKey: string, caseId: string, transaction?: Tx): Promise<void> {
  // the insert first, no look-up: the mapping is nearly always new (intake's own instance always is).
  // No findOrCreate: its transaction holds SQLite's write lock while the workers write
  const db = appSql(transaction);
  const now = new Date();
  try {
    await db.insertInto('case_instances').values({ processInstanceKey, caseId, createdAt: now, updatedAt: now }).execute();
  } catch (err) {
    // someone else recorded it first (a failed INSERT fails alone, also inside a transaction, on SQLite and MySQL)
    if (!uniqueViolation(err)) throw err;
  }
  // with the case's created_at, as the model's hook gives every task it writes (migration 0013)
  await db
    .updateTable('inbox_tasks')
    .set((eb) => ({
      caseId,
      caseCreatedAt: eb.selectFrom('cases as c').select('c.createdAt').where('c.id', '=', caseId),
      updatedAt: now,
    }))
    .where('processInstanceKey', '=', processInstanceKey)
    .where('caseId', 'is', null)
    .execute();
}
