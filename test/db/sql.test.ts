import { expect } from 'chai';
import { sql } from 'kysely';
import { Cases, Units } from '../support/tables.js';
import { foreignKeyViolation, uniqueViolation } from '../../db/sql/constraint-errors.js';
import { forceIndex } from '../../db/sql/index-hints.js';
import { openSql, type Sql } from '../../db/sql/index.js';
import { freshDatabase, isMysql } from '../support/database.js';

/**
 * The application's SQL (db/sql: Kysely) on the suite's database (SQLite, or MariaDB with DATABASE_URL) on
 * its own drivers (better-sqlite3, mysql2), through a second handle beside the application's bound one:
 * values cross the same way, and rows one handle writes read back the same through the other.
 */
describe('application SQL (db/sql) on its own drivers', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let q: Sql;
  before(async function () {
    this.timeout(120_000); // MariaDB: every table dropped and migrated afresh
    db = await freshDatabase();
    q = await openSql(db.url);
  });
  after(async () => {
    await q?.destroy();
    await db.close();
  });

  const at = new Date('2026-11-28T04:05:06.000Z');
  const newCase = (n: number) => ({
    caseNo: `ZY-SQL-${n}`,
    channel: 'hotline',
    trackingToken: `sql-token-${n}`,
    description: `井盖缺失 '"; -- ${n}`,
    status: 'reported',
    lat: 25.599312,
    lng: 103.834996,
    reporterPhone: null,
    createdAt: at,
    updatedAt: at,
    acceptDueAt: new Date(at.getTime() + 3_600_000),
  });

  it('given a case inserted with Kysely, when the model reads it, then every value is as written and the id is a string', async () => {
    const result = await q.insertInto('cases').values(newCase(1)).executeTakeFirstOrThrow();
    const id = String(result.insertId);
    const c = (await Cases.findByPk(id))!;
    expect(c.caseNo).to.equal('ZY-SQL-1');
    expect(c.description).to.equal(`井盖缺失 '"; -- 1`);
    expect(c.createdAt.getTime()).to.equal(at.getTime());
    expect(c.acceptDueAt!.getTime()).to.equal(at.getTime() + 3_600_000);
    expect([c.lat, c.lng, c.reporterPhone, c.escalationLevel, c.warningLight]).to.deep.equal([25.599312, 103.834996, null, 0, 'green']);
  });

  it('given a case the model created, when Kysely reads it, then dates are Dates, BIGINT keys strings, numbers numbers', async () => {
    const first = (await Cases.findOne({ where: { caseNo: 'ZY-SQL-1' } }))!;
    const made = await Cases.create({ ...newCase(2), mergedIntoId: String(first.id) } as never);
    const row = await q.selectFrom('cases').selectAll().where('id', '=', String(made.id)).executeTakeFirstOrThrow();
    expect(row.id).to.equal(String(made.id));
    expect(row.mergedIntoId).to.equal(String(first.id));
    expect(row.createdAt).to.be.instanceOf(Date);
    expect(row.createdAt.getTime()).to.equal(at.getTime());
    expect(row.dispatchDueAt).to.equal(null);
    expect(row.lat).to.equal(25.599312);
    expect(row.escalationLevel).to.equal(0);
  });

  it('given a boolean column, when written and read, then it is a boolean both ways', async () => {
    await Units.create({ code: 'SQL-U1', name: '测试单位', kind: 'department', active: false } as never);
    const row = await q.selectFrom('units').select(['id', 'active']).where('code', '=', 'SQL-U1').executeTakeFirstOrThrow();
    expect(row.active).to.equal(false);
    expect(row.id).to.be.a('number');
    await q.updateTable('units').set({ active: true }).where('code', '=', 'SQL-U1').execute();
    expect((await Units.findOne({ where: { code: 'SQL-U1' } }))!.active).to.equal(true);
  });

  it('given an update and a delete, when executed, then the rows touched are counted', async () => {
    await q
      .insertInto('cases')
      .values([newCase(3), newCase(4)])
      .execute();
    const updated = await q.updateTable('cases').set({ priority: 90 }).where('caseNo', 'in', ['ZY-SQL-3', 'ZY-SQL-4']).executeTakeFirstOrThrow();
    expect(Number(updated.numUpdatedRows)).to.equal(2);
    const deleted = await q.deleteFrom('cases').where('caseNo', '=', 'ZY-SQL-4').executeTakeFirstOrThrow();
    expect(Number(deleted.numDeletedRows)).to.equal(1);
  });

  it('given a Kysely transaction that throws, when it ends, then its writes are rolled back', async () => {
    const err = await q
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('cases').values(newCase(7)).execute();
        throw new Error('stop');
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).to.equal('stop');
    expect(await Cases.count({ where: { caseNo: 'ZY-SQL-7' } })).to.equal(0);
  });

  it('given raw SQL that names no table, when read, then columns of one kind everywhere are converted and aggregates are numbers to Number()', async () => {
    const { rows } = await sql<{ createdAt: Date; n: number | string }>`SELECT MAX(created_at) AS created_at, COUNT(*) AS n FROM cases`.execute(q);
    expect(rows[0]!.createdAt).to.be.instanceOf(Date);
    expect(Number(rows[0]!.n)).to.be.greaterThan(0);
  });

  it('given a 64-bit count beyond 2^53, when written and read, then it keeps every digit as a string', async function () {
    const big = '9007199254740993';
    await q.insertInto('audit_checkpoints').values({ mode: 'full', lastId: big, lastHash: 'h', records: big, startedAt: at, verifiedAt: at }).execute();
    const row = await q.selectFrom('audit_checkpoints').select(['lastId', 'records']).where('lastId', '=', big).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ lastId: big, records: big });
  });

  it('given a value that cannot be stored, when bound, then it is refused before the database sees it', async () => {
    const err = await q
      .updateTable('cases')
      .set({ createdAt: new Date(Number.NaN) })
      .where('caseNo', '=', 'ZY-SQL-1')
      .execute()
      .catch((e: unknown) => e);
    expect((err as Error).message).to.match(/invalid Date/);
  });
  it('given a write that breaks a unique key or a reference, when it fails, then the error says which, and other errors say nothing', async () => {
    const taken = await q
      .insertInto('units')
      .values({ code: 'SQL-U1', name: '重复', kind: 'department', createdAt: at, updatedAt: at })
      .execute()
      .catch((e: unknown) => e);
    // SQLite names the column, MySQL the key; only MySQL tells the value
    expect(uniqueViolation(taken)!.column).to.match(/code/);
    expect(uniqueViolation(taken)!.value).to.be.oneOf([null, 'SQL-U1']);
    expect(foreignKeyViolation(taken)).to.equal(null);
    const parent = await q.selectFrom('units').select('id').where('code', '=', 'SQL-U1').executeTakeFirstOrThrow();
    await q.insertInto('units').values({ code: 'SQL-U2', name: '下级', kind: 'department', parentId: parent.id, createdAt: at, updatedAt: at }).execute();
    const referred = await q
      .deleteFrom('units')
      .where('id', '=', parent.id)
      .execute()
      .catch((e: unknown) => e);
    expect(foreignKeyViolation(referred)).to.not.equal(null);
    expect(uniqueViolation(referred)).to.equal(null);
    expect(uniqueViolation(new Error('other'))).to.equal(null);
  });

  it('given an index hint, when the query runs, then MySQL is told to read through that index and SQLite is not, with the same rows either way', async () => {
    const dialect = isMysql(db.url) ? 'mysql' : 'sqlite';
    const query = q
      .selectFrom('cases')
      .select(['id', 'createdAt'])
      .where('caseNo', 'like', 'ZY-SQL-%')
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .withPlugin(forceIndex(dialect, 'cases_created_at_idx'));
    expect(query.compile().sql).to.satisfy((text: string) =>
      dialect === 'mysql' ? /from `cases` as `cases` FORCE INDEX \(`cases_created_at_idx`\) where/.test(text) : !/FORCE/.test(text),
    );
    const hinted = await query.execute();
    const plain = await q
      .selectFrom('cases')
      .select(['id', 'createdAt'])
      .where('caseNo', 'like', 'ZY-SQL-%')
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(hinted).to.deep.equal(plain);
    expect(hinted[0]!.createdAt).to.be.instanceOf(Date);
  });

  it('given many slow reads ready at once (a batch of handlers), when they run, then the event loop turns between them (SQLite: a time budget per turn)', async function () {
    if (isMysql(db.url)) this.skip(); // over MySQL every read waits on the network and the loop turns anyway
    // about 5 ms of work on this thread per read
    const slow = () =>
      sql<{ n: number }>`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 60000) SELECT COUNT(*) AS n FROM c`.execute(q);
    let last = performance.now();
    let gap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    await Promise.all(Array.from({ length: 40 }, slow));
    const took = performance.now() - started;
    clearInterval(tick);
    expect(took, 'the reads take a while in all').to.be.greaterThan(60);
    expect(gap, `longest gap between ticks over ${took.toFixed(0)} ms of reads`).to.be.below(took / 2);
  });
});
