import { expect } from 'chai';
import { openApiDocument } from '../../api/docs/openapi.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface Parameter {
  name: string;
  in: string;
  schema?: { type?: string };
}
interface Operation {
  parameters?: Parameter[];
}
const doc = openApiDocument('test') as { paths: Record<string, Record<string, Operation>> };

/** GET routes of /api (Open311 has its own servers and its own test), without the endless event stream. */
const getRoutes = Object.entries(doc.paths)
  .filter(([path, ops]) => ops['get'] && !('servers' in ops) && path !== '/dashboard/stream')
  .map(([path, ops]) => ({ path, parameters: ops['get']!.parameters ?? [] }));

/** A path with its parameters filled: ids that exist nowhere, but well-formed. */
const concrete = (path: string, fill = '1') => path.replace(/\{[^}]+\}/g, fill);

/**
 * Issue #16, item 4: numbers that are not numbers (Infinity, 1e309, NaN) reached SQL as "Infinity", a
 * malformed %-encoding in a path threw URIError, a deeply nested form overflowed the stack: all 500.
 * Bad input is a 4xx with a code, and changes nothing.
 */
describe('REST API: bad numbers, malformed paths and deep nesting are 4xx with a code, never 500', function () {
  this.timeout(180_000);
  let api: ApiWorld;
  let admin: string;
  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
  });
  after(() => api?.close());

  const notNumbers = ['Infinity', '-Infinity', '1e309', '-1e309', 'NaN', '0x10', '1e', '--1'];
  const oddNumbers = ['-1', '0', '1.5', '1e20', '99999999999999999999', '9007199254740993', ''];
  const numericQuery = getRoutes.flatMap((r) =>
    r.parameters.filter((p) => p.in === 'query' && ['integer', 'number'].includes(p.schema?.type ?? '')).map((p) => ({ path: r.path, name: p.name })),
  );

  it('given every numeric query parameter of every GET route, when it is not a finite number, then 400 with a code', async () => {
    expect(numericQuery.length, 'numeric query parameters in the OpenAPI document').to.be.greaterThan(10);
    const wrong: string[] = [];
    for (const { path, name } of numericQuery) {
      for (const value of notNumbers) {
        const res = await api.call('GET', `${concrete(path)}?${name}=${encodeURIComponent(value)}`, { token: admin });
        if (res.status !== 400 || typeof res.body?.['code'] !== 'string')
          wrong.push(`${path}?${name}=${value} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(wrong.join('\n')).to.equal('');
  });

  it('given every numeric query parameter of every GET route, when it is negative, zero, fractional or huge, then no 5xx, and a refusal has a code', async () => {
    const wrong: string[] = [];
    for (const { path, name } of numericQuery) {
      for (const value of oddNumbers) {
        const res = await api.call('GET', `${concrete(path)}?${name}=${encodeURIComponent(value)}`, { token: admin });
        if (res.status >= 500 || (res.status >= 400 && typeof res.body?.['code'] !== 'string'))
          wrong.push(`${path}?${name}=${value} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(wrong.join('\n')).to.equal('');
  });

  const badEncodings = ['%E0%A4%A', '%', '%ZZ', '%C0%AF', '%ED%A0%80', 'a%'];

  it('given every GET route with a path parameter, when the parameter is a malformed %-encoding, then 400 bad_path', async () => {
    const wrong: string[] = [];
    for (const { path } of getRoutes.filter((r) => r.path.includes('{'))) {
      for (const bad of badEncodings) {
        const res = await api.call('GET', concrete(path, bad), { token: admin });
        if (res.status !== 400 || res.body?.['code'] !== 'bad_path')
          wrong.push(`${concrete(path, bad)} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(wrong.join('\n')).to.equal('');
  });

  it('given every router (API, Open311, pages), when a path holds a malformed %-encoding, then 4xx with a code, never 5xx', async () => {
    const root = api.base.replace(/\/api$/, '');
    const paths = [
      '/api/cases/%E0%A4%A',
      '/api/public/reports/%E0%A4%A',
      '/api/admin/units/%',
      '/api/%E0%A4%A',
      '/open311/v2/requests/%E0%A4%A.json',
      '/open311/v2/services/%E0%A4%A.json',
      '/open311/v2/tokens/%E0%A4%A.json',
      '/open311/v2/%E0%A4%A',
      '/tasks/%E0%A4%A',
      '/%E0%A4%A',
      '/assets/%E0%A4%A.js',
    ];
    const wrong: string[] = [];
    for (const p of paths) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${root}${p}`, { method, headers: { Authorization: `Bearer ${admin}` } });
        const text = await res.text();
        // the API and Open311 answer with a code; a page path gets the pages' 404
        const coded = !/^\/(api|open311)\//.test(p) || /"code":|<code>\d{3}<\/code>/.test(text);
        if (res.status >= 500 || res.status < 400 || !coded) wrong.push(`${method} ${p} → ${res.status} ${text.slice(0, 120)}`);
      }
    }
    expect(wrong.join('\n')).to.equal('');
  });

  it('given a form nested 5,000 levels deep, when it is deployed, then 400 with a code and nothing written', async () => {
    // given
    // (written as text: JSON.stringify itself recurses and would overflow here)
    const depth = 5000;
    let component = '{"type":"textfield","id":"Field_deep","key":"deep","label":"深"}';
    const open = Array.from({ length: depth }, (_, i) => `{"type":"group","id":"Group_${i}","label":"组${i}","components":[`).join('');
    component = `${open}${component}${']}'.repeat(depth)}`;
    const raw = `{"schema":{"type":"default","id":"case-accept","schemaVersion":19,"components":[${component}]}}`;
    const before = await snapshot();

    // when
    const res = await api.call('POST', '/admin/forms/case-accept/deploy', { token: admin, raw });

    // then
    expect(res.status, JSON.stringify(res.body).slice(0, 200)).to.be.within(400, 499);
    expect(res.body['code']).to.be.a('string');
    expect(await snapshot()).to.equal(before);
  });
});
