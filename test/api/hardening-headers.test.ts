import { expect } from 'chai';
import { Grids } from '../support/tables.js';
import { openTaskOf, pngImage } from '../web/support/fixtures.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** Issue #16, item 10: the smaller findings — upload errors that say what is wrong, OPTIONS, HSTS, Permissions-Policy, health, CORS for Open311. */
describe('API: headers, OPTIONS, health and upload errors say the truth', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let root: string;
  let taskKey: string;
  before(async () => {
    api = await openApiWorld();
    root = api.base.replace(/\/api$/, '');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: await api.login('operator'),
      body: { description: '路灯不亮', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    taskKey = (await openTaskOf(api, 'admin', filed.body.id, ['accept'])).userTaskKey;
  });
  after(() => api?.close());

  it('given a task upload (one file), when two files are sent, then 413 too_many_files says at most 1', async () => {
    const admin = await api.login('admin');
    const form = new FormData();
    form.append('kind', 'document');
    form.append('file', new Blob([pngImage()], { type: 'image/png' }), 'a.png');
    form.append('file', new Blob([pngImage()], { type: 'image/png' }), 'b.png');
    const res = await fetch(`${api.base}/tasks/${taskKey}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Accept-Language': 'en' },
      body: form,
    });
    const body = (await res.json()) as { code: string; message: string };
    expect(res.status).to.equal(413);
    expect(body.code).to.equal('too_many_files');
    expect(body.message).to.equal('Too many files: at most 1');
  });

  it('given an upload route, when a JSON body is sent, then 415 multipart_required (not "must be JSON")', async () => {
    const res = await api.call('POST', `/tasks/${taskKey}/attachments`, {
      token: await api.login('admin'),
      body: { kind: 'document' },
      headers: { 'Accept-Language': 'en' },
    });
    expect(res.status).to.equal(415);
    expect(res.body['code']).to.equal('multipart_required');
    expect(String(res.body['message'])).to.match(/multipart\/form-data/);
  });

  it('given a public report with seven photos, when posted, then the message names the limit of 6', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const form = new FormData();
    form.append('description', '路灯不亮');
    form.append('lat', String(grid.centroidLat));
    form.append('lng', String(grid.centroidLng));
    for (let i = 0; i < 7; i++) form.append('photos', new Blob([pngImage()], { type: 'image/png' }), `p${i}.png`);
    const res = await fetch(`${api.base}/public/reports`, { method: 'POST', body: form });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { message: string }).message).to.equal('文件过多，最多 6 个');
  });

  for (const path of ['/api/public/reports', '/api/cases', '/api/auth/login', '/open311/v2/requests.json']) {
    it(`given OPTIONS ${path}, when answered, then Allow names POST`, async () => {
      const res = await fetch(`${root}${path}`, { method: 'OPTIONS' });
      expect(res.status).to.be.oneOf([200, 204]);
      const allow = `${res.headers.get('allow') ?? ''},${res.headers.get('access-control-allow-methods') ?? ''}`;
      expect(allow).to.include('POST');
    });
  }

  it('given plain HTTP, when answered, then no HSTS; given HTTPS at the trusted proxy, then HSTS', async () => {
    expect((await fetch(`${root}/api/docs`)).headers.get('strict-transport-security')).to.equal(null);
    expect((await fetch(`${root}/`)).headers.get('strict-transport-security')).to.equal(null);
    const behindTls = await fetch(`${root}/api/docs`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(behindTls.headers.get('strict-transport-security')).to.match(/^max-age=\d{7,}/);
  });

  it('given a page and an API answer, when answered, then a Permissions-Policy: pages may locate (own origin), nothing may use the camera or microphone', async () => {
    const page = (await fetch(`${root}/report/`)).headers.get('permissions-policy') ?? '';
    expect(page).to.include('geolocation=(self)');
    expect(page).to.include('camera=()');
    expect(page).to.include('microphone=()');
    const data = (await fetch(`${root}/api/docs`)).headers.get('permissions-policy') ?? '';
    expect(data).to.include('geolocation=()');
  });

  it('given /api/health, when anonymous, then the status only; as an admin, then version and uptime too', async () => {
    const anonymous = await api.call('GET', '/health');
    expect(anonymous.status).to.equal(200);
    expect(anonymous.body).to.deep.equal({ status: 'ok' });
    const admin = await api.call('GET', '/health', { token: await api.login('admin') });
    expect(admin.body).to.include({ status: 'ok', version: '0.0.0-test' });
    expect(admin.body['uptimeSeconds']).to.be.a('number');
    expect((await api.call('GET', '/health', { token: await api.login('clerk') })).body).to.deep.equal({ status: 'ok' });
  });

  it('given a browser client of another origin, when it GETs, preflights and POSTs Open311, then CORS lets it read the answers; the staff API stays same-origin', async () => {
    const origin = 'https://app.example.org';
    const get = await fetch(`${root}/open311/v2/services.json`, { headers: { Origin: origin } });
    expect(get.headers.get('access-control-allow-origin')).to.equal('*');
    const preflight = await fetch(`${root}/open311/v2/requests.json`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal('*');
    expect(preflight.headers.get('access-control-allow-methods')).to.include('POST');
    expect((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase()).to.include('content-type');
    const post = await fetch(`${root}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'service_code=BJ-0101',
    });
    expect(post.status).to.equal(403); // no api_key: refused, but readable by the client
    expect(post.headers.get('access-control-allow-origin')).to.equal('*');
    expect((await fetch(`${api.base}/cases`, { headers: { Origin: origin } })).headers.get('access-control-allow-origin')).to.equal(null);
  });
});
