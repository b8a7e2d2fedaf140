/**
 * `npm run bench:scale [-- --cases N]`: the platform after a year (or five) of cases.
 * 1. Seeds N cases (default 1,000,000) into a fresh database through the bulk path (bench/scale/seed-cases.ts):
 *    about 3 % open, a year of dates, ~12 history and ~4 audit rows per case, open tasks in the inbox.
 *    SQLite by default (a file under BENCH_SCALE_DIR, default the temp folder, kept and reused by a later run
 *    with the same N unless --fresh); with DATABASE_URL=mysql://… the named database is EMPTIED and used
 *    (give it a scratch database).
 * 2. Starts the whole system on it in a child process (embedded engine, every worker) and measures, as the
 *    operator, a department clerk and the auditor, p50/p99 of every read endpoint a person waits for
 *    (SAMPLES calls each, default 30), the server's event-loop delay over the reads and the intake (measured once the
 *    server is quiet: work left unprocessed by an earlier run is taken up first)
 *    (perf_hooks.monitorEventLoopDelay, in the server), and intake per second (POST /api/cases, 50
 *    connections, INTAKE_SECONDS default 10) while 10 command-centre screens hold their live streams open.
 * 3. Reports the bytes the database holds per case.
 * Last line JSON: {cases, db, endpoint_p99_ms, max_endpoint_p99_ms, event_loop_max_ms, intake_per_s_with_screens, bytes_per_case}.
 * Targets (issue 12): 1,000,000 cases on SQLite and MariaDB — every read p99 < 100 ms, event loop max < 50 ms,
 * intake ≥ 300/s with 10 screens; 10,000,000 on MariaDB — every read p99 < 200 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CompiledQuery } from 'kysely';

const SELF = fileURLToPath(import.meta.url);
const PASSWORD = process.env['DEMO_PASSWORD'] ?? 'Demo@2026';

// ---------------------------------------------------------------- the server side (child process)

/** Starts the system, says where it listens; on a `REPORT` line on stdin prints the event loop's delays since start. */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../config/load.js');
  const { startSystem } = await import('../system/start-system.js');
  const system = await startSystem(loadConfig());
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // LOOP_TRACE=1: what was running in each stall over 50 ms (bench/loop-stalls.ts), printed with each report
  const stalls = process.env['LOOP_TRACE'] ? (await import('./loop-stalls.js')).watchLoopStalls() : null;
  process.stdout.write(`READY ${system.url}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'RESET') {
      stalls?.reset();
      return loop.reset();
    }
    if (line.trim() !== 'REPORT') return;
    if (stalls) process.stdout.write(`TRACE ${stalls.report()}\n`);
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    process.stdout.write(`LOOP ${JSON.stringify({ max_ms: ms(loop.max), p99_ms: ms(loop.percentile(99)), mean_ms: ms(loop.mean) })}\n`);
  });
  const stop = () => {
    system.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

interface Server {
  url: string;
  child: ChildProcess;
  loop(): Promise<{ max_ms: number; p99_ms: number; mean_ms: number }>;
  resetLoop(): void;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const flags = (process.env['BENCH_SERVER_FLAGS'] ?? '').split(/\s+/u).filter(Boolean); // e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', SELF, '--serve'], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'fatal', DEMO_DATA: 'true' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const ready = /^READY (\S+)/u.exec(line);
      if (ready) return resolve(ready[1]!);
      if (line.startsWith('LOOP ')) return waiting.shift()?.(line.slice(5));
      if (line.trim()) process.stderr.write(`[server] ${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
  return {
    url,
    child,
    resetLoop: () => void child.stdin!.write('RESET\n'),
    loop: () =>
      new Promise((resolve) => {
        waiting.push((json) => resolve(JSON.parse(json) as { max_ms: number; p99_ms: number; mean_ms: number }));
        child.stdin!.write('REPORT\n');
      }),
  };
}

// ---------------------------------------------------------------- the client side

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  '2xx': number;
  duration: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[name.replace(/^--/, '').toUpperCase()];
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} ${raw}: expected a whole number`);
  return value;
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;

async function call(url: string, token: string | null): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status, bytes: body.byteLength };
}

async function login(api: string, username: string): Promise<string> {
  const res = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** What each role opens in a working day; `{case}` is a case of the role's scope. */
const READS: Array<{ role: 'operator' | 'clerk' | 'auditor' | 'public'; path: string }> = [
  { role: 'operator', path: '/api/dashboard/summary' },
  { role: 'operator', path: '/api/dashboard/map' },
  { role: 'operator', path: '/api/dashboard/trends' },
  { role: 'operator', path: '/api/dashboard/trends?days=366' },
  { role: 'operator', path: '/api/dashboard/hotspots' },
  { role: 'operator', path: '/api/dashboard/rankings' },
  { role: 'operator', path: '/api/cases' },
  { role: 'operator', path: '/api/cases?status=handling&category=%E5%B8%82%E5%AE%B9%E7%8E%AF%E5%A2%83' },
  { role: 'operator', path: '/api/cases?light=red' },
  { role: 'operator', path: '/api/cases?q=%E4%BA%95%E7%9B%96' },
  { role: 'operator', path: '/api/tasks' },
  { role: 'operator', path: '/api/cases/{case}/history' },
  { role: 'clerk', path: '/api/cases' },
  { role: 'clerk', path: '/api/tasks' },
  { role: 'clerk', path: '/api/dashboard/summary' },
  { role: 'clerk', path: '/api/dashboard/trends' },
  { role: 'clerk', path: '/api/dashboard/map' },
  { role: 'auditor', path: '/api/cases?status=closed' },
  { role: 'auditor', path: '/api/cases/{case}/history' },
  { role: 'public', path: '/open311/v2/requests.json' },
  { role: 'public', path: '/open311/v2/requests.json?status=open' },
];

async function measureReads(server: Server, tokens: Record<string, string | null>, caseId: string, samples: number) {
  const out: Record<string, { p50: number; p99: number; bytes: number; status: number }> = {};
  for (const read of samples > 0 ? READS : []) {
    const url = `${server.url}${read.path.replace('{case}', caseId)}`;
    const times: number[] = [];
    let last = { status: 0, bytes: 0 };
    for (let i = 0; i < samples + 2; i++) {
      const r = await call(url, tokens[read.role] ?? null);
      if (i >= 2) times.push(r.ms); // two warm-up calls
      last = r;
    }
    times.sort((a, b) => a - b);
    const name = `${read.role} ${read.path.replace('{case}', ':id')}`;
    out[name] = { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), bytes: last.bytes, status: last.status };
    console.log(
      `${name.padEnd(78)} p50 ${String(out[name]!.p50).padStart(7)} ms  p99 ${String(out[name]!.p99).padStart(7)} ms  ${String(Math.round(last.bytes / 1024)).padStart(5)} KB  ${last.status}`,
    );
  }
  return out;
}

/** Intake (autocannon, 50 connections) while `screens` dashboard streams stay open and read what they are sent. */
async function intakeWithScreens(
  server: Server,
  operator: string,
  screens: number,
  seconds: number,
): Promise<{ perSecond: number; p99: number; streamEvents: number }> {
  const controllers: AbortController[] = [];
  let streamEvents = 0;
  for (let i = 0; i < screens; i++) {
    const controller = new AbortController();
    controllers.push(controller);
    const res = await fetch(`${server.url}/api/dashboard/stream?access_token=${operator}`, { signal: controller.signal });
    void (async () => {
      try {
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
          streamEvents += decoder.decode(chunk, { stream: true }).split('event: ').length - 1;
      } catch {
        /* aborted at the end */
      }
    })();
  }
  let n = 0;
  const result = await autocannon({
    url: `${server.url}/api/cases`,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${operator}` },
          body: JSON.stringify({
            description: `扩容测试 ${++n}：路边有暴露垃圾`,
            lat: 25.6 + (n % 100) / 10_000,
            lng: 103.83 + (n % 77) / 10_000,
            reporterPhone: '13900000000',
          }),
        }),
      },
    ],
  });
  for (const c of controllers) c.abort();
  return { perSecond: round(result['2xx'] / result.duration), p99: result.latency.p99, streamEvents };
}

/** Waits (up to 5 min) until a 2 s stretch passes with the event loop never held more than 30 ms. */
async function settle(server: Server): Promise<{ seconds: number; maxMs: number }> {
  const started = Date.now();
  for (;;) {
    server.resetLoop();
    await new Promise((r) => setTimeout(r, 2000));
    const { max_ms } = await server.loop();
    if (max_ms < 30 || Date.now() - started > 300_000) return { seconds: Math.round((Date.now() - started) / 1000), maxMs: max_ms };
  }
}

async function main(): Promise<void> {
  const cases = argNumber('--cases', 1_000_000);
  const samples = argNumber('--samples', 30);
  const intakeSeconds = argNumber('--intake-seconds', 10);
  const mysqlUrl = process.env['DATABASE_URL'] && !process.env['DATABASE_URL'].startsWith('sqlite:') ? process.env['DATABASE_URL'] : null;
  const dir = join(process.env['BENCH_SCALE_DIR'] ?? tmpdir(), `ywtg-scale-${cases}`);
  mkdirSync(dir, { recursive: true });
  const url = mysqlUrl ?? `sqlite:${join(dir, 'scale.sqlite')}`;
  const fresh = process.argv.includes('--fresh');
  const offsetMinutes = 480;

  const { openSql, startDatabase } = await import('../db/index.js');
  const { loadDemoData } = await import('../db/demo/load-demo.js');
  const dbLabel = mysqlUrl ? 'mysql' : 'sqlite';
  console.log(`bench:scale — ${cases.toLocaleString('en-US')} cases on ${dbLabel} (${mysqlUrl ? mysqlUrl.replace(/\/\/[^@]*@/, '//') : url})`);

  // ---- seed (or reuse an earlier seed of the same size)
  let db = await openSql(url);
  const rows = async <T>(text: string) => (await db.withoutPlugins().executeQuery<T>(CompiledQuery.raw(text, []))).rows;
  const seeded = await rows<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases').then(
    (r) => Number(r[0]?.n),
    () => -1,
  );
  await db.destroy();
  if (fresh || seeded < cases) {
    if (mysqlUrl) {
      db = await openSql(url);
      await db.connection().execute(async (c) => {
        const run = async <T>(text: string) => (await c.withoutPlugins().executeQuery<T>(CompiledQuery.raw(text, []))).rows;
        await run('SET FOREIGN_KEY_CHECKS = 0');
        for (const row of await run<Record<string, string>>('SHOW TABLES')) await run(`DROP TABLE IF EXISTS \`${Object.values(row)[0]}\``);
      });
      await db.destroy();
    } else if (existsSync(url.slice('sqlite:'.length))) {
      const { rmSync } = await import('node:fs');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${url.slice('sqlite:'.length)}${suffix}`, { force: true });
    }
    const { seedCases } = await import('./scale/seed-cases.js'); // here: a reuse needs none of the seeding code
    const started = await startDatabase(url);
    await loadDemoData(started.sql, PASSWORD);
    const seed = await seedCases(started.sql, url, { cases, now: new Date(), offsetMinutes, log: (line) => console.log(`  ${line}`) });
    console.log(`seeded in ${Math.round(seed.seconds)} s: ${JSON.stringify(seed.rows)}`);
    await started.close();
  } else {
    console.log(`reusing the ${seeded.toLocaleString('en-US')} cases seeded earlier (--fresh seeds anew)`);
  }

  // ---- bytes per case
  db = await openSql(url);
  const total = Number((await rows<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases'))[0]?.n);
  let bytes: number;
  if (mysqlUrl) {
    bytes = Number(
      (await rows<{ b: unknown }>('SELECT SUM(data_length + index_length) AS b FROM information_schema.tables WHERE table_schema = DATABASE()'))[0]?.b,
    );
  } else {
    await rows('PRAGMA wal_checkpoint(TRUNCATE)');
    bytes = statSync(url.slice('sqlite:'.length)).size;
  }
  await db.destroy();
  const bytesPerCase = Math.round(bytes / total);
  console.log(
    `database: ${(bytes / 2 ** 20).toFixed(0)} MiB for ${total.toLocaleString('en-US')} cases = ${bytesPerCase.toLocaleString('en-US')} bytes per case`,
  );

  // ---- the running server
  const t0 = Date.now();
  const server = await startServer({ DATABASE_URL: url, DATA_DIR: dir });
  console.log(`server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const tokens = {
      operator: await login(`${server.url}/api`, 'operator'),
      clerk: await login(`${server.url}/api`, 'clerk'),
      auditor: await login(`${server.url}/api`, 'auditor'),
      public: null,
    };
    const list = (await (await fetch(`${server.url}/api/cases?pageSize=1`, { headers: { Authorization: `Bearer ${tokens.operator}` } })).json()) as {
      items: Array<{ id: string }>;
    };
    // work left from an earlier run (cases filed but not yet processed) is taken up at start: wait until the
    // server is quiet, so the reads are measured on their own (intake below measures them together)
    const settled = await settle(server);
    console.log(`server quiet after ${settled.seconds} s (event loop max ${settled.maxMs} ms over the last 2 s)`);
    server.resetLoop();
    const reads = await measureReads(server, tokens, list.items[0]?.id ?? '1', samples);
    const duringReads = await server.loop();
    console.log(`event loop during the reads: max ${duringReads.max_ms} ms, p99 ${duringReads.p99_ms} ms`);
    const intake = intakeSeconds > 0 ? await intakeWithScreens(server, tokens.operator, 10, intakeSeconds) : { perSecond: 0, p99: 0, streamEvents: 0 };
    console.log(`intake with 10 screens open: ${intake.perSecond}/s (p99 ${intake.p99} ms); the screens received ${intake.streamEvents} updates`);
    const loop = await server.loop();
    console.log(`event loop over the reads and the intake: max ${loop.max_ms} ms, p99 ${loop.p99_ms} ms, mean ${loop.mean_ms} ms`);
    const endpointP99 = Object.fromEntries(Object.entries(reads).map(([k, v]) => [k, v.p99]));
    const failed = Object.entries(reads)
      .filter(([, v]) => v.status >= 400)
      .map(([k, v]) => `${k}: ${v.status}`);
    if (failed.length) console.log(`FAILED reads: ${failed.join('; ')}`);
    console.log(
      JSON.stringify({
        cases: total,
        db: dbLabel,
        endpoint_p99_ms: endpointP99,
        max_endpoint_p99_ms: Math.max(...Object.values(endpointP99)),
        event_loop_max_ms: loop.max_ms,
        intake_per_s_with_screens: intake.perSecond,
        bytes_per_case: bytesPerCase,
      }),
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
