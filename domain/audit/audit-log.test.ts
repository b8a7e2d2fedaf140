import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { AuditRecords, Op, query } from '../../test/support/tables.js';
import { GROUP_LOOP_BUDGET_MS } from '../../engine/index.js';
import { freshDatabase } from '../../test/support/database.js';
import { AUDIT_GENESIS_HASH, appendAudit, caseAuditTrail, verifyAuditChain, withAuditChain } from './index.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;
const writerScript = fileURLToPath(new URL('../../test/support/audit-writer.ts', import.meta.url));

function runWriter(url: string, count: number, actor: string, pauseMs = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, url, String(count), actor, String(pauseMs)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

/** holds the event loop for `ms`, as a job's statements do on better-sqlite3 */
function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

describe('audit log (domain/audit)', () => {
  let db: Db;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given an empty log, when three records are appended, then they form a chain from the genesis hash', async () => {
    const a = await appendAudit({ caseId: '1', actor: 'operator', actorRole: 'operator', action: 'accepted', detail: { b: 2, a: 1 } });
    const b = await appendAudit({ caseId: '1', actor: 'worker:case-route', action: 'routed', detail: { unitCode: 'T-XP' } });
    const c = await appendAudit({ caseId: '2', actor: 'clerk', action: 'handled', detail: null });
    expect(a.prevHash).to.equal(AUDIT_GENESIS_HASH);
    expect(b.prevHash).to.equal(a.hash);
    expect(c.prevHash).to.equal(b.hash);
    expect(a.detail).to.deep.equal({ a: 1, b: 2 });
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: 3, checkedThisRun: 3, from: 'start', firstBroken: null });
  });

  it('given a chain job that appends nothing (a refused request), when it commits, then the chain head row is unchanged (found by the OpenAPI fuzz)', async () => {
    const head = () => query('SELECT * FROM audit_chain_head');
    const before = JSON.stringify(await head());
    await new Promise((r) => setTimeout(r, 5)); // a new time would show
    expect(await withAuditChain(async () => false)).to.equal(false);
    expect(JSON.stringify(await head())).to.equal(before);
    await appendAudit({ caseId: null, actor: 'admin', action: 'probe' });
    expect(JSON.stringify(await head())).to.not.equal(before);
  });

  it('given a dedup key already used, when appended again, then the first record comes back and nothing is added', async () => {
    const first = await appendAudit({ caseId: '3', actor: 'worker:case-close', action: 'closed', dedupKey: 'job:case-close:42' });
    const count = await AuditRecords.count();
    const again = await appendAudit({ caseId: '3', actor: 'worker:case-close', action: 'closed', dedupKey: 'job:case-close:42', detail: { other: true } });
    expect(again.id).to.equal(first.id);
    expect(again.hash).to.equal(first.hash);
    expect(await AuditRecords.count()).to.equal(count);
  });

  it('given 40 appends at once in one process, when verified, then the chain is one unbroken line', async () => {
    const before = await AuditRecords.count();
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendAudit({ caseId: String(100 + (i % 4)), actor: 'load', action: 'concurrent', detail: { i } })));
    const result = await verifyAuditChain();
    expect(result).to.deep.include({ ok: true, checked: before + 40 });
  });

  it('given a second process appending at the same time, when verified, then the chain still has no fork', async function () {
    this.timeout(60_000);
    const before = await AuditRecords.count();
    let childDone = false;
    // paced, so this process gets the lock in between
    const child = runWriter(db.url, 30, 'other-process', 5).finally(() => {
      childDone = true;
    });
    let mine = 0;
    while (!childDone) {
      // keep writing for as long as the other process does, so the two really interleave
      await appendAudit({ caseId: null, actor: 'this-process', action: 'writer-test', detail: { i: mine++ } });
    }
    await child;
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: before + 30 + mine });
    const theirs = await AuditRecords.findAll({ where: { actor: 'other-process' }, order: [['id', 'ASC']] });
    expect(theirs).to.have.length(30);
    const interleaved = await AuditRecords.count({ where: { actor: 'this-process', id: { [Op.between]: [theirs[0]!.id, theirs[29]!.id] } } });
    expect(interleaved, "records of this process between the other's first and last").to.be.greaterThan(0);
  });

  it('given a transaction that fails after appending, when it rolls back, then neither the record nor the head moved', async () => {
    const before = await AuditRecords.count();
    let caught: unknown;
    try {
      await withAuditChain(async (chain) => {
        await chain.append({ caseId: '9', actor: 'x', action: 'doomed' });
        throw new Error('boom');
      });
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.equal('boom');
    expect(await AuditRecords.count()).to.equal(before);
    await appendAudit({ caseId: '9', actor: 'x', action: 'after-rollback' });
    expect((await verifyAuditChain()).ok).to.equal(true);
  });

  it('given jobs committed together, when one of them fails, then only its writes roll back and the chain stays whole', async () => {
    const before = await AuditRecords.count();
    const settled = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        withAuditChain(async (chain) => {
          await chain.append({ caseId: '11', actor: 'group', action: 'grouped', detail: { i } });
          if (i === 5) throw new Error(`job ${i} fails`);
          return i;
        }),
      ),
    );
    expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.message)).to.deep.equal(['job 5 fails']);
    const written = await AuditRecords.findAll({ where: { action: 'grouped' }, order: [['id', 'ASC']] });
    expect(written.map((r) => (r.detail as { i: number }).i)).to.deep.equal([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: before + 11 });
  });

  it('given chain jobs each holding the event loop longer than the group budget, when committed, then the group is split, each part acknowledged after its commit, and a timer fires between the parts', async () => {
    const before = await AuditRecords.count();
    const events: string[] = [];
    const jobs = [0, 1, 2].map((i) =>
      withAuditChain(async (chain) => {
        events.push(`ran ${i}`);
        const entry = await chain.append({ caseId: '12', actor: 'budget', action: 'budgeted', detail: { i } });
        if (i === 0) setTimeout(() => events.push('timer'), 0); // due while job 0 still holds the loop
        holdLoop(GROUP_LOOP_BUDGET_MS + 5);
        return entry;
      }).then((entry) => {
        events.push(`ack ${i}`);
        return entry;
      }),
    );
    const entries = await Promise.all(jobs);
    expect(events.filter((e) => e.startsWith('ran'))).to.deep.equal(['ran 0', 'ran 1', 'ran 2']);
    expect(events.indexOf('timer')).to.be.within(1, events.indexOf('ran 1'));
    // on SQLite a group runs through without a turn of the loop: without the budget all three would share
    // one transaction and be acknowledged together after the last; over MySQL every statement waits for
    // the network, the loop turns there, and the group may stay whole
    if (db.dialect === 'sqlite') expect(events.indexOf('ack 0')).to.be.below(events.indexOf('ran 1'));
    expect(entries[1]!.prevHash).to.equal(entries[0]!.hash);
    expect(entries[2]!.prevHash).to.equal(entries[1]!.hash);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: before + 3 });
  });

  it('given records of several cases, when one case is traced, then only its records come back, oldest first', async () => {
    const trail = await caseAuditTrail('1');
    expect(trail.map((r) => r.action)).to.deep.equal(['accepted', 'routed']);
  });

  // a change before the latest checkpoint is for a full run to find (verify-chain.test.ts covers the incremental ones)
  describe('tampering', () => {
    const raw = (sql: string, params: unknown[]) => query(sql, params);
    const fullRun = () => verifyAuditChain({ from: 'start' });

    it('given an edited record, when verified, then that record is named', async () => {
      const target = (await AuditRecords.findOne({ where: { action: 'routed' } }))!;
      const original = JSON.stringify(target.detail);
      await raw('UPDATE audit_log SET detail = ? WHERE id = ?', [JSON.stringify({ unitCode: 'D-CGJ' }), target.id]);
      const result = await fullRun();
      expect(result.ok).to.equal(false);
      expect(result.firstBroken).to.deep.include({ id: target.id });
      expect(result.firstBroken!.reason).to.contain('changed');
      await raw('UPDATE audit_log SET detail = ? WHERE id = ?', [original, target.id]);
      expect((await fullRun()).ok).to.equal(true);
    });

    it('given a record deleted from the middle, when verified, then the record after the gap is named', async () => {
      const rows = await AuditRecords.findAll({ order: [['id', 'ASC']], limit: 3 });
      const victim = rows[1]!;
      const next = rows[2]!;
      await raw('DELETE FROM audit_log WHERE id = ?', [victim.id]);
      const result = await fullRun();
      expect(result.ok).to.equal(false);
      expect(result.firstBroken!.id).to.equal(next.id);
      expect(result.firstBroken!.reason).to.contain('prevHash');
    });

    it('given the newest record deleted, when verified, then the cut-off tail is reported', async () => {
      // a fresh chain for this case: the middle deletion above stays broken otherwise
      await raw('DELETE FROM audit_log', []);
      await raw('UPDATE audit_chain_head SET last_id = NULL, last_hash = ?, records = 0 WHERE id = 1', [AUDIT_GENESIS_HASH]);
      await raw('DELETE FROM audit_checkpoints', []);
      await appendAudit({ caseId: '5', actor: 'a', action: 'one' });
      const last = await appendAudit({ caseId: '5', actor: 'a', action: 'two' });
      expect((await fullRun()).ok).to.equal(true);
      await raw('DELETE FROM audit_log WHERE id = ?', [last.id]);
      const result = await fullRun();
      expect(result.ok).to.equal(false);
      expect(result.checked).to.equal(1);
      expect(result.firstBroken!.reason).to.contain('removed from the end');
    });
  });
});
