import { expect } from 'chai';
import { Cases } from '../support/tables.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

/** Every refusal: the right 4xx, `{code, message}`, and no row written. */
describe('REST API: bad input is refused with a code and nothing written', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let operator: string;
  before(async () => {
    api = await openApiWorld();
    operator = await api.login('operator');
  });
  after(() => api.close());

  const ok = { description: '路灯不亮', address: '沾益区西平街道' };
  const rows: Array<{
    name: string;
    path: string;
    auth?: boolean;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    method?: string;
    status: number;
    code: string;
  }> = [
    { name: 'malformed JSON', path: '/public/reports', raw: '{"description": "路灯', status: 400, code: 'bad_json' },
    { name: 'a JSON array', path: '/public/reports', body: [ok], status: 400, code: 'invalid_input' },
    { name: 'a bare JSON string', path: '/public/reports', raw: '"hello"', status: 400, code: 'bad_json' },
    {
      name: 'not JSON at all (text/plain)',
      path: '/public/reports',
      raw: 'description=x',
      headers: { 'Content-Type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
    },
    { name: 'no body', path: '/public/reports', status: 415, code: 'unsupported_media_type' },
    { name: 'missing description', path: '/public/reports', body: { address: '某地' }, status: 400, code: 'invalid_input' },
    { name: 'description as a number', path: '/public/reports', body: { description: 42, address: '某地' }, status: 400, code: 'invalid_input' },
    { name: 'empty description', path: '/public/reports', body: { description: '', address: '某地' }, status: 400, code: 'invalid_input' },
    { name: 'lat as a string', path: '/public/reports', body: { description: 'x', lat: '25.6', lng: 103.8 }, status: 400, code: 'invalid_input' },
    { name: 'impossible latitude', path: '/public/reports', body: { description: 'x', lat: 91, lng: 103.8 }, status: 400, code: 'invalid_input' },
    { name: 'impossible longitude', path: '/public/reports', body: { description: 'x', lat: 25.6, lng: -181 }, status: 400, code: 'invalid_input' },
    { name: 'latitude without longitude', path: '/public/reports', body: { description: 'x', lat: 25.6 }, status: 400, code: 'bad_location' },
    { name: 'no location at all', path: '/public/reports', body: { description: 'x' }, status: 400, code: 'location_required' },
    { name: 'an unknown key', path: '/public/reports', body: { ...ok, isAdmin: true }, status: 400, code: 'invalid_input' },
    { name: 'a channel smuggled into a public report', path: '/public/reports', body: { ...ok, channel: 'leader' }, status: 400, code: 'invalid_input' },
    { name: 'a huge description', path: '/public/reports', body: { ...ok, description: '很'.repeat(2001) }, status: 400, code: 'invalid_input' },
    { name: 'a body over the size limit', path: '/public/reports', body: { ...ok, description: 'x'.repeat(300_000) }, status: 413, code: 'payload_too_large' },
    { name: 'a control character', path: '/public/reports', body: { ...ok, description: 'abc\u0000def' }, status: 400, code: 'invalid_input' },
    { name: 'a bad phone number', path: '/public/reports', body: { ...ok, reporterPhone: '<script>alert(1)</script>' }, status: 400, code: 'invalid_input' },
    {
      name: 'an injection string as grid code',
      path: '/cases',
      auth: true,
      body: { ...ok, gridCode: "' OR 1=1; DROP TABLE cases; --" },
      status: 400,
      code: 'invalid_input',
    },
    { name: 'an unknown grid', path: '/cases', auth: true, body: { ...ok, gridCode: 'NO-SUCH-GRID' }, status: 400, code: 'unknown_grid' },
    { name: 'an unknown event type', path: '/cases', auth: true, body: { ...ok, eventTypeCode: 'NOPE' }, status: 400, code: 'unknown_event_type' },
    { name: "a channel that is not the operator's", path: '/cases', auth: true, body: { ...ok, channel: 'leader' }, status: 400, code: 'invalid_input' },
    { name: 'priority as a string', path: '/cases', auth: true, body: { ...ok, priority: '99' }, status: 400, code: 'invalid_input' },
    {
      name: 'a bad Idempotency-Key',
      path: '/cases',
      auth: true,
      body: ok,
      headers: { 'Idempotency-Key': 'has spaces in it' },
      status: 400,
      code: 'invalid_input',
    },
    { name: 'an injection string as tracking token', method: 'GET', path: "/public/reports/'%20OR%20'1'='1", status: 400, code: 'invalid_input' },
    { name: 'an unknown tracking token', method: 'GET', path: '/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA', status: 404, code: 'not_found' },
    {
      name: 'a rating out of range',
      path: '/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA/rating',
      body: { satisfied: true, rating: 6 },
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a rating of an unknown case',
      path: '/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA/rating',
      body: { satisfied: true, rating: 5 },
      status: 404,
      code: 'not_found',
    },
    { name: 'a case id that is not a number', method: 'GET', auth: true, path: '/cases/1%20OR%201=1', status: 400, code: 'invalid_input' },
    { name: 'a task filter with an unknown light', method: 'GET', auth: true, path: '/tasks?light=purple', status: 400, code: 'invalid_input' },
    { name: 'a task filter limit that is not a number', method: 'GET', auth: true, path: '/tasks?limit=abc', status: 400, code: 'invalid_input' },
    { name: 'an unknown task filter', method: 'GET', auth: true, path: '/tasks?sql=1', status: 400, code: 'invalid_input' },
    { name: 'a task key that is not a number', auth: true, path: '/tasks/abc/claim', status: 400, code: 'invalid_input' },
    { name: 'completion without data', auth: true, path: '/tasks/123/complete', body: {}, status: 400, code: 'invalid_input' },
    { name: 'completion with data as a list', auth: true, path: '/tasks/123/complete', body: { data: [1] }, status: 400, code: 'invalid_input' },
    { name: 'login without password', path: '/auth/login', body: { username: 'operator' }, status: 400, code: 'invalid_input' },
    {
      name: 'login with an object as password',
      path: '/auth/login',
      body: { username: 'operator', password: { $ne: '' } },
      status: 400,
      code: 'invalid_input',
    },
  ];

  for (const row of rows) {
    it(`given ${row.name}, when ${row.method ?? 'POST'} ${row.path}, then ${row.status} ${row.code}`, async () => {
      const before = await snapshot();
      const cases = await Cases.count();
      const res = await api.call(row.method ?? 'POST', row.path, {
        token: row.auth ? operator : null,
        headers: row.headers ?? {},
        ...(row.raw !== undefined ? { raw: row.raw } : row.body !== undefined ? { body: row.body } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(row.status);
      expect(res.body['code']).to.equal(row.code);
      expect(res.body['message']).to.be.a('string').and.not.equal('');
      expect(await Cases.count()).to.equal(cases);
      expect(await snapshot()).to.equal(before);
    });
  }

  it('given an injection string as description, when reported, then it is stored as text and nothing else happens', async () => {
    const evil = "'); DROP TABLE cases; -- <img src=x onerror=alert(1)>";
    const res = await api.call<{ caseNo: string }>('POST', '/public/reports', { body: { ...ok, description: evil } });
    expect(res.status).to.equal(201);
    expect((await Cases.findOne({ where: { caseNo: res.body.caseNo } }))!.description).to.equal(evil);
  });
});

// its own world, opened after the suite above has closed its own: one engine per database at a time
describe('REST API: the public rate limit', () => {
  it('given the public rate limit, when exceeded, then 429 rate_limited with Retry-After', async () => {
    const limited = await openApiWorld({ publicPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.call('GET', '/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA')).status);
      expect(statuses).to.deep.equal([404, 404, 429]);
      const res = await limited.call('GET', '/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA', { headers: { 'Accept-Language': 'en' } });
      expect(res.body).to.deep.equal({ code: 'rate_limited', message: 'Too many requests, try again later' });
      expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
