import { expect } from 'chai';
import { migrate } from '../../db/index.js';
import { createMigrator } from '../../db/migrator.js';
import { Cases, query } from '../support/tables.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

const TABLES = [
  'units',
  'grids',
  'users',
  'user_grids',
  'event_types',
  'governance_items',
  'cases',
  'attachments',
  'inbox_tasks',
  'audit_log',
  'evaluations',
  'notification_outbox',
  'calendar_days',
  'sessions',
  'idempotency_keys',
  'case_instances',
];

describe('migrations', () => {
  let db: Db;
  /** the names of a table's indexes, as the database lists them */
  const indexNames = async (table: string) =>
    db.dialect === 'sqlite'
      ? (await query<{ name: string }>(`SELECT name FROM pragma_index_list('${table}')`)).map((r) => r.name)
      : (await query<{ Key_name: string }>(`SHOW INDEX FROM \`${table}\``)).map((r) => r.Key_name);
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given an empty database, when started, then every foundation table exists', async () => {
    expect(db.appliedMigrations).to.include.members(['0001-foundation', '0002-audit-chain', '0005-sessions']);
    const tables = (await db.sql.introspection.getTables()).map((t) => t.name);
    expect(tables).to.include.members(TABLES);
  });

  it('given a migrated database, when migrations run again, then nothing is applied and data stays', async () => {
    await query("INSERT INTO calendar_days (date, working, note, created_at, updated_at) VALUES ('2026-10-10', 1, 'x', '2026-01-01', '2026-01-01')");
    expect(await migrate(db.sql)).to.deep.equal([]);
    const rows = await query<{ n: unknown }>('SELECT COUNT(*) AS n FROM calendar_days');
    expect(Number(rows[0]!.n)).to.equal(1);
  });

  it('given the cases table, when inspected, then the task-list and dashboard queries have indexes', async () => {
    const names = await indexNames('cases');
    // (unit_id, status) became (unit_id, status, created_at) in 0013: the same prefix, and newest first within it
    for (const wanted of [
      'cases_status_created_at_idx',
      'cases_unit_id_status_created_at_idx',
      'cases_due_at_idx',
      'cases_category_created_at_idx',
      'cases_created_at_idx',
    ]) {
      expect(names).to.include(wanted);
    }
    const inbox = await indexNames('inbox_tasks');
    expect(inbox).to.include('inbox_tasks_unit_id_state_due_at_idx');
  });

  it("given tasks stored before 0013, when it runs up and down, then each task gets its case's created_at and the keyset indexes come and go", async () => {
    const migrator = createMigrator(db.sql);
    const names = indexNames;
    await migrator.down({ to: '0013-keyset-indexes' });
    expect(await names('cases'))
      .to.include('cases_unit_id_status_idx')
      .and.not.include('cases_unit_id_created_at_idx');
    await query(
      "INSERT INTO cases (case_no, channel, tracking_token, description, status, priority, escalation_level, warning_light, duplicate_count, rework_count, extension_count, return_count, created_at, updated_at) VALUES ('ZY-M13', 'hotline', 'tok-m13', '井盖', 'handling', 50, 0, 'green', 0, 0, 0, 0, '2026-02-03 04:05:06', '2026-02-03 04:05:06')",
    );
    const [made] = await query<{ id: number | string }>("SELECT id FROM cases WHERE case_no = 'ZY-M13'");
    await query(
      `INSERT INTO inbox_tasks (user_task_key, case_id, element_id, name, state, priority, warning_light, created_at, updated_at) VALUES ('m13-1', ${Number(made!.id)}, 'handle', '处置', 'created', 50, 'green', '2026-02-03 05:00:00', '2026-02-03 05:00:00'), ('m13-2', NULL, 'handle', '处置', 'created', 50, 'green', '2026-02-03 05:00:00', '2026-02-03 05:00:00')`,
    );
    await migrator.up();
    const copied = (
      await query<{ k: string; at: unknown }>(
        "SELECT user_task_key AS k, case_created_at AS at FROM inbox_tasks WHERE user_task_key LIKE 'm13-%' ORDER BY user_task_key",
      )
    ).map((r) => [r.k, r.at === null ? null : new Date(r.at instanceof Date ? r.at : `${String(r.at).slice(0, 19).replace(' ', 'T')}Z`).toISOString()]);
    expect(copied).to.deep.equal([
      ['m13-1', '2026-02-03T04:05:06.000Z'],
      ['m13-2', null],
    ]);
    const cases = await names('cases');
    expect(cases).to.include.members([
      'cases_unit_id_created_at_idx',
      'cases_unit_id_status_created_at_idx',
      'cases_reporter_user_id_created_at_idx',
      'cases_channel_created_at_idx',
      'cases_event_type_id_created_at_idx',
    ]);
    expect(cases).to.not.include('cases_unit_id_status_idx');
    expect(await names('inbox_tasks')).to.include.members([
      'inbox_tasks_unit_id_case_created_at_idx',
      'inbox_tasks_state_urgency_idx',
      'inbox_tasks_unit_id_state_urgency_idx',
      'inbox_tasks_state_id_idx',
      'inbox_tasks_unit_id_state_id_idx',
    ]);
    expect(await names('audit_log')).to.include.members(['audit_log_action_created_at_idx', 'audit_log_actor_created_at_idx']);
    expect(await names('camera_events')).to.include.members(['camera_events_created_at_idx', 'camera_events_device_created_at_idx']);
    await query("DELETE FROM inbox_tasks WHERE user_task_key LIKE 'm13-%'");
    await query("DELETE FROM cases WHERE case_no = 'ZY-M13'");
  });

  it('given a case with a 64-bit process instance key, when read back, then ids and keys are strings', async () => {
    const key = '2251799813685249123'; // beyond Number.MAX_SAFE_INTEGER
    const created = await Cases.create({
      caseNo: 'ZY-T-1',
      channel: 'hotline',
      reporterName: null,
      reporterPhone: null,
      reporterUserId: null,
      trackingToken: 'tok-1',
      description: '路灯不亮',
      eventTypeId: null,
      category: null,
      lng: null,
      lat: null,
      address: null,
      gridId: null,
      townshipId: null,
      status: 'reported',
      unitId: null,
      acceptDueAt: null,
      dispatchDueAt: null,
      handleDueAt: null,
      verifyDueAt: null,
      dueAt: null,
      processInstanceKey: key,
      processId: null,
      mergedIntoId: null,
      satisfaction: null,
      acceptedAt: null,
      dispatchedAt: null,
      handledAt: null,
      closedAt: null,
    });
    const read = await Cases.findByPk(created.id);
    expect(read!.id).to.be.a('string');
    expect(read!.processInstanceKey).to.equal(key);
    expect(read!.mergedIntoId).to.equal(null);
  });

  it('given category evaluations stored before 0011, when it runs up and down, then the category moves from the metrics JSON to its column and back', async () => {
    const migrator = createMigrator(db.sql);
    await migrator.down({ to: '0011-evaluation-category' });
    await query(
      "INSERT INTO evaluations (scope, period_start, period_end, metrics, score, created_at, updated_at) VALUES ('category', '2026-02-28 16:00:00', '2026-03-31 16:00:00', ?, 91.25, '2026-04-01 00:00:00', '2026-04-01 00:00:00')",
      [JSON.stringify({ category: '市容环境', closed: 14 })],
    );
    const read = async () =>
      (await query<{ category?: string | null; metrics: string }>("SELECT * FROM evaluations WHERE scope = 'category'")).map((r) => [
        r.category ?? null,
        JSON.parse(r.metrics),
      ]);
    await migrator.up();
    expect(await read()).to.deep.equal([['市容环境', { closed: 14 }]]);
    await migrator.down({ to: '0011-evaluation-category' });
    expect(await read()).to.deep.equal([[null, { category: '市容环境', closed: 14 }]]);
    await migrator.up();
    await query('DELETE FROM evaluations');
  });
});
