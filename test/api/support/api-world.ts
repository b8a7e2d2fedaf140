import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../api/app.js';
import { createLogger } from '../../../config/logger.js';
import { loadConfig } from '../../../config/load.js';
import { AuditRecords, Cases, IdempotencyRecords, InboxTasks, Sessions } from '../../support/tables.js';
import { startInboxSync } from '../../../domain/inbox/sync.js';
import { startCaseHistory } from '../../../domain/history/record-events.js';
import { openProcessWorld, type ProcessWorld } from '../../processes/support/process-harness.js';

export const PASSWORD = 'Demo@2026';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiWorld {
  world: ProcessWorld;
  base: string;
  login(username: string, password?: string): Promise<string>;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real HTTP server over the whole one-machine system: the demo district in SQLite, the embedded
 * engine with the product processes, every worker, and the inbox kept in sync from the port.
 */
export async function openApiWorld(options: { publicPerMinute?: number; /** uploads go here (default ./data) */ dataDir?: string } = {}): Promise<ApiWorld> {
  const world = await openProcessWorld(new Date());
  const inbox = await startInboxSync(world.port);
  const history = await startCaseHistory(world.port);
  const app = createApp({
    config: loadConfig(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    log: createLogger('silent'),
    database: world.db,
    version: '0.0.0-test',
    workflow: world.port,
    rateLimits: { publicPerMinute: options.publicPerMinute ?? 10_000, loginPerMinute: 10_000 },
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const tokens = new Map<string, string>();
  const api: ApiWorld = {
    world,
    base,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers['Authorization'] = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: (text ? (/json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text) : null) as never,
      };
    },
    async login(username, password = PASSWORD) {
      const cached = password === PASSWORD ? tokens.get(username) : undefined;
      if (cached) return cached;
      const res = await api.call<{ token: string }>('POST', '/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token);
      return res.body.token;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await inbox.close();
      await history.close();
      await world.close();
    },
  };
  return api;
}

/** What a refused request must leave untouched: cases, tasks (state and assignee), stored idempotency answers, sessions, the audit log. */
export async function snapshot(): Promise<string> {
  const cases = await Cases.findAll({ order: [['id', 'ASC']], attributes: ['id', 'status', 'unitId', 'satisfaction', 'description', 'priority'] });
  const tasks = await InboxTasks.findAll({ order: [['id', 'ASC']], attributes: ['userTaskKey', 'state', 'assignee', 'completedBy'] });
  const idem = await IdempotencyRecords.count();
  const sessions = await Sessions.count();
  const audit = await AuditRecords.count();
  return JSON.stringify({ cases: cases.map((c) => c), tasks: tasks.map((t) => t), idem, sessions, audit });
}
