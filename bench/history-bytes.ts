/**
 * `npm run bench:history-bytes`: what a case costs in each table, and what the engine's prune gives back
 * (issue 12). The whole one-machine system (demo district, embedded engine, every worker, the inbox and
 * case-history readers, the real HTTP API) on a fresh database: CASES reports are filed by the operator and
 * taken to their end through the API (受理 → 派遣 → 处置 → 核查 → 结案 → the reporter's rating at 回访), then the
 * nightly prune runs as if 31 days had passed (HISTORY_RETENTION_DAYS 30). Bytes per table (bench/table-bytes.ts)
 * are measured before the first case, after the last one ended and after the prune (on MySQL once InnoDB's
 * purge has freed the pages); per case = the growth over the first measurement / CASES.
 * Environment: CASES (200), CONCURRENCY (8), PRUNE_BATCH (100, the engine's default); DATABASE_URL=mysql://… measures MySQL/MariaDB
 * instead of SQLite (every table of that database is dropped first: use a scratch database).
 * Prints a Markdown table and, as the last line, JSON {cases, tables: {name: {before: {rows, bytes}, after: {rows, bytes}}}, prune}.
 */
import { CompiledQuery } from 'kysely';
import { pruneEngineHistory, prunableEngine } from '../domain/history/retention.js';
import { openApiWorld } from '../test/api/support/api-world.js';
import { caseToEnd } from '../test/api/support/case-to-end.js';
import { tableBytes, type SqlReader, type TableBytes } from './table-bytes.js';

const CASES = Number(process.env['CASES'] ?? 200);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 8);
const PRUNE_BATCH = Number(process.env['PRUNE_BATCH'] ?? 100);
const DAY = 86_400_000;

const api = await openApiWorld();
try {
  const { engine } = api.world;
  const dialect = engine.driver.dialect;
  const engineDb: SqlReader = { dialect, all: (sql) => engine.driver.read(sql) };
  const appDb: SqlReader = {
    dialect,
    all: async <T>(sql: string) => (await api.world.db.sql.withoutPlugins().executeQuery<T>(CompiledQuery.raw(sql, []))).rows,
  };
  // on MySQL engine and application share one database; on SQLite the engine has a file of its own
  const measure = async () => {
    const all = new Map<string, TableBytes & { db: string }>();
    for (const [db, reader] of dialect === 'mysql' ? [['mysql', engineDb] as const] : [['app', appDb] as const, ['engine', engineDb] as const]) {
      for (const [name, t] of await tableBytes(reader)) all.set(name, { ...t, db: db === 'mysql' ? (name.startsWith('eng_') ? 'engine' : 'app') : db });
    }
    return all;
  };

  const baseline = await measure();
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CASES) {
        const i = next++;
        await caseToEnd(api, `第${i + 1}号：人行道井盖缺失，有安全隐患`, { timeoutMs: 120_000 });
      }
    }),
  );
  const ran = (Date.now() - started) / 1000;
  const ended = await measure();

  const pruneStarted = Date.now();
  const prune = await pruneEngineHistory(prunableEngine(api.world.port)!, {
    now: new Date(api.world.clock.now() + 31 * DAY),
    retentionDays: 30,
    batchSize: PRUNE_BATCH,
  });
  const pruneMs = Date.now() - pruneStarted;
  // InnoDB frees the pages of deleted rows when its purge thread gets to them, seconds later: measure once
  // two readings agree (SQLite has freed them at commit)
  let pruned = await measure();
  for (let i = 0; dialect === 'mysql' && i < 30; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const again = await measure();
    const same = [...again].every(([name, t]) => pruned.get(name)?.bytes === t.bytes);
    pruned = again;
    if (same) break;
  }

  const perCase = (now: TableBytes | undefined, base: TableBytes | undefined) => ({
    rows: ((now?.rows ?? 0) - (base?.rows ?? 0)) / CASES,
    bytes: ((now?.bytes ?? 0) - (base?.bytes ?? 0)) / CASES,
    payload: now?.payload === null || now?.payload === undefined ? null : (now.payload - (base?.payload ?? 0)) / CASES,
  });
  const grown = [...ended.values()].filter((t) => t.rows !== (baseline.get(t.table)?.rows ?? 0) || t.bytes !== (baseline.get(t.table)?.bytes ?? 0));
  grown.sort((a, b) => a.db.localeCompare(b.db) || perCase(b, baseline.get(b.table)).bytes - perCase(a, baseline.get(a.table)).bytes);
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10);
  const fmt = (n: number | null) => (n === null ? '—' : round(n).toLocaleString('en-US'));

  console.log(
    `${CASES} cases to their end in ${ran.toFixed(0)} s on ${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'}; prune: ${prune.roots} cases (${prune.instances} instances) in ${pruneMs} ms, ${prune.batches} transaction(s) of up to ${PRUNE_BATCH} cases, the longest ${prune.longestBatchMs} ms, ${prune.kept} kept`,
  );
  console.log('');
  console.log(`| database | table | rows/case | bytes/case | ${dialect === 'sqlite' ? 'payload/case | ' : ''}rows/case after prune | bytes/case after prune |`);
  console.log(`|---|---|---:|---:|${dialect === 'sqlite' ? '---:|' : ''}---:|---:|`);
  const totals = { app: [0, 0], engine: [0, 0] } as Record<string, [number, number]>;
  const json: Record<string, unknown> = {};
  for (const t of grown) {
    const base = baseline.get(t.table);
    const before = perCase(t, base);
    const after = perCase(pruned.get(t.table), base);
    totals[t.db]![0] += before.bytes;
    totals[t.db]![1] += after.bytes;
    json[t.table] = { db: t.db, before, after };
    console.log(
      `| ${t.db} | \`${t.table}\` | ${fmt(before.rows)} | ${fmt(before.bytes)} | ${dialect === 'sqlite' ? `${fmt(before.payload)} | ` : ''}${fmt(after.rows)} | ${fmt(after.bytes)} |`,
    );
  }
  for (const db of ['app', 'engine'])
    console.log(`| ${db} | **total** | | ${fmt(totals[db]![0])} | ${dialect === 'sqlite' ? '| ' : ''}| ${fmt(totals[db]![1])} |`);
  console.log('');
  console.log(JSON.stringify({ dialect, cases: CASES, seconds: ran, tables: json, prune: { ...prune, ms: pruneMs } }));
} finally {
  await api.close();
}
