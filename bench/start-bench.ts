/**
 * npm run bench:start — how long the server takes to start and how much memory it holds once up, run as
 * TypeScript through tsx (`tsx system/main.ts`, how `npm start` ran before the production build) and as the
 * compiled JavaScript (`node dist/server/system/main.js`, how it runs now), alternating in one run so both see
 * the same machine load.
 *
 * Each start is against one SQLite file that an untimed first start migrated and loaded the demo district into,
 * so every timed start does what a restart does: open the database, check migrations, deploy the product's
 * processes (unchanged: no new versions), start the engine, workers and HTTP. Start time = spawn until the
 * "running at" line; RSS = the sum over the process group (tsx runs the server in a child node) one second
 * after that line.
 *
 *   npm run bench:start [-- --rounds 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuilt } from '../build/build-server.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

const VARIANTS = {
  tsx: [join(root, 'node_modules/.bin/tsx'), 'system/main.ts'],
  compiled: [process.execPath, 'dist/server/system/main.js'],
} as const;
type Variant = keyof typeof VARIANTS;

/** Resident memory (kB) of every process in the group, from /proc (Linux). */
function groupRssKb(pgid: number): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after the parenthesised command: state ppid pgrp …
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += rss ? Number(rss[1]) : 0;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

async function startOnce(variant: Variant, env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number }> {
  const [cmd, ...args] = VARIANTS[variant];
  const t0 = performance.now();
  // its own process group: tsx's child node is measured and stopped with it
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ms = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes('running at')) {
        clearInterval(poll);
        resolve(performance.now() - t0);
      }
    }, 5);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`${variant} exited before it was up:\n${out}`));
    });
  });
  await new Promise((r) => setTimeout(r, 1000));
  const rssMb = groupRssKb(child.pid!) / 1024;
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  return { ms, rssMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  await ensureServerBuilt({ ifStale: true });
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-start-bench-'));
  const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, DATA_DIR: dir, LOG_LEVEL: 'warn' };
  try {
    await startOnce('compiled', env); // migrate and load the demo district, untimed
    const results: Record<Variant, Array<{ ms: number; rssMb: number }>> = { tsx: [], compiled: [] };
    for (let i = 0; i < rounds; i++) {
      for (const v of (i % 2 ? ['compiled', 'tsx'] : ['tsx', 'compiled']) as Variant[]) results[v].push(await startOnce(v, env));
    }
    const summary = Object.fromEntries(
      Object.entries(results).map(([v, rs]) => [
        v,
        {
          startMsMedian: Math.round(median(rs.map((r) => r.ms))),
          rssMbMedian: Math.round(median(rs.map((r) => r.rssMb))),
          startMs: rs.map((r) => Math.round(r.ms)),
          rssMb: rs.map((r) => Math.round(r.rssMb)),
        },
      ]),
    );
    console.log(`start (spawn → "running at"), ${rounds} rounds alternating, median:`);
    for (const [v, s] of Object.entries(summary))
      console.log(`  ${v.padEnd(9)} ${String(s.startMsMedian).padStart(6)} ms   RSS ${String(s.rssMbMedian).padStart(4)} MB   (${s.startMs.join(' ')} ms)`);
    console.log(JSON.stringify(summary));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
