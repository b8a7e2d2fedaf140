/**
 * npm run bench:timers — 1,000,000 pending boundary timers on waiting instances; 1,000 of them
 * fall due each second during a 30-second window on the real clock. Measures whether the
 * scheduler keeps up and how late timers fire. Last line: one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/index.js';

const TOTAL = Number(process.env['BENCH_TIMERS'] ?? 1_000_000);
const PER_SECOND = Number(process.env['BENCH_TIMERS_PER_S'] ?? 1000);
const WINDOW_S = Number(process.env['BENCH_WINDOW_S'] ?? 30);
const CHUNK = 1000;
const xml = readFileSync(new URL('./timer-case.bpmn', import.meta.url), 'utf8');

async function createWaiting(engine: Engine, dueAts: number[], label: string): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < dueAts.length; i += CHUNK) {
    await Promise.all(
      dueAts.slice(i, i + CHUNK).map((at) => engine.createInstance({ bpmnProcessId: 'timer-bench', variables: { dueAt: new Date(at).toISOString() } })),
    );
    if ((i / CHUNK) % 100 === 0 && i) {
      const rate = i / ((performance.now() - t0) / 1000);
      console.error(`${label}: ${i} instances (${Math.round(rate)}/s)`);
    }
  }
  console.error(`${label}: ${dueAts.length} instances in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-timers-'));
  try {
    const engine = await Engine.open({ databaseUrl: `sqlite:${join(dir, 'engine.sqlite')}` });
    await engine.deploy([{ name: 'timer-case.bpmn', xml }]);
    const windowCount = PER_SECOND * WINDOW_S;
    const farCount = TOTAL - windowCount;
    // the far ones are due days later, spread over a week: they must just sit there cheaply
    const far = Date.now() + 3 * 86_400_000;
    await createWaiting(
      engine,
      Array.from({ length: farCount }, (_, i) => far + Math.floor((i / farCount) * 7 * 86_400_000)),
      'far timers',
    );
    const windowStart = Date.now() + 15_000;
    await createWaiting(
      engine,
      Array.from({ length: windowCount }, (_, i) => windowStart + Math.floor((i * 1000) / PER_SECOND)),
      'window timers',
    );
    const pending = (await engine.driver.read<{ n: number }>('SELECT COUNT(*) AS n FROM eng_timer'))[0]!.n;
    const startPos = (await engine.driver.read<{ p: number | null }>('SELECT MAX(position) AS p FROM eng_history'))[0]!.p ?? 0;
    console.error(`pending timers: ${pending}; window opens in ${((windowStart - Date.now()) / 1000).toFixed(1)} s`);
    const windowEnd = windowStart + WINDOW_S * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - Date.now() + 3000)));
    await engine.idle();
    const fired = await engine.driver.read<{ at: number; payload: string }>(
      "SELECT at, payload FROM eng_history WHERE position > ? AND intent = 'TIMER_TRIGGERED' ORDER BY position",
      [startPos],
    );
    const lateness = fired.map((f) => Number(f.at) - (JSON.parse(f.payload) as { dueAt: number }).dueAt).sort((a, b) => a - b);
    const lastFire = Math.max(...fired.map((f) => Number(f.at)));
    const rss = process.resourceUsage().maxRSS / 1024;
    await engine.close();
    const result = {
      pending_timers: Number(pending),
      window_timers: windowCount,
      fired: fired.length,
      fired_per_s: Math.round(fired.length / ((Math.max(lastFire, windowEnd) - windowStart) / 1000)),
      p50_lateness_ms: percentile(lateness, 50),
      p99_lateness_ms: percentile(lateness, 99),
      max_lateness_ms: lateness[lateness.length - 1] ?? null,
      rss_mb: Math.round(rss),
    };
    console.log(`${result.fired}/${windowCount} window timers fired; p99 lateness ${result.p99_lateness_ms} ms; peak RSS ${result.rss_mb} MB`);
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
