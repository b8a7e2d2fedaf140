import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Engine } from '../../engine/index.js';
import { dropEngineTables, engineTestUrl } from './support/harness.js';

const CHILD = new URL('./support/crash-child.ts', import.meta.url).pathname;

interface ChildRun {
  acked: Map<number, string>;
  output: string;
}

/** Runs the child until `killAfterMs` (then SIGKILL) or until it exits by itself. */
function runChild(env: Record<string, string>, killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ChildRun = { acked: new Map(), output: '' };
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        run.output += `${line}\n`;
        const m = /^ack (\d+) (\d+)$/.exec(line);
        if (m) run.acked.set(Number(m[1]), m[2]!);
        if (line === 'ready' && killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (run.output += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (killAfterMs === null && code !== 0) reject(new Error(`child failed (${code ?? signal}):\n${run.output}`));
      else resolve(run);
    });
  });
}

describe('engine / crash and restart (SIGKILL under load)', function () {
  this.timeout(180_000);

  it('given an engine killed at random moments, when it restarts each time, then no acknowledged instance is lost and no job completion is applied twice', async () => {
    const { url, cleanup } = engineTestUrl();
    await dropEngineTables(url);
    try {
      const acked = new Map<number, string>();
      let next = 0;
      for (let i = 0; i < 5; i++) {
        const run = await runChild({ ENGINE_URL: url, START_REF: String(next) }, 400 + Math.floor(Math.random() * 1200));
        for (const [ref, key] of run.acked) acked.set(ref, key);
        next = Math.max(next, ...run.acked.keys()) + 1;
      }
      expect(acked.size, 'the load produced instances').to.be.greaterThan(20);
      console.log(`      (${acked.size} acknowledged instances over 5 kills)`);
      const drained = await runChild({ ENGINE_URL: url, DRAIN: '1' }, null);
      expect(drained.output).to.contain('drained');

      const engine = await Engine.open({ databaseUrl: url });
      try {
        for (const [ref, key] of acked) {
          const instance = await engine.getInstance(key);
          expect(instance, `acknowledged instance ref-${ref} (${key}) exists`).to.not.equal(null);
          expect(instance!.state, `ref-${ref}`).to.equal('COMPLETED');
          const events = await engine.history(key);
          const completed = events.filter((e) => e.intent === 'ELEMENT_COMPLETED').map((e) => e.elementId);
          // each element exactly once: a job completion applied twice would complete a task twice
          expect(completed, `ref-${ref}`).to.deep.equal(['start', 'a', 'wait', 'pause', 'b', 'end', 'crash-case']);
          const jobKeys = events.filter((e) => e.intent === 'JOB_COMPLETED').map((e) => e.payload!['jobKey']);
          expect(new Set(jobKeys).size, `ref-${ref} job completions`).to.equal(jobKeys.length);
          const correlated = events.filter((e) => e.intent === 'MESSAGE_CORRELATED');
          expect(correlated, `ref-${ref} message`).to.have.length(1);
        }
        // instances created but killed before the acknowledgement may exist too: none may be stuck
        expect(await engine.listInstances({ state: 'ACTIVE' })).to.deep.equal([]);
      } finally {
        await engine.close();
      }
    } finally {
      cleanup();
    }
  });
});
