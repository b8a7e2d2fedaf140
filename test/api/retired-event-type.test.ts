import { expect } from 'chai';
import { Cases } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

describe('REST API: a retired event type takes no new cases', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api.close());

  it('given the administrator switched an event type off, when a hotline case names it, then 400 unknown_event_type and no case; switched on again, it is accepted', async () => {
    const admin = await api.login('admin');
    const operator = await api.login('operator');
    const body = { description: '人行道上井盖破损', gridCode: 'G-XP-01-01', eventTypeCode: 'SJ-0101' };
    expect((await api.call('PATCH', '/admin/event-types/SJ-0101', { token: admin, body: { enabled: false } })).status).to.equal(200);
    const before = await Cases.count();
    const refused = await api.call('POST', '/cases', { token: operator, body });
    expect(refused.status).to.equal(400);
    expect(refused.body['code']).to.equal('unknown_event_type');
    expect(await Cases.count()).to.equal(before);
    expect((await api.call('PATCH', '/admin/event-types/SJ-0101', { token: admin, body: { enabled: true } })).status).to.equal(200);
    expect((await api.call('POST', '/cases', { token: operator, body })).status).to.equal(201);
  });
});
