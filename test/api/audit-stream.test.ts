import { expect } from 'chai';
import { query } from '../support/tables.js';
import { request } from 'node:http';
import { appendAudit } from '../../domain/audit/index.js';
import { appendChainRecords } from '../support/audit-chain.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

type Line = Record<string, unknown>;
const START = new Date('2026-02-01T00:00:00Z');

describe('REST API: the audit verification streamed, the CSV export streamed', function () {
  this.timeout(180_000);
  let api: ApiWorld;
  let auditor: string;
  let bulk: string[];
  const select = <T extends object>(sql: string, replacements: unknown[] = []) => query<T>(sql, replacements);
  const chain = async () =>
    (await select<{ id: unknown; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id')).map((r) => ({ id: String(r.id), hash: r.hash }));

  const verifyStream = async (query = '') => {
    const res = await fetch(`${api.base}/audit/verify${query}`, { headers: { Authorization: `Bearer ${auditor}`, Accept: 'application/x-ndjson' } });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      lines: text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line),
      text,
    };
  };
  const csv = async (query = '') => {
    const res = await fetch(`${api.base}/audit/log.csv${query}`, { headers: { Authorization: `Bearer ${auditor}` } });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
    return { status: res.status, text };
  };
  /** id and hash of every data row: the first cell and the last (cells with commas are quoted, these two never are) */
  const idsAndHashes = (text: string) =>
    text
      .slice(1)
      .split('\r\n')
      .filter(Boolean)
      .slice(1)
      .map((row) => {
        const m = /^(\d+),.*,([0-9a-f]{64})$/.exec(row);
        if (!m) throw new Error(`not a record row: ${row.slice(0, 120)}`);
        return { id: m[1]!, hash: m[2]! };
      });

  before(async () => {
    api = await openApiWorld();
    auditor = await api.login('auditor');
    // 5,000 records, 400 to a second: periods end in the middle of a second's records and of a read's batch
    bulk = await appendChainRecords(5_000, { caseId: '42', start: START, perSecond: 400 });
  });
  after(() => api.close());

  describe('GET /audit/verify as NDJSON', () => {
    it('given more than 5,000 records, when a full run is streamed, then a start line, one progress line per 2,000 records and the verdict arrive as NDJSON', async () => {
      const records = await chain();
      const res = await verifyStream('?from=start');
      expect(res.status).to.equal(200);
      expect(res.type).to.match(/^application\/x-ndjson/);
      expect(res.text.endsWith('\n')).to.equal(true);
      expect(res.lines[0]).to.deep.equal({ type: 'start', from: 'start', resumedAfter: null, checked: 0 });
      const progress = res.lines.filter((l) => l['type'] === 'progress');
      expect(progress).to.have.length(Math.ceil(records.length / 2_000));
      progress.forEach((p, i) => {
        const checked = Math.min((i + 1) * 2_000, records.length);
        expect(p).to.deep.equal({ type: 'progress', checked, checkedThisRun: checked, currentId: records[checked - 1]!.id });
      });
      expect(res.lines).to.have.length(progress.length + 2);
      expect(res.lines[res.lines.length - 1]).to.deep.equal({
        type: 'result',
        ok: true,
        checked: records.length,
        from: 'start',
        resumedAfter: null,
        checkedThisRun: records.length,
        verifiedThrough: records[records.length - 1]!.id,
      });
    });

    it('given the chain verified, when records are appended and it is streamed again, then it resumes after the checkpoint and reads the new records only', async () => {
      const before = await chain();
      await appendAudit({ caseId: '42', actor: 'clerk', actorRole: 'dept_staff', action: 'handled', detail: { note: '已处理' } });
      await appendAudit({ caseId: '42', actor: 'operator', actorRole: 'operator', action: 'closed' });
      const after = await chain();
      const res = await verifyStream();
      expect(res.lines).to.deep.equal([
        { type: 'start', from: 'checkpoint', resumedAfter: before[before.length - 1]!.id, checked: before.length },
        { type: 'progress', checked: after.length, checkedThisRun: 2, currentId: after[after.length - 1]!.id },
        {
          type: 'result',
          ok: true,
          checked: after.length,
          from: 'checkpoint',
          resumedAfter: before[before.length - 1]!.id,
          checkedThisRun: 2,
          verifiedThrough: after[after.length - 1]!.id,
        },
      ]);
    });

    it('given a record changed after the checkpoint, when streamed, then the verdict names it, as the JSON answer does', async () => {
      const added = await appendAudit({ caseId: '42', actor: 'clerk', action: 'returned', detail: { reason: '不属本单位' } });
      const [original] = await select<{ detail: string }>('SELECT detail FROM audit_log WHERE id = ?', [added.id]);
      await query('UPDATE audit_log SET detail = ? WHERE id = ?', [JSON.stringify({ reason: '已篡改' }), added.id]);
      try {
        const streamed = await verifyStream();
        const verdict = streamed.lines[streamed.lines.length - 1]!;
        expect(verdict).to.deep.include({ type: 'result', ok: false, from: 'checkpoint', checkedThisRun: 0 });
        expect(verdict['firstBroken']).to.deep.equal({ id: added.id, reason: 'content does not match its hash (the record was changed)' });
        const json = await api.call<Line>('GET', '/audit/verify', { token: auditor });
        expect(json.headers.get('content-type')).to.match(/^application\/json/);
        const { type: _type, ...sameAsJson } = verdict;
        expect(json.body).to.deep.equal(sameAsJson);
      } finally {
        await query('UPDATE audit_log SET detail = ? WHERE id = ?', [original!.detail, added.id]);
      }
      expect((await verifyStream()).lines.pop()).to.deep.include({ ok: true });
    });

    it('given a bad from, when verification is asked for, then 400 invalid_input', async () => {
      const res = await api.call('GET', '/audit/verify?from=yesterday', { token: auditor });
      expect(res.status).to.equal(400);
      expect(res.body['code']).to.equal('invalid_input');
    });
  });

  describe('GET /audit/log.csv streamed', () => {
    it('given more than 5,000 records, when the whole log is exported, then every record arrives once, in id order, with its stored hash', async () => {
      const res = await csv();
      expect(res.status).to.equal(200);
      const rows = idsAndHashes(res.text);
      expect(rows.length).to.be.greaterThan(5_000);
      expect(rows).to.deep.equal(await chain());
      // and the content of one of them, cell by cell
      const line = res.text.split('\r\n').find((l) => l.startsWith(`${bulk[4_321]},`))!;
      expect(line).to.equal(`${bulk[4_321]},2026-02-01 08:00:10.000 +08:00,42,bulk,,bulk-append,"{""i"":4321}",,${line.slice(-129, -65)},${line.slice(-64)}`);
    });

    it('given a period ending in the middle of a second of 400 records, when exported, then exactly the records of that period come, in time order', async () => {
      // seconds 3 to 8 of the bulk records: 2,400 records, across three reads of 1,000
      const res = await csv(`?from=${encodeURIComponent('2026-02-01T00:00:03Z')}&to=${encodeURIComponent('2026-02-01T00:00:09Z')}`);
      expect(idsAndHashes(res.text).map((r) => r.id)).to.deep.equal(bulk.slice(1_200, 3_600));
    });

    it('given a client that stops reading for a while, when it reads on, then the export completes unchanged (the server waited for it)', async () => {
      const whole = (await csv()).text;
      const url = new URL(`${api.base}/audit/log.csv`);
      const paused = await new Promise<string>((resolve, reject) => {
        const req = request(url, { headers: { Authorization: `Bearer ${auditor}` } }, (res) => {
          const chunks: Buffer[] = [];
          let stopped = false;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            if (!stopped) {
              stopped = true;
              res.pause(); // the socket's buffers fill and the server's writes return false
              setTimeout(() => res.resume(), 500);
            }
          });
          res.on('end', () => resolve(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(chunks))));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
      expect(paused).to.equal(whole);
    });

    it('given a client that goes away half-way, when the server notices, then it stops and goes on serving', async () => {
      await new Promise<void>((resolve, reject) => {
        const req = request(new URL(`${api.base}/audit/log.csv`), { headers: { Authorization: `Bearer ${auditor}` } }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
        req.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await csv(`?from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-02-01T00:00:01Z')}`);
      expect(idsAndHashes(res.text).map((r) => r.id)).to.deep.equal(bulk.slice(0, 400));
    });
  });
});
