import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const CHILD = new URL('./serve-child.ts', import.meta.url).pathname;

export interface ChildServer {
  base: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

/**
 * The whole system in a child process (serve-child.ts), for the tests that kill it: the embedded engine, the demo
 * district, on `url` with uploads and the engine's SQLite file in `dir`; `env` adds to (or overrides) that.
 * Answers once it listens, with the API's base URL.
 */
export async function startChildServer(url: string, dir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'fatal', DEMO_DATA: 'true', ENGINE: 'embedded', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^READY (\S+)/.exec(line);
      if (m) resolve(`${m[1]}/api`);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
  return { base, child, exited };
}

/** SIGKILL, nothing flushed; answers once the process is gone. */
export async function killChildServer(server: ChildServer): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}
