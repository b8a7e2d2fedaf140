import { expect } from 'chai';
import { query } from '../support/tables.js';
import Sqlite from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabase, type Database } from '../../db/index.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import type { IntakeStep } from '../../domain/intake/crash-points.js';
import { emptyDatabase, isMysql, testDatabaseUrl } from '../support/database.js';
import { killChildServer, startChildServer, type ChildServer } from './support/child-server.js';

const PASSWORD = 'Demo@2026';

type Server = ChildServer;

/**
 * Filing is three transactions (the case row with its intent, the engine's instance, the instance key with the
 * mapping and the audit record): a server killed between any two of them must leave nothing half-filed once
 * it is started again — no case without its instance, no instance without its case, every acknowledged report
 * processed — and a reporter's retry with the same Idempotency-Key must get the first case, not a second.
 * Runs on SQLite (engine in its own file) and, with DATABASE_URL, on MariaDB (engine tables beside the app's).
 */
describe('intake / killed server', function () {
  this.timeout(300_000);
  let dir: string;
  let url: string;
  let db: Database | null = null;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ywtg-intake-crash-'));
    url = testDatabaseUrl();
    await emptyDatabase(url);
  });
  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}): Promise<Server> => startChildServer(url, dir, env);
  const kill = killChildServer;
  async function login(base: string): Promise<string> {
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORD }),
    });
    return ((await res.json()) as { token: string }).token;
  }
  /** files one report under an Idempotency-Key: the case id, or null when the server did not answer */
  async function file(base: string, token: string, key: string, description: string): Promise<string | null> {
    try {
      const res = await fetch(`${base}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: JSON.stringify({ description, lat: 25.5993, lng: 103.835 }),
      });
      if (res.status !== 201) throw new Error(`filing ${key}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    } catch (err) {
      if ((err as Error).message.startsWith('filing ')) throw err;
      return null; // the server is gone
    }
  }

  async function appDb(): Promise<Database> {
    db ??= await startDatabase(url);
    return db;
  }
  async function rows<T extends object>(sql: string, replacements: unknown[] = []): Promise<T[]> {
    await appDb();
    return query<T>(sql, replacements);
  }
  /** the engine's root instances (its own file on SQLite, read while no server runs) */
  async function rootInstances(): Promise<Array<{ instance_key: string; start_correlation_key: string | null }>> {
    const sql = 'SELECT instance_key, start_correlation_key FROM eng_instance WHERE parent_instance_key IS NULL';
    if (isMysql(url))
      return (await rows<{ instance_key: string; start_correlation_key: string | null }>(sql)).map((r) => ({ ...r, instance_key: String(r.instance_key) }));
    const engine = new Sqlite(join(dir, 'engine.sqlite'), { readonly: true });
    try {
      return (engine.prepare(sql).all() as Array<{ instance_key: string | number; start_correlation_key: string | null }>).map((r) => ({
        ...r,
        instance_key: String(r.instance_key),
      }));
    } finally {
      engine.close();
    }
  }

  /** once started again and given time: every case has its one instance and its one 'reported' record, and was processed */
  async function expectConsistent(acknowledged: string[]): Promise<void> {
    // processed: the job workers took the case to its first user task (受理) in the inbox, or merged it into
    // an earlier report of the same place (dedup), which moves it on from 'reported'
    // a job the killed server had activated comes back after its 60 s activation timeout (Zeebe semantics)
    const deadline = Date.now() + 120_000;
    let unprocessed: string[] = [];
    for (;;) {
      const processed = new Set(
        (await rows<{ case_id: string | number }>('SELECT DISTINCT case_id FROM inbox_tasks WHERE case_id IS NOT NULL')).map((r) => String(r.case_id)),
      );
      const all = (await rows<{ id: string | number }>("SELECT id FROM cases WHERE status = 'reported'")).map((r) => String(r.id));
      unprocessed = all.filter((id) => !processed.has(id));
      if (!unprocessed.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(unprocessed, 'cases whose process never reached its first task').to.deep.equal([]);
    const cases = await rows<{ id: string | number; process_instance_key: string | null; intake_intent: string | null }>(
      'SELECT id, process_instance_key, intake_intent FROM cases',
    );
    const ids = new Set(cases.map((c) => String(c.id)));
    expect(
      acknowledged.filter((id) => !ids.has(id)),
      'acknowledged cases missing',
    ).to.deep.equal([]);
    expect(
      cases.filter((c) => !c.process_instance_key || c.intake_intent).map((c) => String(c.id)),
      'cases without their instance, or unfinished',
    ).to.deep.equal([]);
    const reported = await rows<{ case_id: string | number; n: number | string }>(
      "SELECT case_id, COUNT(*) AS n FROM audit_log WHERE action = 'reported' GROUP BY case_id",
    );
    expect(reported.length, "cases with a 'reported' record").to.equal(cases.length);
    expect(
      reported.filter((r) => Number(r.n) !== 1),
      "cases with more than one 'reported' record",
    ).to.deep.equal([]);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, firstBroken: null });
  }
  /** with no server running: the engine's root instances are exactly the cases' instances, one per case */
  async function expectInstancesMatchCases(): Promise<void> {
    const cases = await rows<{ id: string | number; process_instance_key: string }>('SELECT id, process_instance_key FROM cases');
    const instances = await rootInstances();
    expect(instances.map((i) => i.instance_key).sort(), "root instances = the cases' instances").to.deep.equal(
      cases.map((c) => String(c.process_instance_key)).sort(),
    );
    const byKey = new Map(instances.map((i) => [i.instance_key, i.start_correlation_key]));
    for (const c of cases) expect(byKey.get(String(c.process_instance_key)), `case ${c.id}'s instance reference`).to.equal(`intake:${c.id}`);
  }

  const steps: IntakeStep[] = ['row-committed', 'instance-started', 'filing-recorded'];
  for (const step of steps) {
    it(`given a filing killed at ${step}, when the server starts again and the reporter retries with the same Idempotency-Key, then the one case is finished and answered`, async () => {
      const killed = await start({ YWTG_TEST_KILL_INTAKE_AT: step });
      const token = await login(killed.base);
      const description = `井盖缺失（${step}）`;
      expect(await file(killed.base, token, `crash-${step}`, description), 'an answer from a server killed mid-filing').to.equal(null);
      await killed.exited;

      const server = await start();
      try {
        const retried = await file(server.base, await login(server.base), `crash-${step}`, description);
        expect(retried).to.be.a('string');
        const same = await rows<{ id: string | number }>('SELECT id FROM cases WHERE description = ?', [description]);
        expect(
          same.map((c) => String(c.id)),
          'cases of the report',
        ).to.deep.equal([retried]);
        await expectConsistent([retried!]);
      } finally {
        await kill(server);
      }
      await expectInstancesMatchCases();
    });
  }

  it('given 30 reporters filing at once, when the server is killed at random moments three times, then every report is filed once, processed, and nothing is half-filed', async () => {
    const acknowledged = new Set<string>();
    const keys: string[] = [];
    /** reports the server did not answer, retried with their key once it is back */
    let unanswered: Array<{ key: string; description: string }> = [];
    let n = 0;
    let cutOff = 0;
    for (let round = 0; round < 3; round++) {
      const server = await start();
      const token = await login(server.base);
      // first the reports cut off by the last kill, with their keys: they must find their first case, if any
      const retries = unanswered;
      unanswered = [];
      for (const r of retries) {
        const id = await file(server.base, token, r.key, r.description);
        expect(id, `retry of ${r.key}`).to.be.a('string');
        acknowledged.add(id!);
      }
      let killed = false;
      const reporter = async () => {
        while (!killed) {
          const key = `random-${++n}`;
          const description = `路灯不亮 ${key}`;
          keys.push(key);
          const id = await file(server.base, token, key, description);
          if (id) acknowledged.add(id);
          else unanswered.push({ key, description });
          if (!id) cutOff++;
        }
      };
      const reporters = Array.from({ length: 30 }, reporter);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1500));
      server.child.kill('SIGKILL');
      killed = true;
      await Promise.allSettled(reporters);
      await server.exited;
    }
    expect(cutOff, 'reports in flight at the kills').to.be.greaterThan(0);
    const server = await start();
    try {
      const token = await login(server.base);
      for (const r of unanswered) {
        const id = await file(server.base, token, r.key, r.description);
        expect(id, `retry of ${r.key}`).to.be.a('string');
        acknowledged.add(id!);
      }
      // every key filed exactly one case: no phantom beside a retry, no report lost
      const [counted] = await rows<{ n: number | string }>("SELECT COUNT(*) AS n FROM cases WHERE description LIKE '路灯不亮 random-%'");
      expect(Number(counted?.n), 'cases of the random rounds').to.equal(keys.length);
      expect(acknowledged.size).to.equal(keys.length);
      await expectConsistent([...acknowledged]);
    } finally {
      await kill(server);
    }
    await expectInstancesMatchCases();
  });
});
