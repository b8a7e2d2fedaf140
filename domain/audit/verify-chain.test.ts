import { expect } from 'chai';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { query } from '../../test/support/tables.js';
import { freshDatabase } from '../../test/support/database.js';
import { appendChainRecords } from '../../test/support/audit-chain.js';
import { storedDate } from './stored-records.js';
import { AUDIT_GENESIS_HASH, appendAudit, auditHash, latestCheckpoint, verifyAuditChain, type VerifyProgress } from './index.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;
type Row = Record<string, unknown>;

describe('audit chain verification: checkpoints, batches, the event loop (domain/audit)', function () {
  this.timeout(120_000);
  let db: Db;
  const q = (sql: string, params: unknown[] = []) => query(sql, params);
  const select = (sql: string, params: unknown[] = []) => query<Row>(sql, params);
  const rowOf = async (id: string) => (await select('SELECT * FROM audit_log WHERE id = ?', [id]))[0]!;
  const COLUMNS = ['case_id', 'actor', 'actor_role', 'action', 'detail', 'dedup_key', 'prev_hash', 'hash', 'created_at'];
  const restore = (row: Row) => q(`UPDATE audit_log SET ${COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...COLUMNS.map((c) => row[c]), row['id']]);
  const headId = async () => String((await select('SELECT last_id FROM audit_chain_head WHERE id = 1'))[0]!['last_id']);

  /** a new, empty chain for each test: records, head and checkpoints */
  beforeEach(async () => {
    await q('DELETE FROM audit_log');
    await q('DELETE FROM audit_checkpoints');
    await q('UPDATE audit_chain_head SET last_id = NULL, last_hash = ?, records = 0 WHERE id = 1', [AUDIT_GENESIS_HASH]);
  });
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given a chain verified once, when records are appended and it is verified again, then only the new records are read, after the checkpoint', async () => {
    const first = await appendChainRecords(30);
    const full = await verifyAuditChain();
    expect(full).to.deep.equal({ ok: true, from: 'start', resumedAfter: null, checked: 30, checkedThisRun: 30, verifiedThrough: first[29], firstBroken: null });
    expect(await latestCheckpoint()).to.deep.include({ mode: 'full', lastId: first[29], records: 30 });

    const more = await appendChainRecords(12);
    await appendAudit({ caseId: '7', actor: 'clerk', action: 'handled', detail: { note: '中文' } });
    const again = await verifyAuditChain();
    expect(again).to.deep.include({ ok: true, from: 'checkpoint', resumedAfter: first[29], checked: 43, checkedThisRun: 13, verifiedThrough: await headId() });
    expect(await latestCheckpoint()).to.deep.include({ mode: 'incremental', lastId: await headId(), records: 43 });

    // nothing new: the checkpointed record is read again, nothing else
    expect(await verifyAuditChain()).to.deep.include({ ok: true, from: 'checkpoint', checked: 43, checkedThisRun: 0 });
    expect(more).to.have.length(12);
  });

  it('given a batch size, when verified, then it reads batch by batch, reporting progress after each, and moves the checkpoint as it goes', async () => {
    const ids = await appendChainRecords(50);
    const progress: VerifyProgress[] = [];
    const checkpointsSeen: Array<string | null> = [];
    const result = await verifyAuditChain({
      batchSize: 20,
      onProgress: async (p) => {
        progress.push(p);
        checkpointsSeen.push((await latestCheckpoint())?.lastId ?? null);
      },
    });
    expect(result.ok).to.equal(true);
    expect(progress).to.deep.equal([
      { checked: 20, checkedThisRun: 20, currentId: ids[19] },
      { checked: 40, checkedThisRun: 40, currentId: ids[39] },
      { checked: 50, checkedThisRun: 50, currentId: ids[49] },
    ]);
    // the first batch's checkpoint is written at once (later ones at most once a second)
    expect(checkpointsSeen[0]).to.equal(ids[19]);
    expect((await latestCheckpoint())!.lastId).to.equal(ids[49]);
  });

  it('given a record changed after the checkpoint, when verified incrementally, then that record is named', async () => {
    await appendChainRecords(10);
    await verifyAuditChain();
    const added = await appendChainRecords(5);
    const original = await rowOf(added[2]!);
    await q('UPDATE audit_log SET detail = ? WHERE id = ?', [JSON.stringify({ i: 99 }), added[2]]);
    const result = await verifyAuditChain();
    expect(result).to.deep.include({ ok: false, from: 'checkpoint', checked: 12, checkedThisRun: 2, verifiedThrough: added[1] });
    expect(result.firstBroken).to.deep.equal({ id: added[2], reason: 'content does not match its hash (the record was changed)' });
    await restore(original);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: 15 });
  });

  it('given a record changed before the checkpoint, when verified incrementally it is not seen, a full run names it, and incremental runs name it from then on', async () => {
    const ids = await appendChainRecords(20);
    await verifyAuditChain();
    const original = await rowOf(ids[4]!);
    await q('UPDATE audit_log SET actor = ? WHERE id = ?', ['someone-else', ids[4]]);

    // what an incremental run does not prove: it never reads records before its checkpoint
    expect(await verifyAuditChain()).to.deep.include({ ok: true, from: 'checkpoint', checkedThisRun: 0 });
    const full = await verifyAuditChain({ from: 'start' });
    expect(full).to.deep.include({ ok: false, from: 'start', checked: 4, verifiedThrough: ids[3] });
    expect(full.firstBroken!.id).to.equal(ids[4]);
    // the full run made the checkpoints past the break unusable: an incremental run resumes before it
    const incremental = await verifyAuditChain();
    expect(incremental).to.deep.include({ ok: false, from: 'checkpoint', resumedAfter: ids[3] });
    expect(incremental.firstBroken!.id).to.equal(ids[4]);

    await restore(original);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, from: 'checkpoint', resumedAfter: ids[3], checked: 20, checkedThisRun: 16 });
  });

  it("given the checkpointed record itself rewritten or removed, when verified incrementally, then the checkpoint's record is named", async () => {
    const ids = await appendChainRecords(8);
    await verifyAuditChain();
    const last = await rowOf(ids[7]!);

    await q('UPDATE audit_log SET action = ? WHERE id = ?', ['rejected', ids[7]]);
    let result = await verifyAuditChain();
    expect(result).to.deep.include({ ok: false, from: 'checkpoint', resumedAfter: ids[7], checked: 0, verifiedThrough: null });
    expect(result.firstBroken).to.deep.equal({ id: ids[7], reason: 'content does not match its hash (the record was changed)' });
    await restore(last);

    // record and hash rewritten together, so that it hashes right: the checkpoint remembers the old hash
    const forged = { ...last, action: 'rejected' };
    const forgedHash = auditHash(String(last['prev_hash']), {
      caseId: String(last['case_id']),
      actor: String(last['actor']),
      actorRole: null,
      action: 'rejected',
      detail: JSON.parse(String(last['detail'])) as Record<string, unknown>,
      dedupKey: null,
      createdAt: storedDate(last['created_at'])!,
    });
    await restore({ ...forged, hash: forgedHash });
    await q('UPDATE audit_chain_head SET last_hash = ? WHERE id = 1', [forgedHash]);
    await q('UPDATE audit_checkpoints SET invalidated_at = NULL'); // as the run before left them
    result = await verifyAuditChain();
    expect(result.firstBroken!.id).to.equal(ids[7]);
    expect(result.firstBroken!.reason).to.contain('differs from the').and.contain('rewritten');
    await restore(last);
    await q('UPDATE audit_chain_head SET last_hash = ? WHERE id = 1', [last['hash']]);

    await q('UPDATE audit_checkpoints SET invalidated_at = NULL');
    await q('DELETE FROM audit_log WHERE id = ?', [ids[7]]);
    result = await verifyAuditChain();
    expect(result.firstBroken!.id).to.equal(ids[7]);
    expect(result.firstBroken!.reason).to.contain('the checkpointed record is gone');
  });

  it("given a rewrite that recomputed every hash from a record to the end and moved the head, when fully verified, then the links hold but the checkpoint's hash does not", async () => {
    const ids = await appendChainRecords(12);
    await verifyAuditChain(); // checkpoint at ids[11]
    await appendChainRecords(3);
    // rewrite ids[5] and recompute ids[5..14] as someone with the code and write access could
    const all = await select('SELECT * FROM audit_log ORDER BY id');
    let prev = String(all[4]!['hash']);
    for (const row of all.slice(5)) {
      const detail = row['id'] === all[5]!['id'] ? { i: 500 } : (JSON.parse(String(row['detail'])) as Record<string, unknown>);
      const hash = auditHash(prev, {
        caseId: String(row['case_id']),
        actor: String(row['actor']),
        actorRole: null,
        action: String(row['action']),
        detail,
        dedupKey: null,
        createdAt: storedDate(row['created_at'])!,
      });
      await q('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?', [JSON.stringify(detail), prev, hash, row['id']]);
      prev = hash;
    }
    await q('UPDATE audit_chain_head SET last_hash = ? WHERE id = 1', [prev]);
    const result = await verifyAuditChain({ from: 'start' });
    expect(result).to.deep.include({ ok: false, checked: 11 });
    expect(result.firstBroken!.id).to.equal(ids[11]);
    expect(result.firstBroken!.reason).to.contain('rewritten');
  });

  it('given records cut off the end or appended outside the chain, when verified, then both are named', async () => {
    const ids = await appendChainRecords(6);
    await verifyAuditChain();
    const tail = await appendChainRecords(2);
    const removed = await rowOf(tail[1]!);
    await q('DELETE FROM audit_log WHERE id = ?', [tail[1]]);
    let result = await verifyAuditChain();
    expect(result).to.deep.include({ ok: false, checked: 7 });
    expect(result.firstBroken!.id).to.equal(tail[1]);
    expect(result.firstBroken!.reason).to.contain('removed from the end');
    await q(`INSERT INTO audit_log (id, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`, [
      removed['id'],
      ...COLUMNS.map((c) => removed[c]),
    ]);
    expect((await verifyAuditChain()).ok).to.equal(true);

    // a record with a correct link and hash, inserted without moving the chain head
    const content = {
      caseId: '1',
      actor: 'forger',
      actorRole: null,
      action: 'closed',
      detail: null,
      dedupKey: null,
      createdAt: new Date('2026-01-02T00:00:00Z'),
    };
    const hash = auditHash(String(removed['hash']), content);
    await q('INSERT INTO audit_log (case_id, actor, action, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      '1',
      'forger',
      'closed',
      removed['hash'],
      hash,
      content.createdAt,
    ]);
    const [stray] = await select('SELECT id FROM audit_log WHERE actor = ?', ['forger']);
    result = await verifyAuditChain();
    expect(result.firstBroken!.id).to.equal(String(stray!['id']));
    expect(result.firstBroken!.reason).to.contain('appended outside the audit chain');
    expect(ids).to.have.length(6);
  });

  it('given records appended while a verification runs, even as it reaches the end, then it reads on and reports no cut-off end', async () => {
    await appendChainRecords(3_000);
    let appended = 0;
    // one append after every batch: the last lands between the run's last read and its look at the chain head
    const result = await verifyAuditChain({
      from: 'start',
      batchSize: 250,
      onProgress: async () => {
        await appendAudit({ caseId: '3', actor: 'clerk', action: 'during-verify', detail: { n: appended++ } });
      },
    });
    expect(result.ok, JSON.stringify(result.firstBroken)).to.equal(true);
    // 12 full batches, the 12 records appended meanwhile, then three rounds of one more each; the last append is left for the next run
    expect(appended).to.equal(16);
    expect(result.checkedThisRun).to.equal(3_000 + appended - 1);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, checked: 3_000 + appended, checkedThisRun: 1 });
  });

  // measured: a synchronous read of the same 50,000 rows alone holds the loop ~200 ms (raw) to ~570 ms (model), hashing them as long again
  it('given 50,000 records, when fully verified, then the event loop is never held long (max delay well under 200 ms)', async function () {
    this.timeout(300_000);
    for (let i = 0; i < 5; i++) await appendChainRecords(10_000, { start: new Date(Date.UTC(2026, 0, 1) + i * 10_000_000) });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    let batches = 0;
    // the sampling timer runs before and after the run, so a block at either end of it is measured too
    delay.enable();
    await pause();
    const started = performance.now();
    const result = await verifyAuditChain({
      from: 'start',
      onProgress: () => {
        batches++;
      },
    });
    const elapsedMs = performance.now() - started;
    await pause();
    delay.disable();
    const maxMs = delay.max / 1e6;
    console.log(
      `      50,000 records verified in ${elapsedMs.toFixed(0)} ms; event loop delay max ${maxMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms`,
    );
    expect(result).to.deep.include({ ok: true, checked: 50_000, checkedThisRun: 50_000 });
    expect(batches).to.equal(25);
    expect(maxMs).to.be.below(200);
  });
});
