import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Engine, TestClock } from '../../engine/index.js';
import { deploy, dropEngineTables, engineTestUrl, openTask, DAY } from '../engine/support/harness.js';

const run = promisify(execFile);
const CLI = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'system', 'cli', 'prune-history.ts');

/** `npm run history:prune`, as an operator runs it: the configuration from the environment, the engine's database from it. */
async function pruneCommand(env: Record<string, string>, args: string[] = []): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('db/cli: npm run history:prune', function () {
  this.timeout(60_000);

  it('given a case ended 40 days ago and one ended today, both read by the history readers, when run with the default retention, then only the old one is gone; on MySQL it is refused while an engine holds the database', async () => {
    const { url, cleanup } = engineTestUrl();
    await dropEngineTables(url);
    const clock = new TestClock(Date.now() - 40 * DAY);
    let engine = await Engine.open({ databaseUrl: url, clock });
    try {
      await deploy(engine, 'jt-user-tasks.bpmn');
      const finish = async () => {
        const { processInstanceKey } = await engine.createInstance({
          bpmnProcessId: 'jt-user-tasks',
          variables: { reportedAt: '2026-03-02T18:00:00+08:00', followUpAt: '2026-03-04T09:00:00+08:00', urgent: true, grid: 'G7' },
        });
        for (const id of ['review', 'approve']) await engine.completeUserTask((await openTask(engine, processInstanceKey, id)).userTaskKey);
        return processInstanceKey;
      };
      const old = await finish();
      await clock.set(Date.now());
      const recent = await finish();
      const last = (await engine.readHistory(0, 10_000)).at(-1)!.position;
      for (const reader of ['case-history', 'inbox-tasks']) await engine.saveExporterPosition(reader, last);
      const env: Record<string, string> = url.startsWith('sqlite:')
        ? { DATABASE_URL: `sqlite:${join(dirname(url.slice('sqlite:'.length)), 'app.sqlite')}`, DATA_DIR: dirname(url.slice('sqlite:'.length)) }
        : { DATABASE_URL: url };

      if (!url.startsWith('sqlite:')) {
        const refused = await pruneCommand(env);
        expect(refused.code, refused.out).to.equal(1);
        expect(refused.out).to.contain('stop it to prune by hand');
        expect(await engine.getInstance(old)).to.not.equal(null);
      }
      await engine.close();
      const done = await pruneCommand(env);
      expect(done.code, done.out).to.equal(0);
      expect(done.out).to.contain('pruned 1 finished cases (1 instances)');
      engine = await Engine.open({ databaseUrl: url, clock });
      expect(await engine.getInstance(old)).to.equal(null);
      expect((await engine.getInstance(recent))!.state).to.equal('COMPLETED');

      const bad = await pruneCommand(env, ['--days', 'soon']);
      expect(bad.code).to.equal(2);
      expect(bad.out).to.contain('usage: npm run history:prune');
    } finally {
      await engine.close();
      cleanup();
    }
  });
});
