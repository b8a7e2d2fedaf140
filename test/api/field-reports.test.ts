import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attachments, AuditRecords, Cases, Grids, type Row } from '../support/tables.js';
import { testJpeg } from '../support/test-images.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

const jpeg = () => testJpeg();

function form(fields: Record<string, string>, photos: Buffer[] = []): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  photos.forEach((p, i) => fd.append('photos', new Blob([p], { type: 'image/jpeg' }), `现场${i + 1}.jpg`));
  return fd;
}

/** A grid worker's field report from the phone and 自处置 (issue #14 item 4); 随手拍 refuses staff sessions (item 4c). */
describe("REST API: a grid worker's field report (/api/field-reports) and 随手拍 with a staff session", function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let dataDir: string;
  let grid: Row<'grids'>;
  let gridworker: string;
  const post = async (token: string | null, body: FormData | string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.base}/field-reports`, {
      method: 'POST',
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'field-'));
    api = await openApiWorld({ dataDir });
    gridworker = await api.login('gridworker');
    grid = (await Grids.findAll({ order: [['id', 'DESC']], limit: 2 }))[1]!;
  });
  after(async () => {
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given a small problem fixed on the spot, when the grid worker reports it as 自处置 with a photo, then the case is filed and closed at once, its process ended, the photo kept', async () => {
    const res = await post(
      gridworker,
      form(
        {
          description: '人行道井盖松动，已现场复位固定',
          eventTypeCode: 'BJ-0101',
          lat: String(grid.centroidLat),
          lng: String(grid.centroidLng),
          selfHandled: 'true',
          result: '井盖已复位，加垫片固定',
        },
        [jpeg()],
      ),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ status: 'closed', selfHandled: true });
    const c = (await Cases.findByPk(String(res.body['id'])))!;
    expect(c).to.include({ status: 'closed', channel: 'grid_worker' });
    expect(c.closedAt).to.be.instanceOf(Date);
    expect((await api.world.engine.getInstance(c.processInstanceKey!))!.state).to.not.equal('ACTIVE');
    expect(await Attachments.count({ where: { caseId: c.id, kind: 'photo' } })).to.equal(1);
    const closed = await AuditRecords.findOne({ where: { caseId: c.id, action: 'self-handled' } });
    expect(closed!.actor).to.equal('gridworker');
    expect((closed!.detail as { result: string }).result).to.equal('井盖已复位，加垫片固定');
    const mine = await api.call<{ items: Array<{ caseNo: string; status: string }> }>('GET', '/field-reports', { token: gridworker });
    expect(mine.body.items[0]).to.include({ caseNo: String(res.body['caseNo']), status: 'closed' });
  });

  it('given a problem the grid worker cannot fix, when it is reported without 自处置, then it enters the loop like any case', async () => {
    const res = await post(gridworker, form({ description: '路灯整排不亮', eventTypeCode: 'BJ-0101', gridCode: grid.code }));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body['status']).to.equal('reported');
    const c = (await Cases.findByPk(String(res.body['id'])))!;
    expect((await api.world.engine.getInstance(c.processInstanceKey!))!.state).to.equal('ACTIVE');
  });

  it('given bad field reports, when they are posted, then each is refused with its code and nothing changes', async () => {
    const leader = await api.login('leader');
    // the earlier test's case is still being processed (its 受理 task appears on the engine's time): start from a settled state
    let before = await snapshot();
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const again = await snapshot();
      if (again === before) break;
      before = again;
    }
    const photos = await Attachments.count();
    const good = { description: '垃圾桶破损', eventTypeCode: 'BJ-0101', gridCode: grid.code };
    const cases: Array<[string, FormData | string, number, string, string?, Record<string, string>?]> = [
      ['自处置 without what was done', form({ ...good, selfHandled: 'true' }), 400, 'result_required'],
      ['no event type', form({ description: '垃圾桶破损', gridCode: grid.code }), 400, 'invalid_input'],
      ['unknown event type', form({ ...good, eventTypeCode: 'XX-9999' }), 400, 'unknown_event_type'],
      ['no place', form({ description: '垃圾桶破损', eventTypeCode: 'BJ-0101' }), 400, 'location_required'],
      [
        'a photo that is not an image',
        (() => {
          const fd = form(good);
          fd.append('photos', new Blob([Buffer.from('not an image at all')], { type: 'image/jpeg' }), 'x.jpg');
          return fd;
        })(),
        415,
        'unsupported_file_type',
      ],
      ['JSON instead of a form', JSON.stringify(good), 415, 'multipart_required', undefined, { 'Content-Type': 'application/json' }],
      ['a leader', form(good), 403, 'forbidden', leader],
    ];
    for (const [what, body, status, code, token, headers] of cases) {
      const res = await post(token ?? gridworker, body, headers);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(status);
      expect(res.body['code'], what).to.equal(code);
    }
    expect(await snapshot()).to.equal(before);
    expect(await Attachments.count()).to.equal(photos);
  });

  it('given a signed-in grid worker, when 随手拍 is posted with their session, then it is refused and names their own page; without a session it files as before', async () => {
    const body = { description: '公园长椅损坏', lat: grid.centroidLat, lng: grid.centroidLng };
    const cases = await Cases.count();
    const refused = await api.call<{ code: string; details: { page: string | null } }>('POST', '/public/reports', { token: gridworker, body });
    expect(await Cases.count()).to.equal(cases);
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('staff_report_elsewhere');
    expect(refused.body.details.page).to.equal('/field/');
    const clerk = await api.login('clerk');
    const snap = await snapshot();
    const multipart = await fetch(`${api.base}/public/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${clerk}` },
      body: form({ description: '公园长椅损坏', address: '沾益公园' }),
    });
    expect(multipart.status).to.equal(403);
    expect(((await multipart.json()) as { details: { page: string | null } }).details.page).to.equal(null);
    expect(await snapshot()).to.equal(snap);
    const anonymous = await api.call('POST', '/public/reports', { body });
    expect(anonymous.status).to.equal(201);
  });
});
