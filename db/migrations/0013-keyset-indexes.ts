import { sql } from 'kysely';
import type { MigrationContext, MigrationFn } from '../migrator.js';

/**
 * Keyset paging (issue 12, "bounded answers"): every list that grows with history pages newest first
 * by an `after` cursor, so each filter and each role's scope needs an index that yields its rows in
 * that order — a page then reads pageSize rows, however deep it is.
 *
 * Both databases end every secondary index with the primary key (SQLite's rowid, InnoDB's clustered
 * key), so an index on (x, created_at) serves `WHERE x = ? ORDER BY created_at DESC, id DESC`.
 *
 * - cases: the unit's cases (department roles, the `unitId` filter; with `status` too — this index
 *   replaces (unit_id, status), of which it is a superset), the cases a user reported (every role but
 *   the centre's), the channel filter, and the event type (Open311 `service_code`). Status, category,
 *   township and the date range already had theirs (0001).
 * - inbox_tasks: `case_created_at` copies the case's created_at onto its tasks (filled by the model on
 *   every write), so "the cases holding a task of my unit" can be read from the task index in the
 *   cases' order instead of collecting every task the unit ever had; the open inbox in its urgency
 *   order (priority high first, then due time); finished tasks newest first.
 * - audit_log and camera_events: newest first, by action or actor, and by camera.
 */
const INDEXES: Array<{ table: string; fields: Array<string | { name: string; order: 'DESC' }>; name: string }> = [
  { table: 'cases', fields: ['unit_id', 'created_at'], name: 'cases_unit_id_created_at_idx' },
  { table: 'cases', fields: ['unit_id', 'status', 'created_at'], name: 'cases_unit_id_status_created_at_idx' },
  { table: 'cases', fields: ['reporter_user_id', 'created_at'], name: 'cases_reporter_user_id_created_at_idx' },
  { table: 'cases', fields: ['channel', 'created_at'], name: 'cases_channel_created_at_idx' },
  { table: 'cases', fields: ['event_type_id', 'created_at'], name: 'cases_event_type_id_created_at_idx' },
  { table: 'inbox_tasks', fields: ['unit_id', 'case_created_at', 'case_id'], name: 'inbox_tasks_unit_id_case_created_at_idx' },
  { table: 'inbox_tasks', fields: ['state', { name: 'priority', order: 'DESC' }, 'due_at'], name: 'inbox_tasks_state_urgency_idx' },
  { table: 'inbox_tasks', fields: ['unit_id', 'state', { name: 'priority', order: 'DESC' }, 'due_at'], name: 'inbox_tasks_unit_id_state_urgency_idx' },
  { table: 'inbox_tasks', fields: ['state', 'id'], name: 'inbox_tasks_state_id_idx' },
  { table: 'inbox_tasks', fields: ['unit_id', 'state', 'id'], name: 'inbox_tasks_unit_id_state_id_idx' },
  { table: 'audit_log', fields: ['action', 'created_at'], name: 'audit_log_action_created_at_idx' },
  { table: 'audit_log', fields: ['actor', 'created_at'], name: 'audit_log_actor_created_at_idx' },
  { table: 'camera_events', fields: ['created_at'], name: 'camera_events_created_at_idx' },
  { table: 'camera_events', fields: ['device_id', 'created_at'], name: 'camera_events_device_created_at_idx' },
];

const column = (f: string | { name: string; order: 'DESC' }) => (typeof f === 'string' ? `\`${f}\`` : `\`${f.name}\` ${f.order}`);

async function indexNames(db: MigrationContext, table: string): Promise<Set<string>> {
  const { rows } =
    db.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ${table}`.execute(db.sql)
      : await sql<{
          name: string;
        }>`SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ${table}`.execute(db.sql);
  return new Set(rows.map((r) => r.name));
}

const dropIndex = (db: MigrationContext, table: string, name: string) =>
  db.run({ sqlite: [`DROP INDEX IF EXISTS \`${name}\``], mysql: [`DROP INDEX \`${name}\` ON \`${table}\``] });

/** Adds the indexes not there yet: a down migration may have kept some (below). */
async function addIndexes(db: MigrationContext): Promise<void> {
  for (const { table, fields, name } of INDEXES) {
    if ((await indexNames(db, table)).has(name)) continue;
    const statement = `CREATE INDEX \`${name}\` ON \`${table}\` (${fields.map(column).join(', ')})`;
    await db.run({ sqlite: [statement], mysql: [statement] });
  }
}

export const up: MigrationFn = async ({ context: db }) => {
  const add = 'ALTER TABLE `inbox_tasks` ADD `case_created_at` DATETIME';
  await db.run({ sqlite: [add], mysql: [add] });
  const copy = 'UPDATE inbox_tasks SET case_created_at = (SELECT c.created_at FROM cases c WHERE c.id = inbox_tasks.case_id) WHERE case_id IS NOT NULL';
  await db.run({ sqlite: [copy], mysql: [copy] });
  await addIndexes(db);
  // after its successors exist: InnoDB keeps an index that starts with unit_id for the foreign key
  if ((await indexNames(db, 'cases')).has('cases_unit_id_status_idx')) await dropIndex(db, 'cases', 'cases_unit_id_status_idx');
};

export const down: MigrationFn = async ({ context: db }) => {
  if (!(await indexNames(db, 'cases')).has('cases_unit_id_status_idx')) {
    const statement = 'CREATE INDEX `cases_unit_id_status_idx` ON `cases` (`unit_id`, `status`)';
    await db.run({ sqlite: [statement], mysql: [statement] });
  }
  for (const { table, name } of [...INDEXES].reverse()) {
    try {
      await dropIndex(db, table, name);
    } catch (err) {
      // InnoDB dropped the index it had made for a foreign key (event_type_id, reporter_user_id) when this one
      // could serve it instead: this one stays in its place, and `up` finds it there
      if (!/needed in a foreign key constraint/i.test((err as Error).message)) throw err;
    }
  }
  // a plain DROP COLUMN (SQLite ≥ 3.35 and MySQL alike): a copy of the table would lose its indexes
  const drop = 'ALTER TABLE inbox_tasks DROP COLUMN case_created_at';
  await db.run({ sqlite: [drop], mysql: [drop] });
};
