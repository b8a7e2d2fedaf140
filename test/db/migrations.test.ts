import { expect } from 'chai';
import { migrate } from '../../db/index.js';
import { createMigrator } from '../../db/migrator.js';
import { Case } from '../../db/models/index.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

const TABLES = [
  'units', 'grids', 'users', 'user_grids', 'event_types', 'governance_items', 'cases', 'attachments',
  'inbox_tasks', 'audit_log', 'evaluations', 'notification_outbox', 'calendar_days', 'sessions', 'idempotency_keys', 'case_instances',
];

describe('migrations', () => {
  let db: Db;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given an empty database, when started, then every foundation table exists', async () => {
    expect(db.appliedMigrations).to.include.members(['0001-foundation', '0002-audit-chain', '0005-sessions']);
    const tables = (await db.sequelize.getQueryInterface().showAllTables()).map((t) =>
      typeof t === 'string' ? t : (t as { tableName: string }).tableName);
    expect(tables).to.include.members(TABLES);
  });

  it('given a migrated database, when migrations run again, then nothing is applied and data stays', async () => {
    await db.sequelize.query("INSERT INTO calendar_days (date, working, note, created_at, updated_at) VALUES ('2026-10-10', 1, 'x', '2026-01-01', '2026-01-01')");
    expect(await migrate(db.sequelize)).to.deep.equal([]);
    const [rows] = await db.sequelize.query('SELECT COUNT(*) AS n FROM calendar_days');
    expect(Number((rows as Array<{ n: unknown }>)[0]!.n)).to.equal(1);
  });

  it('given the cases table, when inspected, then the task-list and dashboard queries have indexes', async () => {
    const indexes = (await db.sequelize.getQueryInterface().showIndex('cases')) as Array<{ name: string }>;
    const names = indexes.map((i) => i.name);
    for (const wanted of ['cases_status_created_at_idx', 'cases_unit_id_status_idx', 'cases_due_at_idx', 'cases_category_created_at_idx', 'cases_created_at_idx']) {
      expect(names).to.include(wanted);
    }
    const inbox = ((await db.sequelize.getQueryInterface().showIndex('inbox_tasks')) as Array<{ name: string }>).map((i) => i.name);
    expect(inbox).to.include('inbox_tasks_unit_id_state_due_at_idx');
  });

  it('given a case with a 64-bit process instance key, when read back, then ids and keys are strings', async () => {
    const key = '2251799813685249123'; // beyond Number.MAX_SAFE_INTEGER
    const created = await Case.create({
      caseNo: 'ZY-T-1', channel: 'hotline', reporterName: null, reporterPhone: null, reporterUserId: null,
      trackingToken: 'tok-1', description: '路灯不亮', eventTypeId: null, category: null, lng: null, lat: null,
      address: null, gridId: null, townshipId: null, status: 'reported', unitId: null, acceptDueAt: null,
      dispatchDueAt: null, handleDueAt: null, verifyDueAt: null, dueAt: null, processInstanceKey: key,
      processId: null, mergedIntoId: null, satisfaction: null, acceptedAt: null, dispatchedAt: null,
      handledAt: null, closedAt: null,
    });
    const read = await Case.findByPk(created.id);
    expect(read!.id).to.be.a('string');
    expect(read!.processInstanceKey).to.equal(key);
    expect(read!.mergedIntoId).to.equal(null);
  });

  it('given category evaluations stored before 0011, when it runs up and down, then the category moves from the metrics JSON to its column and back', async () => {
    const migrator = createMigrator(db.sequelize);
    await migrator.down({ to: '0011-evaluation-category' });
    await db.sequelize.query(
      "INSERT INTO evaluations (scope, period_start, period_end, metrics, score, created_at, updated_at) VALUES ('category', '2026-02-28 16:00:00', '2026-03-31 16:00:00', ?, 91.25, '2026-04-01', '2026-04-01')",
      { replacements: [JSON.stringify({ category: '市容环境', closed: 14 })] },
    );
    const read = async () => ((await db.sequelize.query("SELECT * FROM evaluations WHERE scope = 'category'"))[0] as Array<{ category?: string | null; metrics: string }>)
      .map((r) => [r.category ?? null, JSON.parse(r.metrics)]);
    await migrator.up();
    expect(await read()).to.deep.equal([['市容环境', { closed: 14 }]]);
    await migrator.down({ to: '0011-evaluation-category' });
    expect(await read()).to.deep.equal([[null, { category: '市容环境', closed: 14 }]]);
    await migrator.up();
    await db.sequelize.query('DELETE FROM evaluations');
  });
});
