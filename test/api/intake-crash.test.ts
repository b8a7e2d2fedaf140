import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startDatabase, type Database } from '../../db/index.js';
import { AuditRecord, Case } from '../../db/models/index.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { Engine } from '../../engine/index.js';

const CHILD = new URL('./support/serve-child.ts', import.meta.url).pathname;

/**
 * Intake commits in shared (group) transactions and reused connections (domain/audit, db/connection.ts):
 * a 201 is sent only after its commit, so whatever was acknowledged is on disk when the process dies.
 */
describe('intake / killed server (SIGKILL under 50 concurrent reports)', function () {
  this.timeout(120_000);
  let dir: string;
  let db: Database | null = null;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ywtg-intake-crash-')); });
  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('given reports being filed at once, when the server is killed, then every acknowledged case is there with its instance and its audit record, and the chain verifies', async () => {
    const url = `sqlite:${join(dir, 'crash.sqlite')}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'fatal', DEMO_DATA: 'true', ENGINE: 'embedded' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => { const m = /^READY (\S+)/.exec(line); if (m) resolve(`${m[1]}/api`); });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
    });
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'Demo@2026' }) });
    const { token } = (await login.json()) as { token: string };

    const acknowledged: string[] = [];
    let killed = false;
    const reporter = async () => {
      while (!killed) {
        try {
          const res = await fetch(`${base}/cases`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ description: '井盖缺失，夜间行人易绊倒', lat: 25.5993, lng: 103.835 }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch { /* the server is gone */ }
      }
    };
    const reporters = Array.from({ length: 50 }, reporter);
    // kill once some reports were acknowledged, so others are surely in flight
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    killed = true;
    await Promise.allSettled(reporters);
    await exited;

    db = await startDatabase(url);
    expect(acknowledged.length).to.be.greaterThan(39);
    expect(await Case.count({ where: { id: acknowledged } }), 'acknowledged cases on disk').to.equal(acknowledged.length);
    expect(await Case.count({ where: { id: acknowledged, processInstanceKey: null } }), 'acknowledged cases without their process instance').to.equal(0);
    expect(await AuditRecord.count({ where: { caseId: acknowledged, action: 'reported' } }), 'their reported records').to.equal(acknowledged.length);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, firstBroken: null });
    // and the engine (its own SQLite file) has every instance those cases name
    const engine = await Engine.open({ databaseUrl: `sqlite:${join(dir, 'engine.sqlite')}` });
    try {
      const keys = (await Case.findAll({ where: { id: acknowledged }, attributes: ['processInstanceKey'] })).map((c) => c.processInstanceKey!);
      const missing = [];
      for (const key of keys) if (!(await engine.getInstance(key))) missing.push(key);
      expect(missing, 'process instances of acknowledged cases missing from the engine').to.deep.equal([]);
    } finally {
      await engine.close();
    }
  });
});
