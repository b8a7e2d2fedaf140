import { expect } from 'chai';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { openApiWorld, type ApiWorld } from '../api/support/api-world.js';
import { distDir, ensureWebBuilt } from '../../web/build.js';
import { pageWeight } from '../../bench/page-weight-measure.js';
import { pickEncoding } from '../../api/http/accept-encoding.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET that shows the bytes as sent (fetch would decompress them and hide the encoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const FIRST_PAINT_BUDGET = 300 * 1024;

describe('web: pages and JSON go compressed (issue 14 item 10)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let origin: string;
  let bundle: string;
  before(async () => {
    await ensureWebBuilt({ ifStale: true });
    api = await openApiWorld();
    origin = api.base.replace(/\/api$/, '');
    bundle = /src="\.\/(main-[A-Z0-9]{8}\.js)"/.exec(readFileSync(join(distDir, 'tasks', 'index.html'), 'utf8'))![1]!;
  });
  after(() => api?.close());

  it('given a client taking brotli, when it asks for a bundle, then the precompressed copy comes with Content-Encoding br, the JavaScript type, Vary and the year-long cache', async () => {
    const res = await rawGet(`${origin}/tasks/${bundle}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).to.equal(200);
    expect(res.headers['content-encoding']).to.equal('br');
    expect(res.headers['content-type']).to.match(/^text\/javascript/);
    expect(res.headers['vary']).to.match(/accept-encoding/i);
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    const identity = readFileSync(join(distDir, 'tasks', bundle));
    expect(brotliDecompressSync(res.body).equals(identity)).to.equal(true);
    expect(res.body.length).to.be.below(identity.length / 2);
  });

  it('given clients taking only gzip, refusing brotli, or naming nothing, then each gets what it takes, and the page HTML too', async () => {
    const identity = readFileSync(join(distDir, 'tasks', bundle));
    const gz = await rawGet(`${origin}/tasks/${bundle}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(gz.body).equals(identity)).to.equal(true);
    const noBr = await rawGet(`${origin}/tasks/${bundle}`, { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' });
    expect(noBr.headers['content-encoding']).to.equal('gzip');
    const plain = await rawGet(`${origin}/tasks/${bundle}`);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.headers['vary']).to.match(/accept-encoding/i);
    expect(plain.body.equals(identity)).to.equal(true);
    const html = await rawGet(`${origin}/tasks/`, { 'Accept-Encoding': 'br' });
    expect(html.headers['content-type']).to.match(/^text\/html/);
    expect(html.headers['cache-control']).to.equal('no-cache');
    // the HTML is small: compressed only if the build found it worth it, and the page CSP stays either way
    expect(html.headers['content-security-policy']).to.contain("script-src 'self'");
    const text = html.headers['content-encoding'] === 'br' ? brotliDecompressSync(html.body).toString() : html.body.toString();
    expect(text).to.contain(bundle);
  });

  it('given the task inbox and the public report page, then each first paint (HTML, CSS, scripts and their static chunks) is under 300 KB on the wire, and the task form loads later', async () => {
    for (const page of ['/tasks/', '/report/']) {
      for (const encoding of ['br', 'gzip']) {
        const weight = await pageWeight(origin, page, encoding);
        expect(weight.bytes, `${page} as ${encoding}`).to.be.below(FIRST_PAINT_BUDGET);
        expect(
          weight.files.filter((f) => f.bytes > 1024).every((f) => f.encoding === encoding),
          `${page}: ${JSON.stringify(weight.files)}`,
        ).to.equal(true);
      }
    }
    // form-js is not in the inbox's first paint: the bundle names a chunk it imports when a task opens
    const main = readFileSync(join(distDir, 'tasks', bundle), 'utf8');
    expect(main).to.match(/import\("\.\/chunks\/task-form-[A-Z0-9]{8}\.js"\)/);
    expect(main).not.to.contain('fjs-form');
  });

  it('given a JSON answer above the threshold, then it is compressed for a client that takes it and plain for one that does not; a small one stays plain', async () => {
    const big = await rawGet(`${api.base}/docs`, { 'Accept-Encoding': 'br' });
    expect(big.status).to.equal(200);
    expect(big.headers['content-encoding']).to.equal('br');
    expect(big.headers['content-type']).to.match(/^application\/json/);
    expect(big.headers['vary']).to.match(/accept-encoding/i);
    const doc = JSON.parse(brotliDecompressSync(big.body).toString()) as { openapi: string };
    expect(doc.openapi).to.match(/^3\./);
    const gz = await rawGet(`${api.base}/docs`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString())).to.deep.equal(doc);
    const plain = await rawGet(`${api.base}/docs`);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(JSON.parse(plain.body.toString())).to.deep.equal(doc);
    const small = await rawGet(`${api.base}/health`, { 'Accept-Encoding': 'br' });
    expect(small.headers['content-encoding']).to.equal(undefined);
    expect(JSON.parse(small.body.toString())).to.have.property('status');
    // errors keep their status and machine-readable code through the wrapper
    const missing = await rawGet(`${api.base}/no-such-thing`, { 'Accept-Encoding': 'br' });
    expect(missing.status).to.equal(404);
    expect(JSON.parse(missing.body.toString())).to.include({ code: 'not_found' });
  });

  it('given Accept-Encoding headers, then the pick follows q-values, refusals, the wildcard and our preference', () => {
    const offered = ['br', 'gzip'];
    expect(pickEncoding(undefined, offered)).to.equal(null);
    expect(pickEncoding('gzip, deflate, br', offered)).to.equal('br');
    expect(pickEncoding('gzip;q=1, br;q=0.5', offered)).to.equal('gzip');
    expect(pickEncoding('br;q=0', offered)).to.equal(null);
    expect(pickEncoding('*', offered)).to.equal('br');
    expect(pickEncoding('*;q=0.1, br;q=0', offered)).to.equal('gzip');
    expect(pickEncoding('identity', offered)).to.equal(null);
    expect(pickEncoding('GZIP', offered)).to.equal('gzip');
  });
});
