/**
 * `npm run bench:api`: the whole system (SQLite, demo district, embedded engine, every worker) in a child
 * process over a temporary DATA_DIR, driven from this one:
 * 1. intake, closed loop — POST /api/cases as the operator, autocannon with 50 connections flat out for
 *    15 s, each report starting its process. Each connection waits for its answer before it sends again, so
 *    this is the saturation throughput; its p99 is mostly queueing at saturation, not what a caller sees;
 *    then how long the workers take to catch up after the burst;
 * 2. intake, open loop — reports sent on a fixed schedule (300/s for 15 s), each on time whatever the
 *    earlier ones are doing, over a keep-alive agent with sockets enough (1,000) for any backlog; latency is
 *    counted from each request's *scheduled* send time, so a stalled server or client shows up as latency
 *    instead of as requests that were never sent (coordinated omission). Prints p50/p90/p99/max, failures
 *    (non-2xx, errors, 10 s timeouts) and requests sent > 10 ms behind schedule (the client's own lag) or
 *    whose socket came > 10 ms after it was sent (the agent's queue, or the client's lag again);
 * 3. the highest open-loop rate with p99 < 200 ms: short runs (8 s) stepping up by 100/s from 300/s (down by
 *    bisection when 300/s fails), then one bisection to 50/s; a run passes with p99 < 200 ms and no failures,
 *    and stops early once 1 % of it is over 200 ms (it cannot pass any more). Before every open-loop run the
 *    system settles: the server process's CPU stays within 10 % of a core of its use at rest (measured after
 *    start) for 2 s, i.e. its workers have drained;
 * 4. AI-camera ingest — POST /api/ingest/camera/events in batches from several registered cameras, after a
 *    first batch per camera almost every event is a repeat that merges into its open case.
 * Prints the figures and, as the last line, JSON {intake_per_s, intake_p99_ms, ai_events_per_s, intake_drain_s,
 * p99_ms_at_300_per_s, max_rate_p99_under_200ms, loop_max_ms_at_300_per_s} (the server's event-loop delay
 * max over the open-loop run, perf_hooks.monitorEventLoopDelay; intake_* from the closed loop; intake_drain_s: seconds
 * after the closed-loop burst until no filed case is still waiting for its first worker steps; a skipped
 * part gives null; with OPEN_RATE set, the p99 key names that rate).
 * Targets (issue 7): ≥ 300 intakes/s with p99 < 200 ms; ≥ 3,000 AI events/s. Issue 12: p99 at 300/s measured
 * open loop.
 * Environment (seconds; 0 skips that part):
 *   INTAKE_SECONDS (15) closed loop · OPEN_RATE (300) / OPEN_SECONDS (15) open loop · SEARCH_SECONDS (8) each
 *   search run, SEARCH_STEP (100) /s, SEARCH_RESOLUTION (50) /s, SEARCH_MAX_RATE (3000) /s, SEARCH_BUDGET_S
 *   (150) no new search run after this long · SETTLE_MAX_S (120) longest wait for the server to go idle ·
 *   AI_SECONDS (10) camera ingest.
 * LOOP_TRACE=1 prints after each open-loop run what was running in each event-loop stall (bench/loop-stalls.ts).
 * BENCH_TIMELINE=1 prints the open-loop run second by second, with its window on the monotonic clock (that of
 * a --cpu-prof profile). BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server process.
 * The client shares the machine with the server and prints the load average: other work skews every figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  '2xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: Array<{ method?: string; setupRequest?: (req: AutocannonRequest) => AutocannonRequest }>;
}
// autocannon ships no types; its documented API is the one function typed above
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

const SELF = fileURLToPath(import.meta.url);

/** The server side: start the system, say where it listens, stop cleanly on SIGTERM (so --cpu-prof is written). */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../config/load.js');
  const { startSystem } = await import('../system/start-system.js');
  const system = await startSystem(loadConfig());
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const stalls = process.env['LOOP_TRACE'] ? (await import('./loop-stalls.js')).watchLoopStalls() : null;
  process.stdout.write(`READY ${system.url}\n`);
  // RESET before an open-loop run, REPORT after it: the event loop's delays over the run (and with
  // LOOP_TRACE, what was running in each stall)
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'RESET') {
      loop.reset();
      stalls?.reset();
      return;
    }
    if (line.trim() !== 'REPORT') return;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    if (stalls) process.stdout.write(`TRACE ${stalls.report()}\n`);
    process.stdout.write(`LOOP ${JSON.stringify({ max_ms: ms(loop.max), p99_ms: ms(loop.percentile(99)) })}\n`);
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
  resetLoop(): void;
  loop(): Promise<{ max_ms: number; p99_ms: number }>;
}

async function startServer(dir: string): Promise<Server> {
  const flags = (process.env['BENCH_SERVER_FLAGS'] ?? '').split(/\s+/u).filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', SELF, '--serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
      DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'fatal',
      DEMO_DATA: 'true',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const loopWaiters: Array<(loop: { max_ms: number; p99_ms: number }) => void> = [];
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\S+)/u.exec(line);
      if (m) resolve(m[1]!);
      else if (line.startsWith('LOOP ')) loopWaiters.shift()?.(JSON.parse(line.slice(5)) as { max_ms: number; p99_ms: number });
      else if (line.startsWith('TRACE ')) console.log(`    loop trace: ${line.slice(6)}`);
      else if (line.trim()) process.stderr.write(`[server] ${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
  return {
    url,
    child,
    resetLoop: () => child.stdin!.write('RESET\n'),
    loop: () =>
      new Promise((resolve) => {
        loopWaiters.push(resolve);
        child.stdin!.write('REPORT\n');
      }),
  };
}

async function json<T>(url: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const login = async (api: string, username: string) =>
  (await json<{ token: string }>(`${api}/auth/login`, { method: 'POST', body: { username, password: process.env['DEMO_PASSWORD'] ?? 'Demo@2026' } })).token;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** a non-negative number from the environment, or the default; a typo stops the bench instead of running something else */
function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a number ≥ 0`);
  return value;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** nearest-rank percentile of ascending values (p99 of 100 values is the 99th) */
const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);

/** a request later than this behind its schedule, in the client or waiting for a socket, is counted as late */
const LATE_MS = 10;
/** a request unanswered this long is given up and counted as failed */
const REQUEST_TIMEOUT_MS = 10_000;
/** sockets enough that a backlog of seconds at these rates never waits for one (the server takes them all) */
const MAX_SOCKETS = 1000;

interface OpenLoopResult {
  rate: number;
  planned: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** latency from the scheduled send time to the end of the answer, ms (a failed request counts until it failed) */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** sent (request() called) more than LATE_MS behind schedule: the client's own lag */
  lateSends: number;
  maxSendLagMs: number;
  /** waited more than LATE_MS for a socket after it was sent */
  socketWaits: number;
  peakInFlight: number;
  /** seconds into the run when it stopped because it could no longer pass, else null */
  stoppedAtS: number | null;
  /** per second of the schedule: [p50, p99, max] of the requests due in it */
  timeline: Array<[number, number, number]>;
  /** CLOCK_MONOTONIC µs at the first send and the last answer: the samples of a server --cpu-prof (same clock) in the run */
  monotonicUs: [number, number];
}

/**
 * Open loop: request i is due at start + i / rate and is sent then, whether or not the earlier ones have
 * been answered; its latency runs from when it was due. A scheduler that waited for answers (a closed loop,
 * or autocannon's overallRate, which paces each connection) would send less while the server stalls and
 * leave the stall out of the figures.
 */
async function openLoop(opts: {
  url: string;
  headers: Record<string, string>;
  body: () => string;
  rate: number;
  seconds: number;
  /** stop sending once p99 of the planned run is certain to be at least this (a search run that has failed) */
  stopAtP99Ms?: number;
}): Promise<OpenLoopResult> {
  const target = new URL(opts.url);
  // a fresh agent per run: no socket left idle by the previous run (and closed by the server meanwhile) is reused
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, scheduling: 'lifo', timeout: 4000 });
  const planned = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  const latencies = new Float64Array(planned);
  const dues = new Float64Array(planned); // when each answered request was due, for the timeline
  const r: OpenLoopResult = {
    rate: opts.rate,
    planned,
    sent: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    p50: 0,
    p90: 0,
    p99: 0,
    max: 0,
    lateSends: 0,
    maxSendLagMs: 0,
    socketWaits: 0,
    peakInFlight: 0,
    stoppedAtS: null,
    timeline: [],
    monotonicUs: [0, 0],
  };
  const inFlight = new Map<number, number>(); // index → due time
  let done = 0;
  let over = 0; // answered at or above stopAtP99Ms
  // nearest-rank p99 ≥ T as soon as this many of the planned requests take ≥ T
  const overToFail = planned - Math.ceil(0.99 * planned) + 1;
  let allAnswered: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });
  let stopped = false;

  const send = (i: number, due: number) => {
    const sentAt = performance.now();
    const lag = sentAt - due;
    if (lag > LATE_MS) r.lateSends++;
    if (lag > r.maxSendLagMs) r.maxSendLagMs = lag;
    const body = opts.body();
    inFlight.set(i, due);
    if (inFlight.size > r.peakInFlight) r.peakInFlight = inFlight.size;
    let finished = false;
    const finish = (outcome: 'ok' | 'non2xx' | 'error' | 'timeout') => {
      if (finished) return;
      finished = true;
      const latency = performance.now() - due;
      dues[done] = due;
      latencies[done++] = latency;
      inFlight.delete(i);
      if (outcome === 'ok') r.ok++;
      else if (outcome === 'non2xx') r.non2xx++;
      else if (outcome === 'error') r.errors++;
      else r.timeouts++;
      if (opts.stopAtP99Ms !== undefined && latency >= opts.stopAtP99Ms) over++;
      if (stopped && inFlight.size === 0) allAnswered();
    };
    const req = request({
      agent,
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: 'POST',
      headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: REQUEST_TIMEOUT_MS,
    });
    req.once('socket', () => {
      if (performance.now() - sentAt > LATE_MS) r.socketWaits++;
    });
    req.once('timeout', () => {
      finish('timeout');
      req.destroy();
    });
    req.once('error', () => finish('error'));
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      res.once('error', () => finish('error'));
      res.once('end', () => finish(status >= 200 && status < 300 ? 'ok' : 'non2xx'));
      res.resume();
    });
    req.end(body);
    r.sent++;
  };

  const start = performance.now() + 10;
  r.monotonicUs[0] = Number(process.hrtime.bigint() / 1000n) + 10_000;
  let next = 0;
  let lastCheck = start;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // everything due by now goes out in this turn: a late timer sends its backlog at once, not at the rate
      while (next < planned && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (opts.stopAtP99Ms !== undefined && now - lastCheck >= 50) {
        lastCheck = now;
        let stillOut = 0;
        for (const due of inFlight.values()) if (now - due >= opts.stopAtP99Ms) stillOut++;
        if (over + stillOut >= overToFail) {
          r.stoppedAtS = (now - start) / 1000;
          next = planned;
        }
      }
      if (next < planned) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else resolve();
    };
    setTimeout(tick, 10);
  });
  stopped = true;
  if (inFlight.size === 0) allAnswered();
  await answered;
  r.monotonicUs[1] = Number(process.hrtime.bigint() / 1000n);
  agent.destroy();

  const bySecond: number[][] = [];
  for (let k = 0; k < done; k++) (bySecond[Math.floor((dues[k]! - start) / 1000)] ??= []).push(latencies[k]!);
  r.timeline = Array.from(bySecond, (l) => {
    const s = Float64Array.from(l ?? []).sort();
    return [percentile(s, 50), percentile(s, 99), s[s.length - 1] ?? 0];
  });
  const sorted = latencies.subarray(0, done).sort();
  [r.p50, r.p90, r.p99, r.max] = [percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1] ?? 0];
  return r;
}

const passes = (r: OpenLoopResult, p99Ms: number) => r.stoppedAtS === null && r.p99 < p99Ms && r.ok === r.planned;

function describeOpenLoop(r: OpenLoopResult): string {
  const failed = r.non2xx + r.errors + r.timeouts;
  return (
    `${fmt(r.sent)} sent${r.stoppedAtS !== null ? ` (stopped after ${fmt(r.stoppedAtS, 1)} s: p99 can no longer pass)` : ''}, ` +
    `latency from scheduled send p50 ${fmt(r.p50, 1)} ms, p90 ${fmt(r.p90, 1)} ms, p99 ${fmt(r.p99, 1)} ms, max ${fmt(r.max, 1)} ms; ` +
    `failed ${failed} (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}); ` +
    `late to send ${r.lateSends} (client lag max ${fmt(r.maxSendLagMs, 1)} ms), socket only > ${LATE_MS} ms after sending ${r.socketWaits}, peak in flight ${r.peakInFlight}`
  );
}

/** with BENCH_TIMELINE: a p99 made by one stall reads differently from one made by a queue that keeps growing */
function printTimeline(r: OpenLoopResult): void {
  if (!process.env['BENCH_TIMELINE']) return;
  console.log(
    `    each second p50/p99/max ms: ${r.timeline.map(([a, b, c]) => `${fmt(a)}/${fmt(b)}/${fmt(c)}`).join('  ')}` +
      ` (monotonic µs ${r.monotonicUs[0]}–${r.monotonicUs[1]}, the clock of a --cpu-prof profile)`,
  );
}

/** CPU seconds the process has used (Linux /proc; null elsewhere). Clock ticks are 100/s on every Linux we run on. */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "(comm)": field 3 is index 0
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime
  } catch {
    return null;
  }
}

/** the server's CPU use over the next second, in cores (null where /proc cannot be read) */
async function cpuRate(pid: number): Promise<number | null> {
  const [c0, t0] = [await cpuSeconds(pid), performance.now()];
  await sleep(1000);
  const [c1, t1] = [await cpuSeconds(pid), performance.now()];
  return c0 === null || c1 === null ? null : (c1 - c0) / ((t1 - t0) / 1000);
}

/**
 * Waits until the server is idle — within 10 % of a core of its CPU use at rest (`idle`: pollers, and a
 * profiler's sampling thread with --cpu-prof) for two one-second samples in a row — so that an open-loop run
 * does not inherit the workers' backlog from the run before. Returns the seconds waited, or null if it was
 * still busy after maxS (or CPU time cannot be read here: then it waits minS only).
 */
async function settle(pid: number, idle: number | null, maxS: number, minS = 2): Promise<number | null> {
  const started = performance.now();
  if (idle === null) {
    await sleep(minS * 1000);
    return null;
  }
  let quiet = 0;
  while (performance.now() - started < maxS * 1000) {
    const rate = await cpuRate(pid);
    if (rate === null) return null;
    quiet = rate < idle + 0.1 ? quiet + 1 : 0;
    if (quiet >= 2 && performance.now() - started >= minS * 1000) return (performance.now() - started) / 1000;
  }
  return null;
}

async function main(): Promise<void> {
  // the figures only mean something on an otherwise idle machine: say how busy it was
  const load = () =>
    `load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')} on ${availableParallelism()} cores`;
  console.log(`machine: ${load()} at the start`);
  const dir = await mkdtemp(join(tmpdir(), 'ywtg-api-bench-'));
  const server = await startServer(dir);
  const { url, child } = server;
  const api = `${url}/api`;
  // the server at rest, before any request: the level settle() waits to come back to
  const idleCpu = await (async () => {
    const [a, b] = [await cpuRate(child.pid!), await cpuRate(child.pid!)];
    return a === null || b === null ? null : Math.min(a, b);
  })();
  console.log(`server: ${idleCpu === null ? 'CPU use not readable here, settling is a 2 s pause' : `${fmt(idleCpu * 100, 1)} % of a core at rest`}`);
  const intakeSeconds = envNumber('INTAKE_SECONDS', 15);
  const openRate = envNumber('OPEN_RATE', 300);
  const openSeconds = openRate > 0 ? envNumber('OPEN_SECONDS', 15) : 0;
  const searchSeconds = envNumber('SEARCH_SECONDS', 8);
  const searchStep = envNumber('SEARCH_STEP', 100);
  const searchResolution = envNumber('SEARCH_RESOLUTION', 50);
  const searchMaxRate = envNumber('SEARCH_MAX_RATE', 3000);
  const searchBudgetS = envNumber('SEARCH_BUDGET_S', 150);
  const settleMaxS = envNumber('SETTLE_MAX_S', 120);
  const aiSeconds = envNumber('AI_SECONDS', 10);
  const SEARCH_P99_MS = 200; // the target of issue 7
  if (searchSeconds > 0 && (searchStep <= 0 || searchResolution <= 0)) throw new Error('SEARCH_STEP and SEARCH_RESOLUTION must be > 0');
  try {
    const operator = await login(api, 'operator');
    const admin = await login(api, 'admin');

    // ── intake ──
    let n = 0;
    const places = [
      [25.599312, 103.834996],
      [25.598031, 103.829996],
      [25.6052, 103.8401],
      [25.59, 103.82],
    ] as const;
    const caseBody = () => {
      n++;
      const [lat, lng] = places[n % places.length]!;
      return JSON.stringify({
        description: `压测热线工单 ${n}：路灯不亮，居民反映夜间出行不便`,
        lat: lat + (n % 97) * 1e-5,
        lng: lng + (n % 89) * 1e-5,
        reporterPhone: '13800000000',
      });
    };
    // warm-up: JIT, statement cache, the first process instances
    for (let i = 0; i < (intakeSeconds > 0 || openSeconds > 0 ? 20 : 0); i++)
      await json(`${api}/cases`, { method: 'POST', token: operator, body: JSON.parse(caseBody()) as unknown });
    const intake =
      intakeSeconds <= 0
        ? null
        : await autocannon({
            url: `${api}/cases`,
            connections: 50,
            duration: intakeSeconds,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` },
            requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: caseBody() }) }],
          });
    const intakePerS = intake ? intake['2xx'] / intake.duration : 0;
    if (intake)
      console.log(
        `intake: ${fmt(intake['2xx'])} cases in ${fmt(intake.duration, 1)} s = ${fmt(intakePerS, 1)}/s, latency p50 ${intake.latency.p50} ms, p99 ${intake.latency.p99} ms, max ${intake.latency.max} ms, non-2xx ${intake.non2xx}, errors ${intake.errors}, timeouts ${intake.timeouts}`,
      );

    // the workers step back while requests wait (domain/shared/foreground-load.ts): how long after the
    // burst until the workers have caught up — the number of cases still 'reported' stops changing (those
    // left wait for a person's 受理: the classifier was not sure of their type)
    let drainS: number | null = null;
    if (intake) {
      const started = Date.now();
      let last = -1;
      let lastChange = started;
      while (Date.now() - lastChange < 3000 && Date.now() - started < 300_000) {
        const summary = await json<{ byStatus: Record<string, number> }>(`${api}/dashboard/summary`, { token: admin });
        const reported = summary.byStatus['reported'] ?? 0;
        if (reported !== last) [last, lastChange] = [reported, Date.now()];
        await new Promise((r) => setTimeout(r, 250));
      }
      if (Date.now() - lastChange >= 3000) drainS = (lastChange - started) / 1000;
      console.log(
        drainS === null
          ? 'backlog: workers still busy 300 s after the burst'
          : `backlog: workers caught up ${fmt(drainS, 1)} s after the burst (${last} cases wait for a person's 受理)`,
      );
    }

    // ── intake, open loop ──
    const intakeHeaders = { 'content-type': 'application/json', authorization: `Bearer ${operator}` };
    const runOpen = async (rate: number, seconds: number, stopAtP99Ms?: number) => {
      const waited = await settle(child.pid!, idleCpu, settleMaxS);
      const settled = waited === null ? `not idle after ${settleMaxS} s (or CPU unreadable)` : `settled ${fmt(waited, 1)} s`;
      server.resetLoop();
      const result = await openLoop({
        url: `${api}/cases`,
        headers: intakeHeaders,
        body: caseBody,
        rate,
        seconds,
        ...(stopAtP99Ms !== undefined ? { stopAtP99Ms } : {}),
      });
      return { settled, result, loop: await server.loop() };
    };
    let open: OpenLoopResult | null = null;
    let openLoopMax: number | null = null;
    if (openSeconds > 0) {
      const { settled, result, loop } = await runOpen(openRate, openSeconds);
      open = result;
      openLoopMax = loop.max_ms;
      console.log(
        `open loop ${fmt(openRate)}/s for ${fmt(openSeconds)} s (${settled}): ${describeOpenLoop(open)}; server event loop delay max ${fmt(loop.max_ms, 1)} ms, p99 ${fmt(loop.p99_ms, 1)} ms`,
      );
      printTimeline(open);
    }

    // ── the highest rate with p99 under 200 ms ──
    // lo passed, hi failed; step up from the open-loop run while it passes, then bisect to the resolution
    let maxRate: number | null = null;
    if (searchSeconds > 0) {
      const started = performance.now();
      let lo = 0;
      let hi = Infinity;
      if (open) {
        if (passes(open, SEARCH_P99_MS)) lo = openRate;
        else hi = openRate;
      }
      const roundTo = (x: number) => Math.round(x / searchResolution) * searchResolution;
      let ended = 'resolution reached';
      for (;;) {
        const rate = hi === Infinity ? (lo === 0 ? Math.max(openRate, searchResolution) : lo + searchStep) : roundTo((lo + hi) / 2);
        if (hi !== Infinity && (hi - lo <= searchResolution || rate <= lo || rate >= hi)) break;
        if (rate > searchMaxRate) {
          ended = `SEARCH_MAX_RATE ${searchMaxRate}/s reached`;
          break;
        }
        if ((performance.now() - started) / 1000 >= searchBudgetS) {
          ended = `SEARCH_BUDGET_S ${searchBudgetS} s spent`;
          break;
        }
        const { settled, result } = await runOpen(rate, searchSeconds, SEARCH_P99_MS);
        const pass = passes(result, SEARCH_P99_MS);
        console.log(`  search ${fmt(rate)}/s for ${fmt(searchSeconds)} s ${pass ? '✔' : '✘'} (${settled}): ${describeOpenLoop(result)}`);
        printTimeline(result);
        if (pass) lo = rate;
        else hi = rate;
      }
      maxRate = lo;
      console.log(
        `highest open-loop rate with p99 < ${SEARCH_P99_MS} ms: ${lo > 0 ? `${fmt(lo)}/s` : 'none'}` +
          `${hi === Infinity ? ' (no failing rate found)' : `, ${fmt(hi)}/s failed`}; ${ended}, search took ${fmt((performance.now() - started) / 1000)} s`,
      );
    }

    // ── AI cameras ──
    const eventTypes = ['BJ-0101', 'BJ-0102'];
    const cameras: Array<{ code: string; key: string }> = [];
    for (let i = 0; i < 8; i++) {
      // the registry places each camera in the grid around its coordinates
      const [lat, lng] = places[i % places.length]!;
      const created = await json<{ apiKey: string }>(`${api}/admin/cameras`, {
        method: 'POST',
        token: admin,
        body: { code: `BENCH-CAM-${i}`, name: `压测摄像头 ${i}`, lat: lat + i * 1e-4, lng, eventTypeCodes: eventTypes },
      });
      cameras.push({ code: `BENCH-CAM-${i}`, key: created.apiKey });
    }
    const BATCH = 200;
    let batchNo = 0;
    const batch = () => {
      const cam = cameras[batchNo % cameras.length]!;
      const b = batchNo++;
      const now = new Date().toISOString();
      const events = Array.from({ length: BATCH }, (_, i) => ({
        eventId: `b${b}-e${i}`,
        eventTypeCode: eventTypes[i % 10 === 0 ? 1 : 0]!,
        confidence: i % 25 === 7 ? 0.4 : 0.6 + ((b + i) % 40) / 100,
        capturedAt: now,
        snapshotUrl: `https://cam.example.cn/${cam.code}/${b}/${i}.jpg`,
      }));
      return { headers: { 'content-type': 'application/json', 'x-device-key': cam.key }, body: JSON.stringify({ deviceCode: cam.code, events }) };
    };
    const ai =
      aiSeconds <= 0
        ? null
        : await autocannon({
            url: `${api}/ingest/camera/events`,
            connections: cameras.length,
            duration: aiSeconds,
            requests: [
              {
                method: 'POST',
                setupRequest: (req) => {
                  const b = batch();
                  return { ...req, headers: { ...(req.headers ?? {}), ...b.headers }, body: b.body };
                },
              },
            ],
          });
    const aiEventsPerS = ai ? (ai['2xx'] * BATCH) / ai.duration : 0;
    if (ai)
      console.log(
        `ai camera: ${fmt(ai['2xx'])} batches of ${BATCH} events in ${fmt(ai.duration, 1)} s = ${fmt(aiEventsPerS)} events/s (batch p50 ${ai.latency.p50} ms, p99 ${ai.latency.p99} ms), non-2xx ${ai.non2xx}, errors ${ai.errors}; 4% of events are under the 0.6 threshold and refused, the rest (but each camera's first of a type) merge as repeats`,
      );

    const result = {
      intake_per_s: Math.round(intakePerS * 10) / 10,
      intake_p99_ms: intake?.latency.p99 ?? 0,
      ai_events_per_s: Math.round(aiEventsPerS),
      intake_drain_s: drainS,
      [`p99_ms_at_${openRate}_per_s`]: open ? Math.round(open.p99 * 10) / 10 : null,
      [`max_rate_p99_under_${SEARCH_P99_MS}ms`]: maxRate,
      [`loop_max_ms_at_${openRate}_per_s`]: openLoopMax,
    };
    const verdict = [
      ...(intake
        ? [
            result.intake_per_s >= 300 ? 'intake ≥ 300/s ✔' : 'intake < 300/s ✘',
            result.intake_p99_ms < 200 ? 'closed-loop p99 < 200 ms ✔' : 'closed-loop p99 ≥ 200 ms ✘',
          ]
        : []),
      ...(open
        ? [
            passes(open, SEARCH_P99_MS)
              ? `open-loop ${openRate}/s p99 < ${SEARCH_P99_MS} ms ✔`
              : `open-loop ${openRate}/s p99 ≥ ${SEARCH_P99_MS} ms or failures ✘`,
          ]
        : []),
      ...(ai ? [result.ai_events_per_s >= 3000 ? 'AI ≥ 3000 events/s ✔' : 'AI < 3000 events/s ✘'] : []),
    ];
    console.log(`targets: ${verdict.join(', ')}`);
    console.log(`machine: ${load()} at the end`);
    console.log(JSON.stringify(result));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
