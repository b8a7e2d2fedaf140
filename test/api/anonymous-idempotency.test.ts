import { expect } from 'chai';
import { Cases, Grids } from '../support/tables.js';
import { pngImage } from '../web/support/fixtures.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/**
 * Issue #16, item 7: an anonymous Idempotency-Key was one namespace for every caller, so a second caller with
 * the same key and body got the first caller's answer, tracking token included. It is scoped to the caller's
 * address (the server trusts X-Forwarded-For from loopback only: the test's proxy is loopback).
 */
describe('API: anonymous Idempotency-Keys are scoped to the caller', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let body: Record<string, unknown>;
  before(async () => {
    api = await openApiWorld();
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    body = { description: '路灯不亮（幂等）', lat: grid.centroidLat, lng: grid.centroidLng };
  });
  after(() => api?.close());

  const from = (address: string, key: string) => ({ 'X-Forwarded-For': address, 'Idempotency-Key': key });

  it('given a report filed with a key, when another address sends the same key and body, then it gets its own case and token; the first address gets its answer again', async () => {
    const before = await Cases.count();
    const first = await api.call<{ caseNo: string; trackingToken: string }>('POST', '/public/reports', { body, headers: from('203.0.113.1', 'shared-key-1') });
    const other = await api.call<{ caseNo: string; trackingToken: string }>('POST', '/public/reports', { body, headers: from('203.0.113.2', 'shared-key-1') });
    const retry = await api.call<{ caseNo: string; trackingToken: string }>('POST', '/public/reports', { body, headers: from('203.0.113.1', 'shared-key-1') });
    expect([first.status, other.status, retry.status]).to.deep.equal([201, 201, 201]);
    expect(other.headers.get('idempotent-replayed')).to.equal(null);
    expect(other.body.trackingToken).to.not.equal(first.body.trackingToken);
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');
    expect(retry.body).to.deep.equal(first.body);
    expect(await Cases.count()).to.equal(before + 2);
  });

  it('given a multipart report filed with a key, when another address sends the same key and body, then it is not given the first answer', async () => {
    const send = (address: string) => {
      const form = new FormData();
      form.append('description', '井盖缺失（幂等）');
      form.append('lat', String(body['lat']));
      form.append('lng', String(body['lng']));
      form.append('photos', new Blob([pngImage()], { type: 'image/png' }), 'a.png');
      return fetch(`${api.base}/public/reports`, { method: 'POST', headers: from(address, 'shared-key-2'), body: form });
    };
    const first = await send('203.0.113.1');
    const other = await send('203.0.113.2');
    expect([first.status, other.status]).to.deep.equal([201, 201]);
    expect(other.headers.get('idempotent-replayed')).to.equal(null);
    expect(((await other.json()) as { trackingToken: string }).trackingToken).to.not.equal(((await first.json()) as { trackingToken: string }).trackingToken);
  });
});
