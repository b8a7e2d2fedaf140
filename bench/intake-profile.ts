/**
 * `npx tsx bench/intake-profile.ts [--reports N] [--concurrency C]`: what a filing costs in statements.
 * Starts the whole system in this process on DATABASE_URL (default a temporary SQLite file; a MySQL URL is
 * used as it is — give it a scratch database), files N reports (default 400) over C connections (default 50),
 * waits until the job workers have processed them, and prints the application's statements (db/sql) and the
 * engine's round trips (its SQL driver) per filed case, grouped by statement, with the busiest first.
 * Profile before optimising intake: on MariaDB every round trip while the audit chain is held is time no
 * other filing can use.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { startSystem } from '../system/start-system.js';
import { MysqlDriver } from '../engine/store/mysql-driver.js';
import { onStatement } from '../db/sql/index.js';
import { Cases } from '../test/support/tables.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const reports = arg('--reports', 400);
const concurrency = arg('--concurrency', 50);
const dir = await mkdtemp(join(tmpdir(), 'ywtg-intake-profile-'));
const url = process.env['DATABASE_URL'] ?? `sqlite:${join(dir, 'app.sqlite')}`;
const system = await startSystem(
  loadConfig({ ...process.env, DATABASE_URL: url, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'fatal', DEMO_DATA: 'true' }),
);

/** a statement's shape: its first words with the values gone */
const shape = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'|\b\d+\b|\$\d+|\?/g, '?')
    .replace(/(\?, )+\?/g, '?…')
    .slice(0, 110);
const app = new Map<string, number>();
const engine = new Map<string, number>();
let counting = false;
const count = (m: Map<string, number>, sql: string) => {
  if (counting) m.set(shape(sql), (m.get(shape(sql)) ?? 0) + 1);
};
onStatement((sql) => count(app, sql));
// the engine's driver: one round trip per send (held writes ride along with the statement that sends them)
const proto = MysqlDriver.prototype as unknown as {
  send(sql: string, params?: unknown[]): Promise<unknown>;
  read(sql: string, params?: unknown[]): Promise<unknown>;
};
const send = proto.send;
proto.send = function (this: unknown, sql: string, params?: unknown[]) {
  count(engine, `send: ${sql}`);
  return send.call(this, sql, params);
};
const read = proto.read;
proto.read = function (this: unknown, sql: string, params?: unknown[]) {
  count(engine, `read: ${sql}`);
  return read.call(this, sql, params);
};

const api = `${system.url}/api`;
const login = await fetch(`${api}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'operator', password: process.env['DEMO_PASSWORD'] ?? 'Demo@2026' }),
});
const { token } = (await login.json()) as { token: string };
const before = await Cases.count();
counting = true;
let next = 0;
let filed = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < reports) {
      const res = await fetch(`${api}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ description: `剖析 ${next}：路边有暴露垃圾`, lat: 25.6, lng: 103.83, reporterPhone: '13900000000' }),
      });
      if (res.status === 201) filed++;
      else console.error(res.status, await res.text());
    }
  }),
);
const intakeMs = performance.now() - started;
const appDuringIntake = [...app.values()].reduce((a, b) => a + b, 0);
const engineDuringIntake = [...engine.values()].reduce((a, b) => a + b, 0);
// let the workers catch up, then count what processing the cases cost as well
await new Promise((r) => setTimeout(r, Number(process.env['SETTLE_MS'] ?? 5000)));
counting = false;
const print = (title: string, m: Map<string, number>) => {
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${(total / filed).toFixed(1)} per filed case`);
  for (const [sql, n] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(n / filed).toFixed(2).padStart(7)}  ${sql}`);
};
print('application statements', app);
print('engine round trips', engine);
console.log(
  `\n${filed} filed (${(await Cases.count()) - before} rows) in ${Math.round(intakeMs)} ms = ${Math.round(filed / (intakeMs / 1000))}/s; during the intake ${(appDuringIntake / filed).toFixed(1)} app statements and ${(engineDuringIntake / filed).toFixed(1)} engine round trips per case`,
);
await system.stop();
