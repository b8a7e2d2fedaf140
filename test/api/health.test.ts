import { sql } from 'kysely';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../api/app.js';
import { createLogger } from '../../config/logger.js';
import { loadConfig } from '../../config/load.js';
import { openSql } from '../../db/index.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

describe('HTTP basics', () => {
  let db: Db;
  let server: Server;
  let base: string;
  before(async () => {
    db = await freshDatabase();
    const app = createApp({ config: loadConfig({}), log: createLogger('silent'), database: db, version: '0.0.0-test' });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.close();
  });

  it('given a running server, when an anonymous caller GETs /api/health, then 200 with the status only (no version, uptime or engine: test/api/hardening-headers.test.ts reads them as admin)', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('given an unknown path, when requested, then 404 {code, message} in Chinese by default', async () => {
    const res = await fetch(`${base}/api/nope`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.deep.include({ code: 'not_found', message: '请求的资源不存在' });
  });

  it('given Accept-Language: en, when an error is returned, then the message is English', async () => {
    const res = await fetch(`${base}/api/nope`, { headers: { 'Accept-Language': 'en' } });
    expect(await res.json()).to.deep.include({ code: 'not_found', message: 'The requested resource does not exist' });
  });

  it('given a body that is not JSON, when posted, then 400 bad_json', async () => {
    const res = await fetch(`${base}/api/health`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { code: string }).code).to.equal('bad_json');
  });

  it('given a closed database, when GET /api/health, then 503 unavailable', async () => {
    const other = await openSql('sqlite::memory:');
    const app = createApp({ config: loadConfig({}), log: createLogger('silent'), database: { sql: other, dialect: 'sqlite' }, version: 'x' });
    await sql`SELECT 1`.execute(other); // opened, then closed (Kysely opens a driver on its first query)
    await other.destroy();
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/health`);
      expect(res.status).to.equal(503);
      expect(((await res.json()) as { status: string }).status).to.equal('unavailable');
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});
