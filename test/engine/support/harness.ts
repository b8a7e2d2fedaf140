import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { expect } from 'chai';
import { Engine, ENGINE_TABLES, EngineError, TestClock, type ActivatedJob, type EngineOptions, type UserTask } from '../../../engine/index.js';

const FIXTURES = new URL('../bpmn/', import.meta.url);

/** The engine's database for a test: DATABASE_URL when it names MySQL/MariaDB, else a fresh SQLite file. */
export function engineTestUrl(): { url: string; cleanup: () => void } {
  const env = process.env['DATABASE_URL'];
  if (env && /^(mysql|mariadb):\/\//.test(env)) return { url: env, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-engine-'));
  return { url: `sqlite:${join(dir, 'engine.sqlite')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Drops the engine's tables from a MySQL database so each test starts empty. */
export async function dropEngineTables(url: string): Promise<void> {
  if (!/^(mysql|mariadb):\/\//.test(url)) return;
  const conn = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:') });
  try {
    for (const t of ENGINE_TABLES) await conn.query(`DROP TABLE IF EXISTS ${t}`);
  } finally {
    await conn.end();
  }
}

export interface TestEngine {
  engine: Engine;
  clock: TestClock;
  url: string;
  /** closes the engine (and deletes a temp SQLite file) */
  close(): Promise<void>;
  /** closes and reopens on the same database, as after a restart */
  restart(): Promise<Engine>;
}

/** `options`: engine options beyond the database and clock (e.g. `maxProcessDepth`). */
export async function openTestEngine(
  start = Date.parse('2026-03-02T01:00:00Z'),
  options: Omit<EngineOptions, 'databaseUrl' | 'clock'> = {},
): Promise<TestEngine> {
  const { url, cleanup } = engineTestUrl();
  await dropEngineTables(url);
  const clock = new TestClock(start);
  const t: TestEngine = {
    engine: await Engine.open({ databaseUrl: url, clock, ...options }),
    clock,
    url,
    async close() {
      await t.engine.close();
      cleanup();
    },
    async restart() {
      await t.engine.close();
      t.engine = await Engine.open({ databaseUrl: url, clock, ...options });
      return t.engine;
    },
  };
  return t;
}

export function fixture(name: string): { name: string; xml: string } {
  return { name, xml: readFileSync(new URL(name, FIXTURES), 'utf8') };
}

export async function deploy(engine: Engine, ...names: string[]): Promise<void> {
  await engine.deploy(names.map(fixture));
}

/** Element ids in the order they completed (the process itself excluded). */
export async function completedPath(engine: Engine, instanceKey: string): Promise<string[]> {
  return (await engine.history(instanceKey)).filter((h) => h.intent === 'ELEMENT_COMPLETED' && h.elementType !== 'process').map((h) => h.elementId!);
}

export async function terminated(engine: Engine, instanceKey: string): Promise<string[]> {
  return (await engine.history(instanceKey)).filter((h) => h.intent === 'ELEMENT_TERMINATED').map((h) => h.elementId!);
}

export async function takenFlows(engine: Engine, instanceKey: string): Promise<string[]> {
  return (await engine.history(instanceKey)).filter((h) => h.intent === 'SEQUENCE_FLOW_TAKEN').map((h) => h.elementId!);
}

export async function activeElements(engine: Engine, instanceKey: string): Promise<string[]> {
  return (await engine.listElementInstances(instanceKey))
    .filter((e) => e.elementType !== 'process')
    .map((e) => e.elementId)
    .sort();
}

/** Activates the jobs of a type (all of them, up to 100) as a worker would. */
export async function jobsOf(engine: Engine, type: string, timeoutMs = 60_000): Promise<ActivatedJob[]> {
  return engine.activateJobs({ type, maxJobsToActivate: 100, timeoutMs, worker: 'test-worker' });
}

export async function oneJob(engine: Engine, type: string): Promise<ActivatedJob> {
  const jobs = await jobsOf(engine, type);
  if (jobs.length !== 1) throw new Error(`expected one '${type}' job, found ${jobs.length}`);
  return jobs[0]!;
}

export async function openTask(engine: Engine, instanceKey: string, elementId: string): Promise<UserTask> {
  const tasks = await engine.listUserTasks({ processInstanceKey: instanceKey, elementId, state: 'CREATED' });
  if (tasks.length !== 1) throw new Error(`expected one open task '${elementId}', found ${tasks.length}`);
  return tasks[0]!;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** The EngineError of a command that must be refused (fails the test when the command is accepted). */
export async function refusal(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(EngineError);
    return err as EngineError;
  }
  return expect.fail('the command was accepted');
}

/** The error code of a refused command, whatever threw it (fails the test when the command succeeds). */
export async function refusalCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return expect.fail('the command was expected to be refused');
}
