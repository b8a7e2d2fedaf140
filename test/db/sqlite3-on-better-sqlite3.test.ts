import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataTypes, Op, QueryTypes, type Sequelize } from 'sequelize';
import { openDatabase } from '../../db/connection.js';

/**
 * Sequelize's SQLite dialect on better-sqlite3 (db/sqlite3-on-better-sqlite3.ts): what Sequelize relies
 * on from node-sqlite3 — binding, insert ids, error codes, several statements in one text — and that the
 * synchronous driver leaves the event loop room to breathe.
 */
describe('SQLite through better-sqlite3 (the dialect module Sequelize uses)', () => {
  let dir: string;
  let sequelize: Sequelize;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ywtg-sqlite-driver-'));
    sequelize = await openDatabase(`sqlite:${join(dir, 'driver.sqlite')}`);
    sequelize.define(
      'Probe',
      {
        name: { type: DataTypes.STRING, unique: true },
        done: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        at: { type: DataTypes.DATE, allowNull: true },
        data: { type: DataTypes.JSON, allowNull: true },
      },
      { tableName: 'probes' },
    );
    await sequelize.sync();
  });

  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const Probe = () => sequelize.model('Probe');

  const values: Array<[string, Record<string, unknown>, (row: Record<string, unknown>) => void]> = [
    ['a boolean', { name: 'bool', done: true }, (row) => expect(row['done']).to.equal(true)],
    [
      'a date',
      { name: 'date', at: new Date('2026-11-28T08:00:00.123Z') },
      (row) => expect((row['at'] as Date).toISOString()).to.equal('2026-11-28T08:00:00.123Z'),
    ],
    [
      'JSON with Chinese text',
      { name: 'json', data: { 描述: '路灯不亮', n: [1, 2] } },
      (row) => expect(row['data']).to.deep.equal({ 描述: '路灯不亮', n: [1, 2] }),
    ],
    ['an emoji and a quote', { name: "it's 🚧" }, (row) => expect(row['name']).to.equal("it's 🚧")],
    ['null', { name: 'nulls', at: null, data: null }, (row) => expect(row['at']).to.equal(null)],
  ];
  for (const [what, given, check] of values) {
    it(`given ${what}, when created and read back, then it round-trips`, async () => {
      const created = await Probe().create(given);
      expect(created.get('id')).to.be.a('number');
      const read = await Probe().findByPk(created.get('id') as number);
      check(read!.get({ plain: true }) as Record<string, unknown>);
    });
  }

  it('given the default connection and a transaction connection, when asked, then both commit with synchronous=FULL (an acknowledged write survives a power cut, as the README says)', async () => {
    const [outside] = (await sequelize.query('PRAGMA synchronous', { type: QueryTypes.SELECT })) as Array<{ synchronous: number }>;
    const inside = await sequelize.transaction(
      async (transaction) => ((await sequelize.query('PRAGMA synchronous', { type: QueryTypes.SELECT, transaction })) as Array<{ synchronous: number }>)[0],
    );
    // 2 = FULL; better-sqlite3 opens WAL files with 1 = NORMAL (which survives a process crash, not a power cut)
    expect(outside!.synchronous).to.equal(2);
    expect(inside!.synchronous).to.equal(2);
  });

  it('given a bulk insert, when done, then every row gets its own id in order', async () => {
    const rows = await Probe().bulkCreate([{ name: 'bulk-1' }, { name: 'bulk-2' }, { name: 'bulk-3' }]);
    const ids = rows.map((r) => r.get('id') as number);
    expect(ids[1]).to.equal(ids[0]! + 1);
    expect(ids[2]).to.equal(ids[0]! + 2);
    expect((await Probe().findByPk(ids[2]!))!.get('name')).to.equal('bulk-3');
  });

  it('given a duplicate of a unique column, when created, then Sequelize reports a unique-constraint error naming the field', async () => {
    await Probe().create({ name: 'unique-1' });
    let caught: unknown;
    try {
      await Probe().create({ name: 'unique-1' });
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).name).to.equal('SequelizeUniqueConstraintError');
    expect((caught as { fields: unknown }).fields).to.deep.equal(['name']);
  });

  it('given a duplicate under ignoreDuplicates, when bulk-created, then it is skipped and the rest are written', async () => {
    await Probe().bulkCreate([{ name: 'ignore-1' }, { name: 'ignore-1' }, { name: 'ignore-2' }], { ignoreDuplicates: true });
    expect(await Probe().count({ where: { name: ['ignore-1', 'ignore-2'] } })).to.equal(2);
  });

  it('given bind parameters ($1 …) and replacements (?), when queried, then both bind', async () => {
    const [bound] = (await sequelize.query('SELECT $1 AS a, $2 AS b', { bind: ['甲', 2], type: QueryTypes.SELECT })) as Array<Record<string, unknown>>;
    expect(bound).to.deep.equal({ a: '甲', b: 2 });
    const [replaced] = (await sequelize.query('SELECT ? AS a', { replacements: ["o'k"], type: QueryTypes.SELECT })) as Array<Record<string, unknown>>;
    expect(replaced).to.deep.equal({ a: "o'k" });
  });

  // SELECTs with their values written into the text have the string literals lifted out as parameters
  const selects: Array<[string, string, Record<string, unknown>]> = [
    ['a doubled quote', "SELECT 'it''s' AS a", { a: "it's" }],
    ['what looks like parameters inside a literal', "SELECT '?' AS a, '$1' AS b, ':x' AS c", { a: '?', b: '$1', c: ':x' }],
    ['Chinese and an empty string', "SELECT '路灯不亮' AS a, '' AS b", { a: '路灯不亮', b: '' }],
    ['a blob literal (left as it is)', "SELECT hex(X'4142') AS a, 'z' AS b", { a: '4142', b: 'z' }],
    ['a quoted identifier holding a quote', "SELECT 'v' AS `it's`", { "it's": 'v' }],
    ['a comment (left as it is)', "SELECT 'a' AS a -- 'b'", { a: 'a' }],
  ];
  for (const [what, sql, expected] of selects) {
    it(`given a SELECT with ${what}, when queried, then the values come back as written`, async () => {
      const [row] = (await sequelize.query(sql, { type: QueryTypes.SELECT })) as Array<Record<string, unknown>>;
      expect(row).to.deep.equal(expected);
    });
  }

  it('given rows found by conditions written into the text, when read again with other values, then each read finds its own rows', async () => {
    await Probe().bulkCreate([{ name: 'lift-a' }, { name: "lift-'b'" }]);
    for (const name of ['lift-a', "lift-'b'", 'lift-none']) {
      const rows = await Probe().findAll({ where: { name }, raw: true });
      expect(rows.map((r) => (r as unknown as { name: string }).name)).to.deep.equal(name === 'lift-none' ? [] : [name]);
    }
    expect(await Probe().count({ where: { name: { [Op.like]: 'lift-%' } } })).to.equal(2);
  });

  it('given several statements in one text, when run, then all of them run', async () => {
    await sequelize.query('CREATE TABLE multi_a (x INTEGER); CREATE TABLE multi_b (y INTEGER);');
    const tables = await sequelize.getQueryInterface().showAllTables();
    expect(tables).to.include.members(['multi_a', 'multi_b']);
  });

  it("given a statement SQLite refuses, when run, then the error carries node-sqlite3's code and nothing is written", async () => {
    const before = await Probe().count();
    let caught: unknown;
    try {
      await sequelize.query('INSERT INTO probes (name, done, created_at, updated_at) VALUES (NULL, NULL, 1, 1)');
    } catch (err) {
      caught = err;
    }
    expect((caught as { parent?: { code?: string } }).parent?.code).to.equal('SQLITE_CONSTRAINT');
    expect((caught as { parent?: Error }).parent?.message).to.match(/^SQLITE_CONSTRAINT: NOT NULL constraint failed/);
    expect(await Probe().count()).to.equal(before);
  });

  it('given a transaction that throws, when it rolls back, then none of its writes stay', async () => {
    const before = await Probe().count();
    await sequelize
      .transaction(async (transaction) => {
        await Probe().create({ name: 'doomed-1' }, { transaction });
        await Probe().create({ name: 'doomed-2' }, { transaction });
        throw new Error('boom');
      })
      .catch(() => undefined);
    expect(await Probe().count()).to.equal(before);
  });

  it('given a loop of transactions and reads, when it runs, then a timer still fires in between (the event loop is not starved)', async () => {
    let fired = 0;
    const timer = setInterval(() => fired++, 1);
    const until = Date.now() + 300;
    let i = 0;
    while (Date.now() < until) {
      await sequelize.transaction(async (transaction) => {
        await Probe().create({ name: `loop-${i++}` }, { transaction });
      });
      await Probe().count();
    }
    clearInterval(timer);
    expect(fired, 'timer ticks during 300 ms of back-to-back transactions').to.be.greaterThan(10);
  });
});
