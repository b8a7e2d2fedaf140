import { appSql } from '../../db/sql/current.js';
import type { FieldReportItem } from './field-report-type.js';

/** A grid worker's own reports of late, newest first: what they filed and where it stands. */
export async function fieldReportsOf(userId: number, limit = 20): Promise<FieldReportItem[]> {
  const rows = await appSql()
    .selectFrom('cases')
    .select(['id', 'caseNo', 'description', 'status', 'createdAt'])
    .where('reporterUserId', '=', userId)
    .where('channel', '=', 'grid_worker')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() }));
}
