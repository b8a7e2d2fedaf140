import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { AuditRecord, Case, CaseEvent } from '../../db/models/index.js';
import { deleteRows, insertRow, insertRows, sqlDate, updateRows, type Row } from '../../db/rows.js';
import { freshDatabase } from '../support/database.js';

/**
 * The plain-SQL writes of the hot paths (db/rows.ts) on the suite's database (SQLite, or MariaDB with
 * DATABASE_URL): what they write must read back through the models exactly as a model's own write.
 */
describe('plain-SQL rows (db/rows)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  const at = new Date('2026-11-28T04:05:06.789Z');
  const caseRow = (n: number): Row => ({
    case_no: `ZY-ROWS-${n}`,
    channel: 'hotline',
    tracking_token: `rows-token-${n}`,
    description: '井盖缺失 \'"; DROP TABLE cases; --',
    status: 'reported',
    priority: 50,
    lat: 25.599312,
    lng: 103.834996,
    reporter_phone: null,
    created_at: at,
    updated_at: at,
  });

  it('given a row, when inserted, then its id comes back as a string and the model reads every value as written', async () => {
    const id = await insertRow(db.sequelize, 'cases', caseRow(1));
    expect(id)
      .to.be.a('string')
      .and.match(/^[0-9]+$/);
    const c = (await Case.findByPk(id))!;
    expect(c.caseNo).to.equal('ZY-ROWS-1');
    expect(c.description).to.equal('井盖缺失 \'"; DROP TABLE cases; --');
    // MySQL's DATETIME keeps whole seconds, as for a model's own write
    expect(Math.floor(c.createdAt.getTime() / 1000)).to.equal(Math.floor(at.getTime() / 1000));
    expect([c.lat, c.lng, c.reporterPhone, c.escalationLevel, c.warningLight]).to.deep.equal([25.599312, 103.834996, null, 0, 'green']);
  });

  it('given dates, when written as text for the dialect, then the model and a created row compare equal in SQL', async () => {
    const made = await Case.create({ ...caseRowAsModel(2), createdAt: at } as never);
    const rawId = await insertRow(db.sequelize, 'cases', caseRow(3));
    const same = await db.sequelize.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM cases WHERE created_at = (SELECT created_at FROM cases WHERE id = $1) AND id IN ($1, $2)',
      {
        bind: [rawId, made.id],
        type: QueryTypes.SELECT,
      },
    );
    expect(Number(same[0]!.n)).to.equal(2);
    expect(sqlDate(db.sequelize, at)).to.match(/^2026-11-28 04:05:06\.789/);
  });

  const updates: Array<{ name: string; set: Row; where: Row; changed: number }> = [
    { name: 'one row by id', set: { priority: 90 }, where: { case_no: 'ZY-ROWS-1' }, changed: 1 },
    { name: 'no row matching', set: { priority: 90 }, where: { case_no: 'nobody' }, changed: 0 },
    { name: 'a null condition (IS NULL)', set: { address: '西平街道' }, where: { case_no: 'ZY-ROWS-1', address: null }, changed: 1 },
    { name: 'the same null condition again', set: { address: '又一次' }, where: { case_no: 'ZY-ROWS-1', address: null }, changed: 0 },
  ];
  for (const u of updates) {
    it(`given ${u.name}, when updated, then ${u.changed} row(s) change`, async () => {
      expect(await updateRows(db.sequelize, 'cases', u.set, u.where)).to.equal(u.changed);
    });
  }

  it('given no condition, when updated or deleted, then it is refused before any SQL', async () => {
    let error: unknown = null;
    try {
      await updateRows(db.sequelize, 'cases', { priority: 1 }, {});
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/without conditions/);
    error = null;
    try {
      await deleteRows(db.sequelize, 'cases', {});
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/without conditions/);
    expect(await Case.count({ where: { priority: 1 } })).to.equal(0);
  });

  it('given a duplicate of a unique value, when inserted, then it fails as a model write would (SequelizeUniqueConstraintError) and nothing is added', async () => {
    const before = await Case.count();
    let name = '';
    try {
      await insertRow(db.sequelize, 'cases', caseRow(1));
    } catch (err) {
      name = (err as Error).name;
    }
    expect(name).to.equal('SequelizeUniqueConstraintError');
    expect(await Case.count()).to.equal(before);
  });

  it('given 600 rows with repeats, when inserted ignoring duplicates, then each distinct row is stored once across the statements', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 600; i++) {
      rows.push({
        event_key: `k${i % 400}`,
        case_id: null,
        process_instance_key: `pi-${i % 400}`,
        parent_instance_key: null,
        element_instance_key: null,
        element_id: 'Task_1',
        element_type: 'serviceTask',
        bpmn_process_id: 'p',
        intent: 'ACTIVATED',
        at,
        detail: JSON.stringify({ i }),
        created_at: at,
      });
    }
    await insertRows(db.sequelize, 'case_events', rows, { ignoreDuplicates: true });
    expect(await CaseEvent.count()).to.equal(400);
    const first = (await CaseEvent.findOne({ where: { eventKey: 'k5' } }))!;
    expect(first.detail).to.deep.equal({ i: 5 }); // the first copy stays
    expect(first.at.toISOString()).to.equal(at.toISOString());
  });

  it('given a row in a transaction that rolls back, when read after, then it is not there', async () => {
    await db.sequelize
      .transaction(async (transaction) => {
        await insertRow(db.sequelize, 'audit_log', { actor: 't', action: 'x', prev_hash: 'p', hash: 'h-rolled-back', created_at: at }, { transaction });
        throw new Error('undo');
      })
      .catch(() => undefined);
    expect(await AuditRecord.count({ where: { hash: 'h-rolled-back' } })).to.equal(0);
  });

  it('given a row, when deleted by its id, then it is gone and the others stay', async () => {
    const id = await insertRow(db.sequelize, 'cases', caseRow(9));
    const before = await Case.count();
    await deleteRows(db.sequelize, 'cases', { id });
    expect(await Case.findByPk(id)).to.equal(null);
    expect(await Case.count()).to.equal(before - 1);
  });
});

function caseRowAsModel(n: number) {
  return { caseNo: `ZY-ROWS-${n}`, channel: 'hotline', trackingToken: `rows-token-${n}`, description: '模型写入', status: 'reported', priority: 50 };
}
