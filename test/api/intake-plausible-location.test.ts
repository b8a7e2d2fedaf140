import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attachments, CameraDevices, CameraEvents, Cases, EventTypes, Grids, Open311Requests, query, type Row } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** What an intake route answered, reduced to what the check decides: the status and the refusal code (for the camera, the event's). */
interface Outcome {
  status: number;
  code: string | null;
  raw: string;
}

/**
 * Issue #16, item 9: a report at (0, 0) or far outside the district is refused on every intake route with
 * `implausible_location` and writes nothing. The check lives once in intake (fileCase), which every channel
 * passes; each route is also shown to take the same report at a place of the district, so a refusal for
 * another reason cannot pass for this one.
 */
describe('API: every intake route refuses an implausible position (one check on the intake path)', function () {
  this.timeout(240_000);
  let api: ApiWorld;
  let dataDir: string;
  let root: string;
  let grid: Row<'grids'>;
  let eventTypeCode: string;
  let open311Key: string;
  /** a camera registered in the district and then found at the place under test (registered before the check, or moved by hand) */
  let camera: { code: string; apiKey: string };
  let eventNo = 0;

  const bearer = async (who: string) => ({ Authorization: `Bearer ${await api.login(who)}` });
  const json = async (path: string, who: string | null, body: Record<string, unknown>): Promise<Outcome> => {
    const res = await fetch(`${api.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(who ? await bearer(who) : {}) },
      body: JSON.stringify(body),
    });
    const raw = await res.text();
    const parsed = (/json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(raw) : {}) as { code?: string };
    return { status: res.status, code: parsed.code ?? null, raw };
  };
  const multipart = async (path: string, who: string | null, fields: Record<string, string>): Promise<Outcome> => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    const res = await fetch(`${api.base}${path}`, { method: 'POST', headers: who ? await bearer(who) : {}, body: fd });
    const raw = await res.text();
    return { status: res.status, code: ((JSON.parse(raw) as { code?: string }).code ?? null) as string | null, raw };
  };
  const open311 = async (format: 'json' | 'xml', lat: number, lng: number): Promise<Outcome> => {
    const res = await fetch(`${root}/open311/v2/requests.${format}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'en' },
      body: new URLSearchParams({ api_key: open311Key, service_code: eventTypeCode, lat: String(lat), long: String(lng), description: '井盖缺失' }).toString(),
    });
    const raw = await res.text();
    // GeoReport v2 errors carry the HTTP status as their code; the description names the refusal
    return { status: res.status, code: res.status === 400 && /implausible|far outside|\(0, 0\)/i.test(raw) ? 'implausible_location' : null, raw };
  };

  /** every route a report enters by, each filing `description` at (lat, lng) */
  const routes: Array<[string, (lat: number, lng: number) => Promise<Outcome>]> = [
    ['随手拍 JSON (POST /api/public/reports)', (lat, lng) => json('/public/reports', null, { description: '路灯不亮', lat, lng })],
    [
      '随手拍 multipart (POST /api/public/reports, form-data)',
      (lat, lng) => multipart('/public/reports', null, { description: '路灯不亮', lat: String(lat), lng: String(lng) }),
    ],
    ['hotline 来电登记 (POST /api/cases as operator)', (lat, lng) => json('/cases', 'operator', { description: '来电：路灯不亮', lat, lng })],
    ['a grid worker filing (POST /api/cases as gridworker)', (lat, lng) => json('/cases', 'gridworker', { description: '巡查：路灯不亮', lat, lng })],
    ['an admin filing (POST /api/cases as admin)', (lat, lng) => json('/cases', 'admin', { description: '路灯不亮', channel: 'hotline', lat, lng })],
    [
      '巡查上报 (POST /api/field-reports, form-data)',
      (lat, lng) => multipart('/field-reports', 'gridworker', { description: '路灯整排不亮', eventTypeCode, lat: String(lat), lng: String(lng) }),
    ],
    [
      '领导交办 (POST /api/assignments as leader)',
      (lat, lng) =>
        json('/assignments', 'leader', {
          description: '文昌路路灯整排不亮',
          instruction: '三日内修复',
          unitCode: 'D-ZJJ',
          dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          lat,
          lng,
        }),
    ],
    ['Open311 JSON (POST /open311/v2/requests.json)', (lat, lng) => open311('json', lat, lng)],
    ['Open311 XML (POST /open311/v2/requests.xml)', (lat, lng) => open311('xml', lat, lng)],
    [
      'AI camera (POST /api/ingest/camera/events, the camera placed there)',
      async (lat, lng) => {
        await query('UPDATE camera_devices SET lat = ?, lng = ? WHERE code = ?', [lat, lng, camera.code]);
        const res = await fetch(`${api.base}/ingest/camera/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Device-Key': camera.apiKey },
          body: JSON.stringify({
            deviceCode: camera.code,
            events: [{ eventId: `place-${++eventNo}`, eventTypeCode, confidence: 0.95, capturedAt: new Date(Date.now() - 60_000).toISOString() }],
          }),
        });
        const raw = await res.text();
        const result = (JSON.parse(raw) as { results?: Array<{ outcome: string; code?: string; caseId?: string }> }).results?.[0];
        // a camera's events are answered one by one: refused with a code, or created (its open case is closed again for the next place)
        if (result?.caseId) await query("UPDATE cases SET status = 'closed' WHERE id = ?", [result.caseId]);
        return { status: result?.outcome === 'created' ? 201 : res.status, code: result?.code ?? null, raw };
      },
    ],
  ];

  const rowsWritten = async () => ({
    cases: await Cases.count(),
    attachments: await Attachments.count(),
    assignments: Number((await query<{ n: unknown }>('SELECT COUNT(*) AS n FROM case_assignments'))[0]!.n),
    open311: await Open311Requests.count(),
    cameraEvents: await CameraEvents.count(),
  });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plausible-'));
    api = await openApiWorld({ dataDir });
    root = api.base.replace(/\/api$/, '');
    grid = (await Grids.findAll({ order: [['id', 'DESC']], limit: 3 }))[2]!;
    eventTypeCode = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!.code;
    const admin = await api.login('admin');
    open311Key = (await api.call<{ apiKey: string }>('POST', '/admin/open311-clients', { token: admin, body: { name: '位置检查' } })).body.apiKey;
    const registered = await api.call<{ apiKey: string }>('POST', '/admin/cameras', {
      token: admin,
      body: { code: 'CAM-PLACE', name: '摄像头 位置', lat: grid.centroidLat, lng: grid.centroidLng, eventTypeCodes: [eventTypeCode] },
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    camera = { code: 'CAM-PLACE', apiKey: registered.body.apiKey };
  });
  after(async () => {
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const places: Array<[string, number, number]> = [
    ['(0, 0), an unset GPS fix', 0, 0],
    ['Beijing, another province', 39.9042, 116.4074],
    ['the far side of the globe', -25.6, -76.2],
  ];
  for (const [route, file] of routes) {
    it(`given ${route}, when a report comes at (0, 0), in Beijing or on the far side of the globe, then each is refused implausible_location and nothing is written; at a place of the district it is taken`, async () => {
      for (const [place, lat, lng] of places) {
        const before = await rowsWritten();
        const refused = await file(lat, lng);
        expect(refused.code, `${place}: ${refused.status} ${refused.raw}`).to.equal('implausible_location');
        expect(refused.status, `${place}: ${refused.raw}`).to.be.oneOf([400, 200]);
        expect(await rowsWritten(), place).to.deep.equal(before);
      }
      const taken = await file(Number(grid.centroidLat), Number(grid.centroidLng));
      expect(taken.status, `in the district: ${taken.raw}`).to.equal(201);
    });
  }

  it('given an admin, when a camera is registered at (0, 0) (its grid named or not) or moved to Beijing, then 400 implausible_location and the registry is unchanged', async () => {
    const admin = await api.login('admin');
    const cameras = await CameraDevices.count();
    const created = await api.call('POST', '/admin/cameras', {
      token: admin,
      body: { code: 'CAM-NULL', name: '摄像头 零点', lat: 0, lng: 0, eventTypeCodes: [eventTypeCode] },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(400);
    expect(created.body['code']).to.equal('implausible_location');
    const namedGrid = await api.call('POST', '/admin/cameras', {
      token: admin,
      body: { code: 'CAM-NULL', name: '摄像头 零点', lat: 0, lng: 0, gridCode: grid.code, eventTypeCodes: [eventTypeCode] },
    });
    expect(namedGrid.status, JSON.stringify(namedGrid.body)).to.equal(400);
    expect(namedGrid.body['code'], 'with its grid named').to.equal('implausible_location');
    await query('UPDATE camera_devices SET lat = ?, lng = ? WHERE code = ?', [grid.centroidLat, grid.centroidLng, camera.code]);
    const moved = await api.call('PATCH', `/admin/cameras/${camera.code}`, { token: admin, body: { lat: 39.9042, lng: 116.4074 } });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(400);
    expect(moved.body['code']).to.equal('implausible_location');
    expect(await CameraDevices.count()).to.equal(cameras);
    const row = (await CameraDevices.findOne({ where: { code: camera.code } }))!;
    expect([Number(row.lat), Number(row.lng)]).to.deep.equal([Number(grid.centroidLat), Number(grid.centroidLng)]);
  });
});
