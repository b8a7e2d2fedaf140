/**
 * `npx tsx bench/keyset-plans.ts [--cases N]`: the query plans and timings of the history lists' pages
 * (issue 12, keyset paging) on N cases (default 1,000,000), SQLite by default or the MySQL/MariaDB
 * database of DATABASE_URL (EMPTIED first: give it a scratch database).
 *
 * Seeds with set-based SQL (a million cases in seconds, not the realistic intake path: see
 * bench/scale-bench.ts for that): cases over three years (3 % open, timestamps shared by three cases at
 * a time so ties need the id), a task per case (every 20th case a second one of another unit), two audit
 * records per case, camera events. Then, for every list × role scope × common filter, it runs the first
 * page and a page half-way down (by cursor), prints each SELECT's plan (EXPLAIN QUERY PLAN / EXPLAIN)
 * and the time, and flags plans that sort (a temporary B-tree / filesort) or scan a whole table.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { onStatement, type Sql } from '../db/sql/index.js';
import { startDatabase } from '../db/index.js';
import { loadDemoData } from '../db/demo/load-demo.js';
import { Units, Users } from '../test/support/tables.js';
import type { Actor } from '../domain/auth/sessions.js';
import { listAuditRecords } from '../domain/audit/record-list.js';
import { listCameraEvents } from '../domain/cameras/camera-events.js';
import { CASE_CURSOR, searchCases, type CaseSearch } from '../domain/dashboard/case-search.js';
import { listTasks, type TaskFilter } from '../domain/inbox/tasks.js';
import { findOpen311Requests, type RequestFilter } from '../domain/open311/requests.js';
import { encodeCursor, encodeTimeKey } from '../domain/shared/cursor.js';
import { emptyDatabase } from '../test/support/database.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('cases') ?? 1_000_000);
const url = process.env['DATABASE_URL']?.startsWith('mysql') ? process.env['DATABASE_URL'] : `sqlite:${join(tmpdir(), `keyset-plans-${process.pid}.sqlite`)}`;
const mysql = url.startsWith('mysql');
const NOW = Date.UTC(2026, 10, 1);
const SPAN_S = 3 * 365 * 86_400;

let capture: Array<{ sql: string; parameters: readonly unknown[] }> | null = null;

/** a statement written out, its rows as the database names the columns */
async function rows<T>(sql: Sql, text: string, parameters: readonly unknown[] = []): Promise<T[]> {
  return (await sql.withoutPlugins().executeQuery<T>(CompiledQuery.raw(text, [...parameters]))).rows;
}

async function run(sql: Sql, text: string): Promise<void> {
  await rows(sql, text);
}

/** A table of the numbers 1..n to seed from. */
const numbers = (n: number) =>
  mysql ? `seq_1_to_${n}` : `(WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < ${n}) SELECT seq FROM s)`;
/** a DATE column's text from epoch seconds, as the application writes it (db/sql/values.ts) */
const at = (seconds: string) => (mysql ? `FROM_UNIXTIME(${seconds})` : `strftime('%Y-%m-%d %H:%M:%S.000 +00:00', ${seconds}, 'unixepoch')`);
const concat = (...parts: string[]) => (mysql ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));

async function seed(sql: Sql): Promise<void> {
  const t0 = Date.now();
  // the rollup triggers (0012) cost per row: off while seeding a scratch database
  const triggers = mysql
    ? await rows<{ name: string }>(sql, 'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()')
    : await rows<{ name: string }>(sql, "SELECT name FROM sqlite_master WHERE type = 'trigger'");
  for (const t of triggers) await run(sql, `DROP TRIGGER ${t.name}`);
  if (!mysql) await run(sql, 'PRAGMA synchronous = OFF');
  for (const [name, from, where] of [
    ['pick_type', 'event_types', '1 = 1'],
    ['pick_unit', 'units', "kind NOT IN ('township', 'community')"],
    ['pick_grid', 'grids', '1 = 1'],
  ] as const) {
    await run(sql, `CREATE TEMPORARY TABLE ${name} AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, t.* FROM ${from} t WHERE ${where}`);
    await run(sql, `CREATE UNIQUE INDEX ${name}_k ON ${name} (k)`);
  }
  const count = async (table: string) => Number((await rows<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const [types, units, grids] = [await count('pick_type'), await count('pick_unit'), await count('pick_grid')];
  const gridworker = (await Users.findOne({ where: { username: 'gridworker' } }))!.id;
  const open = Math.floor(N * 0.97);
  // three cases share each timestamp; a little jitter so id order is not time order
  const step = Math.max(1, Math.floor((SPAN_S / N) * 3));
  const triple = mysql ? 'FLOOR(seq / 3)' : '(seq / 3)';
  const createdAt = `${NOW / 1000 - SPAN_S} + ${triple} * ${step} + ((${triple} * 7919) % 5) * ${Math.ceil(step / 2)}`;
  await run(
    sql,
    `INSERT INTO cases (case_no, channel, reporter_user_id, tracking_token, description, event_type_id, category, grid_id, township_id, status, priority,
      unit_id, due_at, escalation_level, warning_light, created_at, updated_at)
    SELECT ${concat("'K'", 'seq')}, CASE seq % 6 WHEN 0 THEN 'hotline' WHEN 1 THEN 'photo' WHEN 2 THEN 'ai_camera' WHEN 3 THEN 'grid_worker' WHEN 4 THEN 'open311' ELSE 'leader' END,
      CASE WHEN seq % 97 = 0 THEN ${gridworker} ELSE NULL END, ${concat("'tok'", 'seq')}, ${concat("'路面破损 '", 'seq')}, e.id, e.category, g.id, g.township_id,
      CASE WHEN seq > ${open} THEN CASE seq % 6 WHEN 0 THEN 'reported' WHEN 1 THEN 'accepted' WHEN 2 THEN 'dispatched' WHEN 3 THEN 'handling' WHEN 4 THEN 'returned' ELSE 'verifying' END
           ELSE CASE seq % 20 WHEN 0 THEN 'rejected' WHEN 1 THEN 'shelved' WHEN 2 THEN 'merged' ELSE 'closed' END END,
      50, u.id, ${at(`${createdAt} + 5 * 86400`)}, CASE WHEN seq % 50 = 0 THEN 1 ELSE 0 END, CASE WHEN seq % 11 = 0 THEN 'yellow' WHEN seq % 29 = 0 THEN 'red' ELSE 'green' END,
      ${at(createdAt)}, ${at(createdAt)}
    FROM ${numbers(N)} n
    JOIN pick_type e ON e.k = n.seq % ${types} JOIN pick_unit u ON u.k = (n.seq * 7) % ${units} JOIN pick_grid g ON g.k = (n.seq * 13) % ${grids}`,
  );
  const openStates = "('reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying')";
  await run(
    sql,
    `INSERT INTO inbox_tasks (user_task_key, case_id, case_created_at, element_id, name, unit_id, candidate_groups, state, priority, due_at, warning_light, created_at, updated_at)
    SELECT ${concat("'t'", 'id')}, id, created_at, 'handle', '处置', unit_id, CASE WHEN status = 'verifying' THEN '["grid_worker"]' ELSE '[]' END,
      CASE WHEN status IN ${openStates} THEN 'created' ELSE 'completed' END, CASE WHEN id % 7 = 0 THEN 80 ELSE 50 END,
      CASE WHEN id % 5 = 0 THEN NULL ELSE due_at END, 'green', created_at, created_at FROM cases`,
  );
  await run(
    sql,
    `INSERT INTO inbox_tasks (user_task_key, case_id, case_created_at, element_id, name, unit_id, candidate_groups, state, priority, due_at, warning_light, created_at, updated_at)
    SELECT ${concat("'v'", 'c.id')}, c.id, c.created_at, 'assist', '协办', u.id, '[]', CASE WHEN c.status IN ${openStates} THEN 'created' ELSE 'completed' END, 50, c.due_at, 'green', c.created_at, c.created_at
    FROM cases c JOIN pick_unit u ON u.k = (c.id * 11 + 3) % ${units} WHERE c.id % 20 = 0`,
  );
  await run(
    sql,
    `INSERT INTO audit_log (case_id, actor, actor_role, action, detail, prev_hash, hash, created_at)
    SELECT id, CASE WHEN id % 4 = 0 THEN 'operator' ELSE 'public' END, NULL, 'reported', NULL, 'x', ${concat("'a'", 'id')}, created_at FROM cases`,
  );
  await run(
    sql,
    `INSERT INTO audit_log (case_id, actor, actor_role, action, detail, prev_hash, hash, created_at)
    SELECT id, 'worker:route', NULL, CASE WHEN id % 3 = 0 THEN 'dispatched' ELSE 'routed' END, NULL, 'x', ${concat("'b'", 'id')}, updated_at FROM cases`,
  );
  const grid = (await rows<{ id: number }>(sql, 'SELECT id FROM grids ORDER BY id LIMIT 1'))[0]!.id;
  for (let d = 1; d <= 20; d++) {
    await run(
      sql,
      `INSERT INTO camera_devices (code, name, lat, lng, grid_id, event_type_codes, enabled, created_at, updated_at) VALUES ('CAM-${d}', '摄像头 ${d}', 25.6, 103.8, ${grid}, '[]', 1, ${at(String(NOW / 1000))}, ${at(String(NOW / 1000))})`,
    );
  }
  await run(
    sql,
    `INSERT INTO camera_events (device_id, event_id, event_type_id, case_id, outcome, confidence, captured_at, created_at)
    SELECT d.id, ${concat("'e'", 'c.id')}, c.event_type_id, c.id, 'merged', 0.9, c.created_at, c.created_at
    FROM cases c JOIN camera_devices d ON d.code = ${concat("'CAM-'", `(c.id % 20) + 1`)} WHERE c.id % 5 = 0 AND c.event_type_id IS NOT NULL`,
  );
  for (const table of ['cases', 'inbox_tasks', 'audit_log', 'camera_events']) await run(sql, mysql ? `ANALYZE TABLE ${table}` : `ANALYZE ${table}`);
  console.log(`seeded ${N} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

interface Plan {
  sql: string;
  plan: string[];
  sorts: boolean;
  fullScan: boolean;
}

async function explain(sql: Sql, statement: string, parameters: readonly unknown[]): Promise<Plan> {
  if (mysql) {
    const lines = await rows<{ table: string | null; type: string | null; key: string | null; rows: number | null; Extra: string | null }>(
      sql,
      `EXPLAIN ${statement}`,
      parameters,
    );
    const plan = lines.map((r) => `${r.table ?? '-'}: ${r.type ?? '-'} key=${r.key ?? '-'} rows≈${r.rows ?? '-'} ${r.Extra ?? ''}`.trim());
    return {
      sql: statement,
      plan,
      sorts: lines.some((r) => /filesort|temporary/i.test(r.Extra ?? '')),
      fullScan: lines.some((r) => r.type === 'ALL' && !(r.table ?? '').startsWith('<') && (r.rows ?? 0) > 10_000),
    };
  }
  const plan = (await rows<{ detail: string }>(sql, `EXPLAIN QUERY PLAN ${statement}`, parameters)).map((r) => r.detail);
  return {
    sql: statement,
    plan,
    sorts: plan.some((p) => /TEMP B-TREE FOR ORDER BY/.test(p)),
    fullScan: plan.some((p) => /^SCAN (cases|inbox_tasks|audit_log|camera_events|Case|InboxTask|AuditRecord|CameraEvent)\b(?!.*USING)/.test(p)),
  };
}

async function measure(sql: Sql, label: string, call: () => Promise<unknown>): Promise<void> {
  await call(); // once to warm the caches, then measured
  capture = [];
  const t = process.hrtime.bigint();
  await call();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const statements = capture.filter((s) => /^SELECT/i.test(s.sql) && /FROM [`"](cases|inbox_tasks|audit_log|camera_events)[`"]/.test(s.sql));
  capture = null;
  const plans = await Promise.all(statements.map((s) => explain(sql, s.sql, s.parameters)));
  const flags = [plans.some((p) => p.sorts) ? 'SORTS' : '', plans.some((p) => p.fullScan) ? 'FULL-SCAN' : ''].filter(Boolean).join(' ');
  console.log(`\n## ${label}: ${ms.toFixed(1)} ms, ${statements.length} statements ${flags}`);
  for (const p of plans) console.log(`   ${p.sql.slice(0, 160).replace(/\s+/g, ' ')}…\n     ${p.plan.join('\n     ')}`);
}

async function main(): Promise<void> {
  await emptyDatabase(url);
  const db = await startDatabase(url);
  onStatement((text, parameters) => capture?.push({ sql: text, parameters }));
  const sql = db.sql;
  await loadDemoData(db.sql, 'Demo@2026');
  await seed(sql);
  const user = async (username: string): Promise<Actor> => {
    const u = (await Users.findOne({ where: { username } }))!;
    return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId };
  };
  const [operator, clerk, gridworker] = [await user('operator'), await user('clerk'), await user('gridworker')];
  const mid = (
    await rows<{ id: number | string; created_at: Date | string }>(
      sql,
      `SELECT id, created_at FROM cases ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ${Math.floor(N / 2)}`,
    )
  )[0]!;
  const midAt = mid.created_at instanceof Date ? mid.created_at : new Date(String(mid.created_at).replace(' +00:00', 'Z').replace(' ', 'T'));
  const deep = encodeTimeKey(CASE_CURSOR, { at: midAt, id: String(mid.id) });
  const township = (await Units.findOne({ where: { kind: 'township' }, order: [['id', 'ASC']] }))!;
  const now = new Date(NOW);
  const searches: Array<[string, Actor, CaseSearch]> = [
    ['operator, no filter', operator, {}],
    ['operator, status=closed', operator, { status: 'closed' }],
    ['operator, status=handling', operator, { status: 'handling' }],
    ['operator, category', operator, { category: '市容环境' }],
    ['operator, unitId', operator, { unitId: clerk.unitId! }],
    ['operator, township', operator, { township: township.code }],
    ['operator, channel=open311', operator, { channel: 'open311' }],
    ['operator, light=red', operator, { light: 'red' }],
    ['operator, from/to (a month)', operator, { from: '2025-03-01', to: '2025-03-31' }],
    ['operator, q (substring: a residual filter)', operator, { q: '破损 99999' }],
    ['clerk (unit + its tasks + own), no filter', clerk, {}],
    ['clerk, status=closed', clerk, { status: 'closed' }],
    ['clerk, status=handling', clerk, { status: 'handling' }],
    ['gridworker (own + verifying with a task)', gridworker, {}],
  ];
  for (const [label, actor, s] of searches) {
    await measure(sql, `GET /api/cases — ${label} — first page`, () => searchCases(actor, { ...s, pageSize: 20 }, { now }));
    await measure(sql, `GET /api/cases — ${label} — page after the middle`, () => searchCases(actor, { ...s, pageSize: 20, after: deep }, { now }));
  }
  await measure(sql, 'GET /api/cases — operator — page=500 (offset 9980, the deepest allowed)', () =>
    searchCases(operator, { page: 500, pageSize: 20 }, { now }),
  );
  const tasks: Array<[string, Actor, TaskFilter]> = [
    ['operator, open', operator, {}],
    ['clerk, open', clerk, {}],
    ['operator, completed', operator, { status: 'completed' }],
    ['clerk, completed', clerk, { status: 'completed' }],
    ['operator, completed, category', operator, { status: 'completed', category: '市容环境' }],
    ['operator, open, light=red', operator, { light: 'red' }],
    ['gridworker, completed', gridworker, { status: 'completed' }],
  ];
  const midTask = (await rows<{ id: number | string }>(sql, `SELECT id FROM inbox_tasks ORDER BY id DESC LIMIT 1 OFFSET ${Math.floor(N / 2)}`))[0]!;
  for (const [label, actor, f] of tasks) {
    await measure(sql, `GET /api/tasks — ${label} — first page`, () => listTasks(actor, { ...f, limit: 50 }, now));
    if (f.status === 'completed')
      await measure(sql, `GET /api/tasks — ${label} — page after the middle`, () =>
        listTasks(actor, { ...f, limit: 50, after: encodeCursor('tasks.done', [String(midTask.id)]) }, now),
      );
  }
  const auditDeep = encodeTimeKey('audit', { at: midAt, id: String(Number(mid.id) * 2) });
  for (const [label, f] of [
    ['no filter', {}],
    ['action=dispatched', { action: 'dispatched' }],
    ['actor=operator', { actor: 'operator' }],
    ['caseId', { caseId: String(mid.id) }],
    ['a month', { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') }],
  ] as const) {
    await measure(sql, `GET /api/audit/records — ${label} — first page`, () => listAuditRecords({ ...f }));
    await measure(sql, `GET /api/audit/records — ${label} — page after the middle`, () => listAuditRecords({ ...f, after: auditDeep }));
  }
  const cameraDeep = encodeTimeKey('camera-events', { at: midAt, id: String(Math.floor(N / 10)) });
  for (const [label, f] of [
    ['no filter', {}],
    ['one camera', { camera: 'CAM-3' }],
  ] as const) {
    await measure(sql, `GET /api/admin/camera-events — ${label} — first page`, () => listCameraEvents({ ...f }));
    await measure(sql, `GET /api/admin/camera-events — ${label} — page after the middle`, () => listCameraEvents({ ...f, after: cameraDeep }));
  }
  const window = { start: new Date(NOW - 90 * 86_400_000), end: new Date(NOW) };
  const open311: Array<[string, RequestFilter]> = [
    ['90 days', {}],
    ['status=open', { statuses: ['open'] }],
    ['status=closed', { statuses: ['closed'] }],
    ['one service_code', { serviceCodes: ['BJ-0101'] }],
  ];
  for (const [label, f] of open311) {
    await measure(sql, `GET /open311/v2/requests.json — ${label} — first page`, () => findOpen311Requests({ ...window, ...f, pageSize: 1000 }, now));
    const first = await findOpen311Requests({ ...window, ...f, pageSize: 1000 }, now);
    if (first.next)
      await measure(sql, `GET /open311/v2/requests.json — ${label} — second page`, () =>
        findOpen311Requests({ ...window, ...f, pageSize: 1000, after: first.next! }, now),
      );
  }
  await db.close();
  if (!mysql) rmSync(url.slice('sqlite:'.length), { force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
