import { expect } from 'chai';
import { CameraEvents, Cases, EventTypes, Grids, type Row } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** Issue #16, item 9: implausible values are refused with a clear code, and no case is filed (cases filed earlier keep moving, so counted, not snapshotted). */
describe('API: implausible positions, times and text are refused', function () {
  this.timeout(90_000);
  let api: ApiWorld;
  let grid: Row<'grids'>;
  let operator: string;
  before(async () => {
    api = await openApiWorld();
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    operator = await api.login('operator');
  });
  after(() => api?.close());

  const places: Array<[string, number, number]> = [
    ['(0, 0), an unset GPS fix', 0, 0],
    ['Beijing, another province', 39.9042, 116.4074],
    ['the far side of the globe', -25.6, -76.2],
  ];
  for (const [name, lat, lng] of places) {
    it(`given a report at ${name}, when filed publicly, by the hotline or through Open311, then 400 implausible_location and nothing written`, async () => {
      const before = await Cases.count();
      const pub = await api.call('POST', '/public/reports', { body: { description: '路灯不亮', lat, lng } });
      const hotline = await api.call('POST', '/cases', { token: operator, body: { description: '路灯不亮', lat, lng } });
      for (const res of [pub, hotline]) {
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body['code']).to.equal('implausible_location');
      }
      expect(await Cases.count()).to.equal(before);
      const client = await api.call<{ apiKey: string }>('POST', '/admin/open311-clients', {
        token: await api.login('admin'),
        body: { name: `位置测试 ${lat},${lng}` },
      });
      const before311 = await Cases.count();
      const root = api.base.replace(/\/api$/, '');
      const open311 = await fetch(`${root}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: client.body.apiKey,
          service_code: 'BJ-0101',
          lat: String(lat),
          long: String(lng),
          description: '井盖缺失',
        }).toString(),
      });
      expect(open311.status).to.equal(400);
      expect(await Cases.count()).to.equal(before311);
    });
  }

  it("given a report at the district's own grid, when filed, then it is taken (the check is no wall)", async () => {
    const res = await api.call('POST', '/public/reports', { body: { description: '路灯不亮', lat: grid.centroidLat, lng: grid.centroidLng } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });

  const lone: Array<[string, string]> = [
    ['a lone high surrogate', '\\ud800'],
    ['a lone low surrogate', '\\udc00'],
    ['a reversed pair', '\\udc00\\ud800'],
  ];
  for (const [name, escaped] of lone) {
    it(`given a description with ${name}, when filed, then 400 invalid_input and nothing written`, async () => {
      const before = await Cases.count();
      const raw = `{"description":"路灯${escaped}不亮","lat":${grid.centroidLat},"lng":${grid.centroidLng}}`;
      const res = await api.call('POST', '/public/reports', { raw });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body['code']).to.equal('invalid_input');
      expect(await Cases.count()).to.equal(before);
    });
  }

  it('given an emoji (a proper surrogate pair), when filed, then it is taken', async () => {
    const res = await api.call('POST', '/public/reports', { body: { description: '路灯不亮 💡', lat: grid.centroidLat, lng: grid.centroidLng } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });

  it('given camera events captured in 1970, in 9999 and a year ago, when posted, then each is refused implausible_time and none is stored; a recent one is taken', async () => {
    const admin = await api.login('admin');
    const type = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
    const camera = await api.call<{ apiKey: string }>('POST', '/admin/cameras', {
      token: admin,
      body: { code: 'CAM-TIME', name: '摄像头 时间', lat: grid.centroidLat, lng: grid.centroidLng, address: '文昌路口', eventTypeCodes: [type.code] },
    });
    expect(camera.status, JSON.stringify(camera.body)).to.equal(201);
    const event = (eventId: string, capturedAt: string) => ({ eventId, eventTypeCode: type.code, confidence: 0.95, capturedAt });
    const stored = await CameraEvents.count();
    const res = await api.call<{ results: Array<{ eventId: string; outcome: string; code?: string }> }>('POST', '/ingest/camera/events', {
      headers: { 'X-Device-Key': camera.body.apiKey },
      body: {
        deviceCode: 'CAM-TIME',
        events: [
          event('t-1970', '1970-01-01T00:00:00Z'),
          event('t-9999', '9999-12-31T23:59:59Z'),
          event('t-old', new Date(Date.now() - 365 * 86_400_000).toISOString()),
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.results.map((r) => [r.eventId, r.outcome, r.code])).to.deep.equal([
      ['t-1970', 'refused', 'implausible_time'],
      ['t-9999', 'refused', 'implausible_time'],
      ['t-old', 'refused', 'implausible_time'],
    ]);
    expect(await CameraEvents.count()).to.equal(stored);
    const recent = await api.call<{ results: Array<{ outcome: string }> }>('POST', '/ingest/camera/events', {
      headers: { 'X-Device-Key': camera.body.apiKey },
      body: { deviceCode: 'CAM-TIME', events: [event('t-now', new Date(Date.now() - 60_000).toISOString())] },
    });
    expect(recent.body.results[0]!.outcome).to.equal('created');
  });
});
