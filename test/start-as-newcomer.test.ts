import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyDatabase, isMysql, testDatabaseUrl } from './support/database.js';

/** Runs `npm start` as a newcomer would and waits for the printed URL. */
function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  // Its own process group, so stopping it stops npm, its prestart build and node together.
  const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

describe('npm start (the README command)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let url: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ywtg-start-'));
    url = isMysql(testDatabaseUrl()) ? testDatabaseUrl() : `sqlite:${join(dataDir, 'ywtg.sqlite')}`;
    await emptyDatabase(url);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given an empty database, when started twice, then it migrates, loads the demo district once, serves health and prints the demo accounts', async () => {
    const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const first = await start(env);
    try {
      const res = await fetch(`${first.url}/api/health`);
      expect(res.status).to.equal(200);
      expect(first.output()).to.contain('demo district loaded');
      for (const username of ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor']) {
        expect(first.output()).to.match(new RegExp(`^\\s+${username}\\s`, 'm'));
      }
    } finally {
      await stop(first.child);
    }
    const second = await start(env);
    try {
      expect(second.output()).to.not.contain('demo district loaded');
      expect(second.output()).to.not.contain('database migrated');
      expect(second.output()).to.match(/^\s+admin\s+admin\s/m);
    } finally {
      await stop(second.child);
    }
  });

  it('given a bad setting, when started, then it stops at once naming the variable', async () => {
    await start({ PORT: 'eighty', DATABASE_URL: url }).then(
      () => expect.fail('should not start'),
      (err: Error) => expect(err.message).to.contain('PORT="eighty"'),
    );
  });
});
