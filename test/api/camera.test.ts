import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { loadConfig } from '../../config/load.js';
import { AuditRecords, CameraCases, CameraDevices, CameraEvents, Cases, EventTypes, Grids, type Row } from '../support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface CameraBody {
  code: string;
  name: string;
  gridCode: string | null;
  eventTypeCodes: string[];
  enabled: boolean;
  hasKey: boolean;
  lastSeenAt: string | null;
  apiKey?: string;
}
interface Result {
  eventId: string;
  outcome: string;
  caseId?: string;
  caseNo?: string;
  code?: string;
}

describe('REST API: AI cameras — registry and event webhook', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let grid: Row<'grids'>;
  let types: Row<'event_types'>[];
  let admin: string;
  let seq = 0;

  const at = () => new Date(Date.now() - 60_000).toISOString();
  const event = (eventTypeCode: string, over: Record<string, unknown> = {}) => ({
    eventId: `ev-${++seq}`,
    eventTypeCode,
    confidence: 0.91,
    capturedAt: at(),
    snapshotUrl: `https://cam.example.cn/snap/${seq}.jpg`,
    ...over,
  });
  const post = (deviceCode: string, key: string | null, events: unknown[]) =>
    api.call<{ results: Result[]; code?: string }>('POST', '/ingest/camera/events', {
      body: { deviceCode, events },
      headers: key === null ? {} : { 'X-Device-Key': key },
    });
  const writes = async () =>
    JSON.stringify({
      s: await snapshot(),
      devices: await CameraDevices.findAll({ order: [['id', 'ASC']], attributes: ['code', 'name', 'enabled', 'apiKeyHash', 'eventTypeCodes', 'gridId'] }),
      events: await CameraEvents.count(),
      links: await CameraCases.count(),
    });
  /** state after the processes of earlier cases stopped moving */
  const settled = async () => {
    // unchanged over 0.6 s: on a busy machine a process can take that long to reach its next task
    let last = await writes();
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await writes();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    return last;
  };
  const newCamera = async (code: string, eventTypeCodes: string[]) => {
    const res = await api.call<CameraBody>('POST', '/admin/cameras', {
      token: admin,
      body: { code, name: `摄像头 ${code}`, lat: grid.centroidLat, lng: grid.centroidLng, address: '文昌路口', eventTypeCodes },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };

  before(async () => {
    api = await openApiWorld();
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    types = await EventTypes.findAll({ order: [['id', 'ASC']], limit: 3 });
    admin = await api.login('admin');
  });
  after(() => api.close());

  describe('registry', () => {
    it('given an admin, when a camera is registered, then it is placed in the grid around it, its key is shown once and stored only as a hash, and the change is audited', async () => {
      const body = await newCamera('CAM-REG-1', [types[0]!.code, types[1]!.code]);
      expect(body).to.include({ code: 'CAM-REG-1', gridCode: grid.code, enabled: true, hasKey: true, lastSeenAt: null });
      expect(body.eventTypeCodes).to.deep.equal([types[0]!.code, types[1]!.code]);
      expect(body.apiKey).to.be.a('string').with.length.greaterThan(40);
      const row = (await CameraDevices.findOne({ where: { code: 'CAM-REG-1' } }))!;
      expect(row.apiKeyHash).to.equal(createHash('sha256').update(body.apiKey!).digest('hex'));
      expect(JSON.stringify(row)).not.to.contain(body.apiKey);
      const read = await api.call<CameraBody>('GET', '/admin/cameras/CAM-REG-1', { token: await api.login('operator') });
      expect(read.status).to.equal(200);
      expect(read.body).not.to.have.property('apiKey');
      expect(JSON.stringify(read.body)).not.to.contain(row.apiKeyHash!);
      const list = await api.call<{ items: CameraBody[]; total: number }>('GET', '/admin/cameras?q=REG', { token: await api.login('auditor') });
      expect(list.body.items.map((c) => c.code)).to.deep.equal(['CAM-REG-1']);
      expect(await AuditRecords.count({ where: { action: 'camera_created' } })).to.equal(1);
    });

    it('given an admin, when a camera is changed, disabled and its key rotated, then the old key stops working', async () => {
      const cam = await newCamera('CAM-REG-2', [types[0]!.code]);
      const patched = await api.call<CameraBody>('PATCH', '/admin/cameras/CAM-REG-2', {
        token: admin,
        body: { name: '西平路口东', eventTypeCodes: [types[1]!.code], gridCode: null },
      });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      expect(patched.body).to.include({ name: '西平路口东', gridCode: grid.code });
      expect(patched.body.eventTypeCodes).to.deep.equal([types[1]!.code]);
      const rotated = await api.call<{ apiKey: string }>('POST', '/admin/cameras/CAM-REG-2/rotate-key', { token: admin });
      expect(rotated.status).to.equal(200);
      expect(rotated.body.apiKey).to.not.equal(cam.apiKey);
      expect((await post('CAM-REG-2', cam.apiKey!, [event(types[1]!.code)])).status).to.equal(401);
      const fresh = await post('CAM-REG-2', rotated.body.apiKey, [event(types[1]!.code)]);
      expect(fresh.status, JSON.stringify(fresh.body)).to.equal(200);
      expect(fresh.body.results[0]!.outcome).to.equal('created');
      const disabled = await api.call<CameraBody>('PATCH', '/admin/cameras/CAM-REG-2', { token: admin, body: { enabled: false } });
      expect(disabled.body.enabled).to.equal(false);
      expect((await AuditRecords.findAll({ where: { action: ['camera_updated', 'camera_key_rotated'] } })).length).to.equal(3);
    });

    it('given a camera whose events made cases, when it is deleted, then 409 in_use; a camera without cases is deleted', async () => {
      const used = await api.call('DELETE', '/admin/cameras/CAM-REG-2', { token: admin });
      expect(used.status).to.equal(409);
      expect(used.body['code']).to.equal('in_use');
      await newCamera('CAM-REG-3', [types[0]!.code]);
      expect((await api.call('DELETE', '/admin/cameras/CAM-REG-3', { token: admin })).status).to.equal(204);
      expect(await CameraDevices.count({ where: { code: 'CAM-REG-3' } })).to.equal(0);
      expect((await api.call('GET', '/admin/cameras/CAM-REG-3', { token: admin })).status).to.equal(404);
    });

    const refusals: Array<[string | null, string, string, unknown, number]> = [
      [null, 'GET', '/admin/cameras', undefined, 401],
      ['clerk', 'GET', '/admin/cameras', undefined, 403],
      ['gridworker', 'GET', '/admin/cameras/CAM-REG-1', undefined, 403],
      ['operator', 'POST', '/admin/cameras', { code: 'CAM-X', name: 'x', lat: 25.6, lng: 103.8, eventTypeCodes: ['BJ-0101'] }, 403],
      ['auditor', 'PATCH', '/admin/cameras/CAM-REG-1', { enabled: false }, 403],
      ['leader', 'DELETE', '/admin/cameras/CAM-REG-1', undefined, 403],
      ['auditor', 'POST', '/admin/cameras/CAM-REG-1/rotate-key', undefined, 403],
      [null, 'POST', '/admin/cameras/CAM-REG-1/rotate-key', undefined, 401],
    ];
    for (const [who, method, path, body, status] of refusals) {
      it(`given ${who ?? 'no token'}, when ${method} ${path}, then ${status} and nothing changes`, async () => {
        const token = who ? await api.login(who) : null;
        const before = await settled();
        const res = await api.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
        expect(res.status).to.equal(status);
        expect(await writes()).to.equal(before);
      });
    }

    const good = () => ({ code: 'CAM-BAD', name: '路口', lat: 25.6, lng: 103.83, eventTypeCodes: [types[0]!.code] });
    const bad: Array<[string, () => unknown, number, string]> = [
      ['latitude 200', () => ({ ...good(), lat: 200 }), 400, 'invalid_input'],
      ['latitude as a string', () => ({ ...good(), lat: '25.6' }), 400, 'invalid_input'],
      ['no event types', () => ({ ...good(), eventTypeCodes: [] }), 400, 'invalid_input'],
      ['an unknown event type', () => ({ ...good(), eventTypeCodes: ['NOPE-1'] }), 400, 'unknown_event_type'],
      ['an unknown grid', () => ({ ...good(), gridCode: 'G-NOWHERE' }), 400, 'unknown_grid'],
      ['an SQL injection as the code', () => ({ ...good(), code: "x'; DROP TABLE camera_devices; --" }), 400, 'invalid_input'],
      ['an extra field', () => ({ ...good(), apiKeyHash: 'abc' }), 400, 'invalid_input'],
      ['a huge name', () => ({ ...good(), name: 'x'.repeat(5000) }), 400, 'invalid_input'],
      ['a code that exists', () => ({ ...good(), code: 'CAM-REG-1' }), 409, 'camera_exists'],
    ];
    for (const [what, body, status, code] of bad) {
      it(`given ${what}, when an admin registers the camera, then ${status} ${code} and no row is written`, async () => {
        const before = await settled();
        const res = await api.call('POST', '/admin/cameras', { token: admin, body: body() });
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body['code']).to.equal(code);
        expect(await writes()).to.equal(before);
      });
    }

    it('given HTML in the name, when registered, then it is stored and returned as plain text', async () => {
      const res = await api.call<CameraBody>('POST', '/admin/cameras', {
        token: admin,
        body: { ...good(), code: 'CAM-HTML', name: '<img src=x onerror=alert(1)>' },
      });
      expect(res.status).to.equal(201);
      expect((await api.call<CameraBody>('GET', '/admin/cameras/CAM-HTML', { token: admin })).body.name).to.equal('<img src=x onerror=alert(1)>');
    });
  });

  describe('webhook', () => {
    let key: string;
    let A: string;
    let B: string;
    let C: string;
    before(async () => {
      [A, B, C] = types.map((t) => t.code) as [string, string, string];
      key = (await newCamera('CAM-WH-1', [A, B])).apiKey!;
    });

    it('given a batch, when it is posted, then the first event of a type files an ai_camera case placed from the registry, repeats merge into it with a count, and types the camera does not detect or low confidence are refused one by one', async () => {
      const events = [event(A), event(A), event(A), event(A, { confidence: 0.6 }), event(C), event(A, { confidence: 0.59 }), event(B)];
      const res = await post('CAM-WH-1', key, [...events, { ...events[1] }]);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const r = res.body.results;
      expect(r.map((x) => x.outcome)).to.deep.equal(['created', 'merged', 'merged', 'merged', 'refused', 'refused', 'created', 'duplicate']);
      expect(r[4]!.code).to.equal('type_not_detected');
      expect(r[5]!.code).to.equal('low_confidence');
      expect(new Set([r[0], r[1], r[2], r[3], r[7]].map((x) => x!.caseId)).size).to.equal(1);
      expect(r[6]!.caseId).to.not.equal(r[0]!.caseId);
      const c = (await Cases.findByPk(r[0]!.caseId!))!;
      expect(c).to.include({
        channel: 'ai_camera',
        gridId: grid.id,
        lat: grid.centroidLat,
        lng: grid.centroidLng,
        address: '文昌路口',
        eventTypeId: types[0]!.id,
        duplicateCount: 3,
      });
      expect(c.caseNo).to.equal(r[0]!.caseNo);
      const link = (await CameraCases.findOne({ where: { caseId: c.id } }))!;
      expect(link.repeatCount).to.equal(3);
      const stored = await CameraEvents.findAll({ where: { caseId: c.id }, order: [['id', 'ASC']] });
      const second = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000); // MariaDB DATETIME keeps whole seconds (truncated)
      expect(stored.map((e) => [e.eventId, e.outcome, e.snapshotUrl, second(e.capturedAt), e.confidence])).to.deep.equal(
        events.slice(0, 4).map((e, i) => [e.eventId, i === 0 ? 'created' : 'merged', e.snapshotUrl, second(e.capturedAt), e.confidence]),
      );
      expect((await caseAuditTrail(c.id)).map((a) => a.action)).to.include('camera_events');
      expect((await CameraDevices.findOne({ where: { code: 'CAM-WH-1' } }))!.lastSeenAt).to.be.instanceOf(Date);
    });

    it('given an event sent again, when posted, then it is a duplicate answered with the same case and nothing is counted twice; new repeats keep merging', async () => {
      const first = (await post('CAM-WH-1', key, [event(A)])).body.results[0]!;
      expect(first.outcome).to.equal('merged');
      const before = (await Cases.findByPk(first.caseId!))!.duplicateCount;
      const again = await post('CAM-WH-1', key, [{ ...event(A), eventId: first.eventId }, event(A)]);
      expect(again.body.results.map((x) => [x.outcome, x.caseId])).to.deep.equal([
        ['duplicate', first.caseId],
        ['merged', first.caseId],
      ]);
      expect(again.body.results[0]!.caseNo).to.equal(first.caseNo);
      expect((await Cases.findByPk(first.caseId!))!.duplicateCount).to.equal(before + 1);
    });

    it('given the case of a device and type is closed, when the camera sees the problem again, then a new case is filed', async () => {
      const open = (await post('CAM-WH-1', key, [event(A)])).body.results[0]!;
      await Cases.update({ status: 'closed', closedAt: new Date() }, { where: { id: open.caseId! } });
      const next = (await post('CAM-WH-1', key, [event(A), event(A)])).body.results;
      expect(next.map((x) => x.outcome)).to.deep.equal(['created', 'merged']);
      expect(next[0]!.caseId).to.not.equal(open.caseId);
    });

    it('given the case was merged into another (并单), when the camera repeats, then its events go to the case that absorbed it', async () => {
      const mine = (await post('CAM-WH-1', key, [event(B)])).body.results[0]!;
      const other =
        (await Cases.findOne({ where: { channel: 'photo' }, order: [['id', 'DESC']] })) ?? (await Cases.findOne({ where: { status: 'reported' } }))!;
      await Cases.update({ status: 'merged', mergedIntoId: other.id }, { where: { id: mine.caseId! } });
      await Cases.update({ status: 'reported' }, { where: { id: other.id } });
      const res = (await post('CAM-WH-1', key, [event(B)])).body.results[0]!;
      expect([res.outcome, res.caseId]).to.deep.equal(['merged', other.id]);
    });

    const refused: Array<[string, () => [string, string | null, unknown[]], number, string]> = [
      ['no device key', () => ['CAM-WH-1', null, [event(A)]], 401, 'device_unauthorized'],
      ['a wrong device key', () => ['CAM-WH-1', `${key}x`, [event(A)]], 401, 'device_unauthorized'],
      ['an unknown device', () => ['CAM-NOBODY', key, [event(A)]], 401, 'device_unauthorized'],
      ["another device's key", () => ['CAM-REG-1', key, [event(A)]], 401, 'device_unauthorized'],
      ['a disabled device', () => ['CAM-REG-2', null, [event(A)]], 403, 'device_disabled'],
      ['501 events', () => ['CAM-WH-1', key, Array.from({ length: 501 }, () => event(A))], 400, 'invalid_input'],
      ['no events', () => ['CAM-WH-1', key, []], 400, 'invalid_input'],
      ['confidence 1.5', () => ['CAM-WH-1', key, [event(A, { confidence: 1.5 })]], 400, 'invalid_input'],
      ['a capture time that is not a date', () => ['CAM-WH-1', key, [event(A, { capturedAt: 'yesterday' })]], 400, 'invalid_input'],
      ['a javascript: snapshot URL', () => ['CAM-WH-1', key, [event(A, { snapshotUrl: 'javascript:alert(1)' })]], 400, 'invalid_input'],
      ['an SQL injection as the event id', () => ['CAM-WH-1', key, [event(A, { eventId: "1'); DELETE FROM cases; --" })]], 400, 'invalid_input'],
      ['an SQL injection as the device code', () => ["x' OR '1'='1", key, [event(A)]], 400, 'invalid_input'],
      ['an unknown property', () => ['CAM-WH-1', key, [event(A, { gridCode: 'G-1' })]], 400, 'invalid_input'],
    ];
    for (const [what, args, status, code] of refused) {
      it(`given ${what}, when events are posted, then ${status} ${code} and nothing is written`, async () => {
        const [device, k, events] = args();
        // the disabled camera's real key: it must be refused for being disabled, not for the key
        const keyToUse =
          device === 'CAM-REG-2' ? (await api.call<{ apiKey: string }>('POST', '/admin/cameras/CAM-REG-2/rotate-key', { token: admin })).body.apiKey : k;
        const before = await settled();
        const res = await post(device, keyToUse, events);
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body.code).to.equal(code);
        expect(await writes()).to.equal(before);
      });
    }

    it('given AI_MIN_CONFIDENCE, then the threshold is configurable (default 0.6) and must lie in 0..1', () => {
      expect(loadConfig({}).AI_MIN_CONFIDENCE).to.equal(0.6);
      expect(loadConfig({ AI_MIN_CONFIDENCE: '0.8' }).AI_MIN_CONFIDENCE).to.equal(0.8);
      expect(() => loadConfig({ AI_MIN_CONFIDENCE: '1.5' })).to.throw(/AI_MIN_CONFIDENCE/);
    });

    it('given a full batch of 500 mostly repeated events, when posted, then it is answered within seconds (the machine is shared) with one case per type', async () => {
      const events = Array.from({ length: 500 }, (_, i) => event(i % 50 === 0 ? B : A));
      const t0 = Date.now();
      const res = await post('CAM-WH-1', key, events);
      const ms = Date.now() - t0;
      expect(res.status).to.equal(200);
      expect(new Set(res.body.results.map((x) => x.caseId)).size).to.equal(2);
      expect(res.body.results.filter((x) => x.outcome === 'merged').length).to.be.greaterThan(490);
      expect(ms).to.be.lessThan(5000);
    });
  });
});
