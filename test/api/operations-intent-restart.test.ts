import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabase, type Database } from '../../db/index.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import type { OpsStep } from '../../domain/operations/intent-crash-point.js';
import { parseBpmn } from '../../engine/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { emptyDatabase, testDatabaseUrl } from '../support/database.js';
import { query } from '../support/tables.js';
import { killChildServer, startChildServer, type ChildServer } from './support/child-server.js';

const GENERIC = readFileSync(new URL('../../processes/case-generic.bpmn', import.meta.url), 'utf8');
const PASSWORD = 'Demo@2026';

/**
 * Cancel and migrate change the engine first and the case's record after; the two stores share no
 * transaction. A server killed between the two (after the engine's commit, before the case's) must leave no
 * half-made state once it starts again: the cancelled instance's case closed with the reason, the migrated
 * case on the new process, each audited once with who and why. Runs on SQLite and, with DATABASE_URL, on MariaDB.
 */
describe('REST API: operations — cancel and migrate survive a killed server (issue 18)', function () {
  this.timeout(300_000);
  let dir: string;
  let url: string;
  let db: Database | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ywtg-ops-intent-'));
    url = testDatabaseUrl();
    await db?.close();
    db = null;
    await emptyDatabase(url);
  });
  const children: ChildServer[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) await killChildServer(child);
    await db?.close();
    db = null;
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
  /** the request whose server kills itself on the way: no answer */
  async function lost(base: string, path: string, token: string, body: unknown): Promise<void> {
    const answered = await call(base, 'POST', path, token, body).then(
      (r) => r,
      () => null,
    );
    expect(answered, 'the server was killed before it answered').to.equal(null);
  }
  const login = async (base: string, username: string) =>
    (await call<{ token: string }>(base, 'POST', '/auth/login', null, { username, password: PASSWORD })).body.token;
  async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    db ??= await startDatabase(url);
    return query<T>(sql, params);
  }

  /** a reported case whose instance waits in 受理: its id and root instance key */
  async function runningCase(base: string): Promise<{ caseId: string; key: string; admin: string }> {
    const operator = await login(base, 'operator');
    const admin = await login(base, 'admin');
    const filed = await call<{ id: string }>(base, 'POST', '/cases', operator, { description: '人行道护栏松动，行人易碰伤', lat: 25.56, lng: 103.8 });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const [row] = await eventually('the instance running', async () => {
      const r = await call<{ items: Array<{ processInstanceKey: string; case: { id: string } | null }> }>(
        base,
        'GET',
        '/operations/instances?bpmnProcessId=case-generic&state=ACTIVE',
        admin,
      );
      return r.body.items.length ? r.body.items : null;
    });
    return { caseId: filed.body.id, key: row!.processInstanceKey, admin };
  }
  const kill = (step: OpsStep) => ({ YWTG_TEST_KILL_OPS_AT: step });

  it('given a server killed after the engine cancelled an instance and before its case was recorded, when it starts again, then the case is closed with the reason, audited once, and no intent is left', async () => {
    const first = await start(kill('cancel-engine-done'));
    const { caseId, key, admin } = await runningCase(first.base);
    await lost(first.base, `/operations/instances/${key}/cancel`, admin, { reason: '重复立案，撤销' });
    await first.exited;
    const [half] = await rows<{ status: string }>('SELECT status FROM cases WHERE id = ?', [caseId]);
    expect(half!.status, 'the case as the killed server left it').to.not.equal('closed');

    const second = await start();
    const token = await login(second.base, 'admin');
    const instance = await call<{ state: string }>(second.base, 'GET', `/operations/instances/${key}`, token);
    expect(instance.body.state).to.equal('TERMINATED');
    const [closed] = await rows<{ status: string; closed_at: Date | null }>('SELECT status, closed_at FROM cases WHERE id = ?', [caseId]);
    expect(closed!.status, 'the case after the restart').to.equal('closed');
    expect(closed!.closed_at).to.be.instanceOf(Date);
    const audits = await rows<{ actor: string; detail: string }>(
      "SELECT actor, detail FROM audit_log WHERE action = 'ops_instance_cancelled' AND case_id = ?",
      [caseId],
    );
    expect(audits).to.have.length(1);
    expect(audits[0]!.actor).to.equal('admin');
    expect(JSON.parse(audits[0]!.detail)).to.deep.include({ reason: '重复立案，撤销', processInstanceKey: key, to: 'closed' });
    expect(await rows('SELECT * FROM operation_intents')).to.deep.equal([]);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, firstBroken: null });
  });

  it('given a server killed after the engine migrated an instance and before its case was recorded, when it starts again, then the case names the target process, audited once with who and why', async () => {
    const first = await start(kill('migrate-engine-done'));
    const { caseId, key, admin } = await runningCase(first.base);
    // the same diagram as another process: the case must follow the instance there
    const other = GENERIC.replace(/<bpmn:process id="case-generic"/, '<bpmn:process id="case-generic-next"').replace(
      /bpmnElement="case-generic"/,
      'bpmnElement="case-generic-next"',
    );
    const deployed = await call<{ processDefinitionKey: string }>(first.base, 'POST', '/admin/processes/deploy', admin, { xml: other });
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);
    const ids = Object.keys((await parseBpmn('case-generic.bpmn', GENERIC)).processes[0]!.nodes).filter((id) => id !== 'case-generic');
    const plan = {
      targetProcessDefinitionKey: deployed.body.processDefinitionKey,
      mappingInstructions: ids.map((id) => ({ sourceElementId: id, targetElementId: id })),
    };
    await lost(first.base, `/operations/instances/${key}/migration`, admin, { plan, reason: '并入新流程' });
    await first.exited;
    const [half] = await rows<{ process_id: string }>('SELECT process_id FROM cases WHERE id = ?', [caseId]);
    expect(half!.process_id, 'the case as the killed server left it').to.equal('case-generic');

    const second = await start();
    const token = await login(second.base, 'admin');
    const instance = await call<{ bpmnProcessId: string }>(second.base, 'GET', `/operations/instances/${key}`, token);
    expect(instance.body.bpmnProcessId).to.equal('case-generic-next');
    const [moved] = await rows<{ process_id: string }>('SELECT process_id FROM cases WHERE id = ?', [caseId]);
    expect(moved!.process_id).to.equal('case-generic-next');
    const audits = await rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'ops_instance_migrated' AND case_id = ?", [caseId]);
    expect(audits).to.have.length(1);
    expect(JSON.parse(audits[0]!.detail)).to.deep.include({
      reason: '并入新流程',
      bpmnProcessId: 'case-generic',
      fromVersion: 1,
      toBpmnProcessId: 'case-generic-next',
      caseProcessId: { from: 'case-generic', to: 'case-generic-next' },
    });
    expect(await rows('SELECT * FROM operation_intents')).to.deep.equal([]);
    expect(await verifyAuditChain()).to.deep.include({ ok: true, firstBroken: null });
  });
});
