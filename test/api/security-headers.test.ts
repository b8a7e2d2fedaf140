import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createApp } from '../../api/app.js';
import { tileOrigin } from '../../api/http/security.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../config/logger.js';
import { openSql } from '../../db/index.js';

describe('security headers (helmet): strict on data paths, page policy on pages', function () {
  this.timeout(30_000);
  let server: Server;
  let base: string;
  let close: () => Promise<void>;
  before(async () => {
    const db = await openSql('sqlite::memory:');
    const app = createApp({
      config: loadConfig({ MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png' }),
      log: createLogger('silent'),
      database: { sql: db, dialect: 'sqlite' },
      version: 'test',
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
    };
  });
  after(() => close());

  it("given an API path, when answered, then the CSP forbids everything, nothing is cached and helmet's headers are there", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.headers.get('content-security-policy')).to.equal("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('strict-transport-security'), 'no HSTS over plain HTTP').to.equal(null);
    expect(res.headers.get('permissions-policy')).to.include('camera=()');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('given a page path, when answered, then scripts only from the server, inline styles allowed, images also from the configured tile host', async () => {
    const res = await fetch(`${base}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'");
    expect(csp).not.to.match(/script-src[^;]*unsafe/);
    expect(csp).to.include("style-src 'self' 'unsafe-inline'");
    expect(csp).to.include("img-src 'self' data: blob: https://tiles.example.cn");
    expect(csp).to.include("connect-src 'self'");
    expect(csp).to.include("frame-ancestors 'none'");
  });

  it('given tile URL templates, when their origin is taken, then placeholders are ignored and bad ones give none', () => {
    expect(tileOrigin('https://{s}.tiles.example.cn/{z}/{x}/{y}.png')).to.equal('https://*.tiles.example.cn');
    expect(tileOrigin('https://tiles.example.cn:8443/{z}/{x}/{y}.png')).to.equal('https://tiles.example.cn:8443');
    expect(tileOrigin(undefined)).to.equal(null);
    expect(tileOrigin('not a url')).to.equal(null);
  });
});
