/**
 * npm run bench:engine — the embedded engine against bpmn-engine on the same reference case
 * process (bench/reference-case.bpmn), both persisting to SQLite, in one run. Prints a table and,
 * as its last line, one JSON object with the figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/index.js';
import { runBpmnEngineBaseline } from './bpmn-engine-baseline.js';

const CASES = Number(process.env['BENCH_CASES'] ?? 3000);
const HEAP_CASES = Number(process.env['BENCH_HEAP_CASES'] ?? 10_000);
const BASELINE_CASES = Number(process.env['BENCH_BASELINE_CASES'] ?? 150);
const CHUNK = 500;
const xml = readFileSync(new URL('./reference-case.bpmn', import.meta.url), 'utf8');

function gcHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:engine does)');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function inChunks<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await Promise.all(items.slice(i, i + CHUNK).map(fn));
}

/** Completes every job of a type, activating them as workers would; returns the time spent completing. */
async function completeAll(engine: Engine, type: string, expected: number): Promise<number> {
  let done = 0;
  let completing = 0;
  while (done < expected) {
    const jobs = await engine.activateJobs({ type, maxJobsToActivate: CHUNK, timeoutMs: 600_000, worker: 'bench' });
    if (!jobs.length) throw new Error(`expected ${expected} ${type} jobs, found ${done}`);
    const t0 = performance.now();
    await Promise.all(jobs.map((j) => engine.completeJob(j.key, type === 'bench-verify' ? { verified: true } : {})));
    completing += performance.now() - t0;
    done += jobs.length;
  }
  return completing;
}

async function runCases(engine: Engine, cases: number): Promise<{ seconds: number; commands: number; jobSeconds: number; jobs: number }> {
  const t0 = performance.now();
  let jobMs = 0;
  const ids = Array.from({ length: cases }, (_, i) => i);
  await inChunks(ids, () => engine.createInstance({ bpmnProcessId: 'bench-case', variables: { priority: 3, unit: 'D-CGJ' } }));
  for (const type of ['bench-classify', 'bench-accept', 'bench-dispatch']) jobMs += await completeAll(engine, type, cases);
  let tasksDone = 0;
  while (tasksDone < cases) {
    const tasks = await engine.listUserTasks({ state: 'CREATED', elementId: 'handle', limit: CHUNK });
    if (!tasks.length) throw new Error('user tasks missing');
    await Promise.all(tasks.map((t) => engine.completeUserTask(t.userTaskKey, { result: '已处置' })));
    tasksDone += tasks.length;
  }
  for (const type of ['bench-verify', 'bench-evaluate']) jobMs += await completeAll(engine, type, cases);
  const seconds = (performance.now() - t0) / 1000;
  const active = await engine.listInstances({ state: 'ACTIVE', limit: 1 });
  if (active.length) throw new Error('some bench cases did not complete');
  return { seconds, commands: cases * 7, jobSeconds: jobMs / 1000, jobs: cases * 5 };
}

async function heapPerWaitingInstance(engine: Engine, n: number): Promise<number> {
  const before = gcHeap();
  const ids = Array.from({ length: n }, (_, i) => i);
  await inChunks(ids, () => engine.createInstance({ bpmnProcessId: 'bench-case', variables: { priority: 3, unit: 'D-CGJ' } }));
  for (const type of ['bench-classify', 'bench-accept', 'bench-dispatch']) await completeAll(engine, type, n);
  // every instance now waits in the user task with two armed boundary timers
  const after = gcHeap();
  // the raw difference: near zero (GC noise can make it slightly negative) because waiting instances live only in SQL
  return (after - before) / n;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-bench-'));
  try {
    const engine = await Engine.open({ databaseUrl: `sqlite:${join(dir, 'engine.sqlite')}` });
    await engine.deploy([{ name: 'reference-case.bpmn', xml }]);
    await runCases(engine, Math.min(200, CASES)); // warm-up: JIT and page cache
    const ours = await runCases(engine, CASES);
    const heap = await heapPerWaitingInstance(engine, HEAP_CASES);
    await engine.close();

    const peer = await runBpmnEngineBaseline({ xml, cases: BASELINE_CASES, warmupCases: 20, dbFile: join(dir, 'bpmn-engine.sqlite') });

    const engineCmds = ours.commands / ours.seconds;
    const result = {
      cases: CASES,
      engine_cmds_per_s: Math.round(engineCmds),
      engine_job_completions_per_s: Math.round(ours.jobs / ours.jobSeconds),
      full_cases_per_s: Math.round(CASES / ours.seconds),
      heap_bytes_per_waiting_instance: Math.round(heap),
      bpmn_engine_cases: peer.cases,
      bpmn_engine_cmds_per_s: Math.round(peer.commandsPerSecond * 10) / 10,
      bpmn_engine_full_cases_per_s: Math.round(peer.casesPerSecond * 10) / 10,
      ratio: Math.round((engineCmds / peer.commandsPerSecond) * 10) / 10,
      sqlite_synchronous: 'FULL',
      node: process.version,
    };
    console.log('embedded engine vs bpmn-engine 25.0.1 on bench/reference-case.bpmn (7 commands per case, SQLite)');
    console.table({
      'commands/s': { embedded: result.engine_cmds_per_s, 'bpmn-engine': result.bpmn_engine_cmds_per_s },
      'full cases/s': { embedded: result.full_cases_per_s, 'bpmn-engine': result.bpmn_engine_full_cases_per_s },
      'job completions/s': { embedded: result.engine_job_completions_per_s, 'bpmn-engine': Math.round(peer.jobCompletionsPerSecond) },
    });
    console.log(`heap per waiting instance: ${result.heap_bytes_per_waiting_instance} bytes (${HEAP_CASES} instances at the user task, 2 timers each)`);
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
