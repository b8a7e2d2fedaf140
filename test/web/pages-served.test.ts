import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiWorld, type ApiWorld } from '../api/support/api-world.js';
import { distDir, ensureWebBuilt, findPages } from '../../web/build.js';

describe('web: the server serves the built pages (api/web/static-routes.ts)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let origin: string;
  before(async () => {
    await ensureWebBuilt({ ifStale: true });
    api = await openApiWorld();
    origin = api.base.replace(/\/api$/, '');
  });
  after(() => api?.close());

  it("given the build, when / and /tasks/ are asked for, then each page's HTML comes back revalidated every time, with the page CSP", async () => {
    for (const path of ['/', '/tasks/', '/report/']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).to.contain("script-src 'self'").and.not.to.contain('unsafe-eval');
      expect(await res.text()).to.match(/<script type="module" src="\.\/main-[A-Z0-9]{8}\.js"><\/script>/);
    }
  });

  it('given a page folder without its slash, when it is asked for, then it redirects to the folder', async () => {
    const res = await fetch(`${origin}/tasks`, { redirect: 'manual' });
    expect(res.status).to.equal(301);
    expect(res.headers.get('location')).to.equal('/tasks/');
  });

  it('given a hashed bundle, when it is asked for, then it is cached for a year as immutable', async () => {
    const html = await (await fetch(`${origin}/report/`)).text();
    const bundle = /src="\.\/(main-[A-Z0-9]{8}\.js)"/.exec(html)![1]!;
    const res = await fetch(`${origin}/report/${bundle}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/javascript/);
    expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
  });

  it('given an unknown page, then it is an HTML 404; an unknown API path stays a JSON 404', async () => {
    const page = await fetch(`${origin}/no-such-page/`, { headers: { Accept: 'text/html' } });
    expect(page.status).to.equal(404);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(await page.text()).to.contain('页面不存在');
    const apiRes = await fetch(`${origin}/api/no-such-thing`, { headers: { Accept: 'text/html' } });
    expect(apiRes.status).to.equal(404);
    expect(await apiRes.json()).to.include({ code: 'not_found' });
  });

  it('given every page in the sources, then the build wrote its HTML pointing at bundles that exist', () => {
    for (const page of findPages()) {
      for (const file of page.html) {
        const built = readFileSync(join(distDir, page.outDir, file), 'utf8');
        const scripts = [...built.matchAll(/src="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
        expect(scripts, `${page.outDir}/${file}`).to.have.length.greaterThan(0);
        for (const s of scripts) expect(() => readFileSync(join(distDir, page.outDir, s)), s).not.to.throw();
      }
    }
  });
});
