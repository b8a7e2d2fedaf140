import { expect } from 'chai';
import { AuditRecords, query } from '../support/tables.js';
import { appendAudit } from '../../domain/audit/index.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

type Row = Record<string, unknown>;
interface Verify {
  ok: boolean;
  checked: number;
  from: string;
  resumedAfter: string | null;
  checkedThisRun: number;
  verifiedThrough: string | null;
  firstBroken?: { id: string; reason: string };
}

describe('REST API: audit log verify and CSV export', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let auditor: string;
  let ids: string[];
  const q = (sql: string, params: unknown[] = []) => query(sql, params);
  const select = (sql: string, params: unknown[] = []) => query<Row>(sql, params);
  /** a full run: the tampering below is before the checkpoint the first verification left (incremental runs: audit-verify-stream.test.ts) */
  const verify = async () => (await api.call<Verify>('GET', '/audit/verify?from=start', { token: auditor })).body;
  const rowOf = async (id: string) => (await select('SELECT * FROM audit_log WHERE id = ?', [id]))[0]!;
  const COLUMNS = ['case_id', 'actor', 'actor_role', 'action', 'detail', 'dedup_key', 'prev_hash', 'hash', 'created_at'];
  /** puts a row back exactly as it was read */
  const restore = async (row: Row) =>
    q(`UPDATE audit_log SET ${COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...COLUMNS.map((c) => row[c]), row['id']]);
  const reinsert = async (row: Row) =>
    q(`INSERT INTO audit_log (id, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`, [row['id'], ...COLUMNS.map((c) => row[c])]);

  before(async () => {
    api = await openApiWorld();
    auditor = await api.login('auditor');
    await appendAudit({
      caseId: '1',
      actor: 'operator',
      actorRole: 'operator',
      action: 'accepted',
      detail: { note: '受理' },
      at: new Date('2026-01-01T02:00:00Z'),
    });
    await appendAudit({
      caseId: '1',
      actor: '=HYPERLINK("http://evil")',
      actorRole: null,
      action: '+cmd',
      detail: { text: '@SUM(A1)', line: '中文,含逗号"引号"' },
      at: new Date('2026-01-01T15:59:00Z'),
    });
    await appendAudit({ caseId: '2', actor: 'worker:case-route', action: 'routed', detail: { unitCode: 'T-XP' }, at: new Date('2026-01-01T16:00:00Z') });
    await appendAudit({ caseId: null, actor: 'clerk', actorRole: 'dept_staff', action: 'handled', detail: null });
    await appendAudit({ caseId: '3', actor: 'admin', actorRole: 'admin', action: 'last', detail: { n: 5 } });
    ids = (await AuditRecords.findAll({ order: [['id', 'ASC']], attributes: ['id'] })).map((r) => r.id);
  });
  after(() => api.close());

  describe('GET /audit/verify', () => {
    it('given an untouched log, when the auditor and the admin verify it, then every record checks out', async () => {
      const res = await api.call<Verify>('GET', '/audit/verify', { token: auditor });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        ok: true,
        checked: ids.length,
        from: 'start',
        resumedAfter: null,
        checkedThisRun: ids.length,
        verifiedThrough: ids[ids.length - 1],
      });
      expect((await api.call<Verify>('GET', '/audit/verify', { token: await api.login('admin') })).body.ok).to.equal(true);
    });

    it('given no token or a role that is not admin/auditor, when verify is asked for, then 401/403 and nothing changes', async () => {
      const users = ['operator', 'clerk', 'dept_leader', 'gridworker', 'leader'];
      const tokens = await Promise.all(users.map((u) => api.login(u)));
      const before = await snapshot();
      expect((await api.call('GET', '/audit/verify')).status).to.equal(401);
      for (const [i, user] of users.entries()) {
        const res = await api.call('GET', '/audit/verify', { token: tokens[i] });
        expect(res.status, user).to.equal(403);
        expect(res.body['code']).to.equal('forbidden');
      }
      expect(await snapshot()).to.equal(before);
    });

    it('given an unknown query parameter, when verify is asked for, then 400 invalid_input', async () => {
      const res = await api.call('GET', '/audit/verify?x=1', { token: auditor });
      expect(res.status).to.equal(400);
      expect(res.body['code']).to.equal('invalid_input');
    });

    const edits: Array<[string, unknown]> = [
      ['detail', JSON.stringify({ note: '已篡改' })],
      ['actor', 'someone-else'],
      ['actor_role', 'admin'],
      ['action', 'rejected'],
      ['case_id', 99],
      ['created_at', '2025-12-31 00:00:00'],
      ['dedup_key', 'forged'],
      ['hash', 'f'.repeat(64)],
      ['prev_hash', '0'.repeat(63) + '1'],
    ];
    for (const [column, value] of edits) {
      it(`given the ${column} of a record in the middle changed, when verified, then that record is named as the first broken link`, async () => {
        const target = ids[2]!;
        const original = await rowOf(target);
        await q(`UPDATE audit_log SET ${column} = ? WHERE id = ?`, [value, target]);
        try {
          const result = await verify();
          expect(result.ok).to.equal(false);
          expect(result.firstBroken!.id).to.equal(target);
          expect(result.checked).to.equal(2);
        } finally {
          await restore(original);
        }
        expect((await verify()).ok).to.equal(true);
      });
    }

    it('given a record deleted from the middle, when verified, then the record after the gap is named', async () => {
      const victim = await rowOf(ids[1]!);
      await q('DELETE FROM audit_log WHERE id = ?', [ids[1]]);
      try {
        const result = await verify();
        expect(result.ok).to.equal(false);
        expect(result.firstBroken!.id).to.equal(ids[2]);
        expect(result.firstBroken!.reason).to.contain('prevHash');
      } finally {
        await reinsert(victim);
      }
      expect((await verify()).ok).to.equal(true);
    });

    it('given two records swapped (reordered), when verified, then the first of them is named', async () => {
      const a = await rowOf(ids[1]!);
      const b = await rowOf(ids[2]!);
      // swap every column but the id: the log now tells the two actions in the other order
      await q('UPDATE audit_log SET hash = ? WHERE id = ?', ['tmp-a', ids[1]]); // the hash column is unique
      await restore({ ...b, id: ids[2], hash: 'tmp-b' });
      await restore({ ...a, id: ids[2] });
      await restore({ ...b, id: ids[1] });
      try {
        const result = await verify();
        expect(result.ok).to.equal(false);
        expect(result.firstBroken!.id).to.equal(ids[1]);
      } finally {
        await q('UPDATE audit_log SET hash = ? WHERE id = ?', ['tmp-a', ids[1]]);
        await restore(b);
        await restore(a);
      }
      expect((await verify()).ok).to.equal(true);
    });

    it('given the newest record deleted, when verified, then the cut-off end is reported', async () => {
      const last = await rowOf(ids[ids.length - 1]!);
      await q('DELETE FROM audit_log WHERE id = ?', [last['id']]);
      try {
        const result = await verify();
        expect(result.ok).to.equal(false);
        expect(result.checked).to.equal(ids.length - 1);
        expect(result.firstBroken!.reason).to.contain('removed from the end');
      } finally {
        await reinsert(last);
      }
      expect((await verify()).ok).to.equal(true);
    });

    it('given a forged record appended by hand, when verified, then it is named', async () => {
      await q('INSERT INTO audit_log (case_id, actor, action, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        1,
        'forger',
        'closed',
        'x'.repeat(64),
        'y'.repeat(64),
        '2026-01-02 00:00:00',
      ]);
      const forged = (await AuditRecords.findOne({ where: { actor: 'forger' } }))!;
      try {
        const result = await verify();
        expect(result.ok).to.equal(false);
        expect(result.firstBroken!.id).to.equal(forged.id);
      } finally {
        await q('DELETE FROM audit_log WHERE id = ?', [forged.id]);
      }
      expect((await verify()).ok).to.equal(true);
    });
  });

  describe('GET /audit/log.csv', () => {
    const csv = async (query: string, token: string | null = auditor) => {
      const res = await fetch(`${api.base}/audit/log.csv${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
    };
    const lines = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n').filter(Boolean);

    it('given the log, when exported, then it is UTF-8 with a BOM, a header row and one row per record, formulas defused', async () => {
      const res = await csv('');
      expect(res.status).to.equal(200);
      expect(res.type).to.match(/^text\/csv/);
      expect([...res.bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const rows = lines(res.bytes);
      expect(rows[0]).to.equal('id,createdAt (UTC+08:00),caseId,actor,actorRole,action,detail,dedupKey,prevHash,hash');
      expect(rows).to.have.length(ids.length + 1);
      const evil = rows.find((r) => r.includes('HYPERLINK'))!;
      // a formula start gets a leading quote; quotes inside are doubled, the cell quoted
      expect(evil).to.contain(`,"'=HYPERLINK(""http://evil"")",`);
      expect(evil).to.contain(",'+cmd,");
      expect(evil).to.contain('中文');
      expect(rows.some((r) => r.split(',').some((cell) => /^[=+\-@]/.test(cell)))).to.equal(false);
    });

    it("given from and to as local days, when exported, then only that Beijing day's records come (16:00Z is the next local day), in local time with the offset", async () => {
      const rows = lines((await csv('?from=2026-01-01&to=2026-01-01')).bytes);
      expect(rows.slice(1).map((r) => r.split(',')[1])).to.deep.equal(['2026-01-01 10:00:00.000 +08:00', '2026-01-01 23:59:00.000 +08:00']);
      const next = lines((await csv('?from=2026-01-02T00:00:00%2B08:00&to=2026-01-03')).bytes);
      expect(next.slice(1).map((r) => r.split(',')[5])).to.deep.equal(['routed']);
    });

    it('given bad dates or from after to, when exported, then 400 invalid_input', async () => {
      for (const query of ['?from=yesterday', '?to=2026-13-01', '?from=2026-02-01&to=2026-01-01', '?limit=5']) {
        const res = await api.call('GET', `/audit/log.csv${query}`, { token: auditor });
        expect(res.status, query).to.equal(400);
        expect(res.body['code']).to.equal('invalid_input');
      }
    });

    it('given no token or a non-auditing role, when exported, then 401/403', async () => {
      expect((await csv('', null)).status).to.equal(401);
      for (const user of ['operator', 'clerk', 'leader']) expect((await csv('', await api.login(user))).status, user).to.equal(403);
    });
  });
});
