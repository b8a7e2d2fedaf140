import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDriver, type SqlDriver } from '../../engine/store/driver.js';
import { WalDurability } from '../../engine/store/wal-durability.js';

/** SQLite commits made durable off the event loop (engine/store/wal-durability.ts). */
describe('engine / SQLite durability off the event loop (store/wal-durability.ts)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ywtg-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given an fsync under way, when more commits ask, then they share the one after it; a later call starts a new one', async () => {
    const file = join(dir, 'db.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const wal = new WalDurability(`${file}-wal`);
    const first = wal.durable();
    const second = wal.durable();
    const third = wal.durable();
    expect(second, 'both wait for the fsync after the running one').to.equal(third);
    expect(second).to.not.equal(first);
    await Promise.all([first, second, third]);
    const again = wal.durable();
    expect(again).to.not.equal(second);
    await again;
    db.close();
  });

  it('given a database without a WAL file, when durability is asked, then it resolves (nothing is unsynced)', async () => {
    await new WalDurability(join(dir, 'none.sqlite-wal')).durable();
  });

  const pragmas = (driver: SqlDriver) =>
    Promise.all([driver.all<{ synchronous: number }>('PRAGMA synchronous'), driver.all<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint')]);

  it('given the engine driver on a file with FULL durability, when opened, then it commits with NORMAL and leaves checkpoints to the worker; NORMAL asked stays as SQLite does it', async () => {
    const full = await openDriver(`sqlite:${join(dir, 'full.sqlite')}`, { sqliteSynchronous: 'FULL' });
    const [[sync], [auto]] = await pragmas(full);
    expect([sync!.synchronous, auto!.wal_autocheckpoint]).to.deep.equal([1, 0]);
    await full.close();
    const normal = await openDriver(`sqlite:${join(dir, 'normal.sqlite')}`, { sqliteSynchronous: 'NORMAL' });
    const [[sync2], [auto2]] = await pragmas(normal);
    expect([sync2!.synchronous, auto2!.wal_autocheckpoint]).to.deep.equal([1, 1000]);
    await normal.close();
  });

  it('given commits that fill the WAL, when a moment passes, then the worker has copied them into the database file without a checkpoint on this thread', async () => {
    const file = join(dir, 'grow.sqlite');
    const driver = await openDriver(`sqlite:${file}`, { sqliteSynchronous: 'FULL' });
    await driver.exec('CREATE TABLE t (v TEXT)');
    const before = statSync(file).size;
    const row = 'x'.repeat(2_000);
    for (let i = 0; i < 20; i++) {
      await driver.exec('BEGIN');
      for (let k = 0; k < 50; k++) await driver.run('INSERT INTO t (v) VALUES (?)', [row]);
      await driver.exec('COMMIT');
    }
    let copied = statSync(file).size;
    for (let i = 0; i < 40 && copied < before + 1_000_000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      copied = statSync(file).size;
    }
    expect(copied - before, 'bytes checkpointed into the database file').to.be.greaterThan(1_000_000);
    expect((await driver.all<{ n: number }>('SELECT COUNT(*) AS n FROM t'))[0]!.n).to.equal(1_000);
    await driver.close();
  });
});
