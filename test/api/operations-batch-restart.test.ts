import { expect } from 'chai';
import { query } from '../support/tables.js';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabase, type Database } from '../../db/index.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { parseBpmn } from '../../engine/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { emptyDatabase, testDatabaseUrl } from '../support/database.js';
import { killChildServer, startChildServer, type ChildServer } from './support/child-server.js';

const GENERIC = readFileSync(new URL('../../processes/case-generic.bpmn', import.meta.url), 'utf8');
const PASSWORD = 'Demo@2026';

interface BatchBody {
  id: string;
  state: string;
  total: number;
  processed: number;
  failed: number;
  resumed: number;
  items: Array<{ processInstanceKey: string; state: string }>;
}

/**
 * A batch migration (流程迁移 of running cases to a new `case-generic` version) whose server is killed after
 * two instances: the batch and each result are rows, so the progress is there after the restart, and the
 * restarted server carries the batch on from its first pending instance — every case ends on the new version,
 * each migrated once and audited once, the case history drawing the new version.
 * Runs on SQLite and, with DATABASE_URL, on MariaDB.
 */
describe('REST API: operations — a batch survives a restart (issue 18)', function () {
  this.timeout(300_000);
  let dir: string;
  let url: string;
  let db: Database | null = null;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ywtg-batch-restart-'));
    url = testDatabaseUrl();
    await emptyDatabase(url);
  });
  // a server left running by a failed assertion would hold the database the next suites empty
  const children: ChildServer[] = [];
  after(async () => {
    for (const child of children) await killChildServer(child);
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string> = {}): Promise<ChildServer> => {
    const child = await startChildServer(url, dir, env);
    children.push(child);
    return child;
  };
  async function call<T>(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const login = async (base: string, username: string) =>
    (await call<{ token: string }>(base, 'POST', '/auth/login', null, { username, password: PASSWORD })).body.token;
  async function rows<T extends object>(sql: string, replacements: unknown[] = []): Promise<T[]> {
    db ??= await startDatabase(url);
    return query<T>(sql, replacements);
  }

  it('given a batch migration of five running cases cut off by a killed server after two, when the server starts again, then the progress was kept and the batch finishes: every case on the new version, migrated and audited once', async () => {
    const first = await start({ YWTG_TEST_KILL_BATCH_AFTER: '2' });
    const operator = await login(first.base, 'operator');
    const admin = await login(first.base, 'admin');
    // five reports far enough apart not to be merged (并单); each case's instance waits in 受理
    const cases: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call<{ id: string }>(first.base, 'POST', '/cases', operator, {
        description: `迁移测试 第${i + 1}件：人行道护栏松动`,
        lat: 25.56 + i * 0.012,
        lng: 103.8 + i * 0.012,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      cases.push(res.body.id);
    }
    type Listed = { items: Array<{ processInstanceKey: string; version: number }> };
    const running = await eventually('five running instances', async () => {
      const r = await call<Listed>(first.base, 'GET', '/operations/instances?bpmnProcessId=case-generic&state=ACTIVE&pageSize=50', admin);
      return r.body.items.length === 5 ? r.body.items : null;
    });
    expect(running.map((i) => i.version)).to.deep.equal([1, 1, 1, 1, 1]);

    // the new version: the 派遣 task renamed; every element keeps its id, so each maps to itself
    const renamed = GENERIC.replace(/(<bpmn:userTask id="dispatch" name=")([^"]*)"/, '$1$2（新）"');
    expect(renamed).to.not.equal(GENERIC);
    const v2 = await call<{ version: number; processDefinitionKey: string }>(first.base, 'POST', '/admin/processes/deploy', admin, { xml: renamed });
    expect([v2.status, v2.body.version]).to.deep.equal([201, 2]);
    const ids = Object.keys((await parseBpmn('case-generic.bpmn', GENERIC)).processes[0]!.nodes).filter((id) => id !== 'case-generic');
    const plan = {
      targetProcessDefinitionKey: v2.body.processDefinitionKey,
      mappingInstructions: ids.map((id) => ({ sourceElementId: id, targetElementId: id })),
    };

    const started = await call<BatchBody>(first.base, 'POST', '/operations/migrations', admin, {
      plan,
      reason: '派遣节点改名，迁移在办案件',
      filter: { bpmnProcessId: 'case-generic', version: 1 },
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.total).to.equal(5);
    await first.exited; // killed itself after the second instance's result

    const [kept] = await rows<{ state: string; processed: number | string; failed: number | string }>(
      'SELECT state, processed, failed FROM operation_batches WHERE id = ?',
      [started.body.id],
    );
    expect([kept!.state, Number(kept!.processed), Number(kept!.failed)], 'the batch as the killed server left it').to.deep.equal(['running', 2, 0]);
    const states = await rows<{ state: string }>('SELECT state FROM operation_batch_items WHERE batch_id = ? ORDER BY position', [started.body.id]);
    expect(states.map((s) => s.state)).to.deep.equal(['done', 'done', 'pending', 'pending', 'pending']);
    await db?.close();
    db = null;

    const second = await start();
    try {
      const token = await login(second.base, 'admin');
      const done = await eventually(
        'the batch carried on to its end',
        async () => {
          const r = await call<BatchBody>(second.base, 'GET', `/operations/batches/${started.body.id}`, token);
          return r.body.state === 'finished' ? r.body : null;
        },
        120_000,
      );
      expect(done).to.include({ total: 5, processed: 5, failed: 0, resumed: 1 });
      expect(done.items.map((i) => i.state)).to.deep.equal(['done', 'done', 'done', 'done', 'done']);
      for (const { processInstanceKey } of running) {
        const instance = await call<{ version: number; processDefinitionKey: string }>(
          second.base,
          'GET',
          `/operations/instances/${processInstanceKey}`,
          token,
        );
        expect(instance.body).to.include({ version: 2, processDefinitionKey: v2.body.processDefinitionKey });
      }
      // the case's own record follows: its history draws the new version
      for (const id of cases) {
        const history = await call<{ diagram: { bpmnProcessId: string; version: number; processDefinitionKey: string } }>(
          second.base,
          'GET',
          `/cases/${id}/history`,
          token,
        );
        expect(history.body.diagram, `case ${id}`).to.deep.equal({
          bpmnProcessId: 'case-generic',
          version: 2,
          processDefinitionKey: v2.body.processDefinitionKey,
        });
      }
    } finally {
      await killChildServer(second);
    }
    const audits = await rows<{ case_id: string | number; detail: string }>("SELECT case_id, detail FROM audit_log WHERE action = 'ops_instance_migrated'");
    expect(audits.map((a) => String(a.case_id)).sort(), 'one record per case').to.deep.equal([...cases].sort());
    for (const a of audits) expect(JSON.parse(a.detail)).to.deep.include({ batchId: started.body.id, reason: '派遣节点改名，迁移在办案件', toVersion: 2 });
    const caseRows = await rows<{ process_id: string }>(`SELECT process_id FROM cases WHERE id IN (${cases.map(() => '?').join(', ')})`, [...cases]);
    expect(caseRows.map((c) => c.process_id)).to.deep.equal(Array(5).fill('case-generic'));
    expect(await verifyAuditChain()).to.deep.include({ ok: true, firstBroken: null });
  });
});
