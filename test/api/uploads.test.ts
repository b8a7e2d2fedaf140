import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attachments, Cases, EventTypes, Grids, InboxTasks, Units, Users, type Row } from '../support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { testJpeg, testPng, testWebp } from '../support/test-images.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

/** Real images (the server decodes them); `big` pads a JPEG past 5 MB with a comment segment the size check meets first. */
const jpeg = () => testJpeg();
const png = () => testPng();
const bigJpeg = () => Buffer.concat([testJpeg(), randomBytes(5 * 1024 * 1024)]);
/** a small but well-formed PDF (header, two objects, cross-reference table, trailer), different each time */
function pdf(): Buffer {
  let text = `%PDF-1.7\n% ${randomBytes(32).toString('hex')}\n`;
  const offsets: number[] = [];
  for (const body of ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']) {
    offsets.push(text.length);
    text += `${offsets.length} 0 obj\n${body}\nendobj\n`;
  }
  const xref = text.length;
  text += `xref\n0 3\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return Buffer.from(`${text}trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1');
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Part {
  name: string;
  value?: string;
  file?: Buffer;
  fileName?: string;
  type?: string;
}

function form(parts: Part[]): FormData {
  const fd = new FormData();
  for (const p of parts) {
    if (p.file) fd.append(p.name, new Blob([p.file], { type: p.type ?? 'application/octet-stream' }), p.fileName ?? 'file.bin');
    else fd.append(p.name, p.value ?? '');
  }
  return fd;
}

describe('REST API: photo uploads on 随手拍 and task attachments', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let dataDir: string;
  let grid: Row<'grids'>;

  const send = async (method: string, path: string, body: FormData | string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const type = res.headers.get('content-type') ?? '';
    const buf = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      headers: res.headers,
      bytes: buf,
      body: (type.includes('json') && buf.length ? JSON.parse(buf.toString('utf8')) : null) as Record<string, unknown>,
    };
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const storedFiles = async () => {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else out.push(join(dir, e.name));
      }
    };
    await walk(dataDir);
    return out.sort();
  };
  /** everything a refused upload must leave as it was: cases, tasks, audit, attachment rows, files */
  const state = async () => JSON.stringify({ s: await snapshot(), attachments: await Attachments.count(), files: await storedFiles() });
  /** the state once the processes of earlier cases stopped moving (their tasks arrive in the background) */
  const settled = async () => {
    // no job left for a worker (an idle worker may poll a few seconds apart, so quiet alone is not enough),
    // then unchanged over 0.6 s: on a busy machine a process can take that long to reach its next task
    await eventually("the earlier reports' jobs done", async () => (await jobsLeft()) === 0, 30_000);
    let last = await state();
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await state();
      quiet = now === last && (await jobsLeft()) === 0 ? quiet + 1 : 0;
      last = now;
    }
    return last;
  };
  const jobsLeft = async () => (await api.world.engine.listJobs()).length;
  const reportFields = (): Part[] => [
    { name: 'description', value: '人行道上井盖缺失，夜里很危险' },
    { name: 'lat', value: String(grid.centroidLat) },
    { name: 'lng', value: String(grid.centroidLng) },
    { name: 'reporterPhone', value: '13700001111' },
  ];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ywtg-uploads-'));
    api = await openApiWorld({ dataDir });
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
  });
  after(async () => {
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('随手拍 with photos', () => {
    it('given a multipart report with a JPEG, a PNG and a WebP, when it is posted, then the case is filed with three photo attachments stored by hash under DATA_DIR, and the reporter gets them back by token', async () => {
      const photos = [jpeg(), png(), await testWebp()];
      const res = await send(
        'POST',
        '/public/reports',
        form([
          ...reportFields(),
          { name: 'photos', file: photos[0], fileName: '井盖.jpg', type: 'image/jpeg' },
          { name: 'photos', file: photos[1], fileName: 'close-up.png', type: 'image/png' },
          { name: 'photos', file: photos[2], fileName: 'wide.webp', type: 'image/webp' },
        ]),
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include.keys('caseNo', 'status', 'trackingToken', 'photoIds');
      const c = (await Cases.findOne({ where: { caseNo: res.body['caseNo'] as string } }))!;
      expect(c.channel).to.equal('photo');
      expect(c.lat).to.equal(grid.centroidLat);
      const rows = await Attachments.findAll({ where: { caseId: c.id }, order: [['id', 'ASC']] });
      expect(rows.map((r) => [r.kind, r.mimeType, r.fileName, r.sizeBytes, r.sha256])).to.deep.equal([
        ['photo', 'image/jpeg', '井盖.jpg', photos[0]!.length, sha(photos[0]!)],
        ['photo', 'image/png', 'close-up.png', photos[1]!.length, sha(photos[1]!)],
        ['photo', 'image/webp', 'wide.webp', photos[2]!.length, sha(photos[2]!)],
      ]);
      for (const [i, r] of rows.entries()) expect(await readFile(join(dataDir, r.storagePath))).to.deep.equal(photos[i]);
      expect((await caseAuditTrail(c.id)).map((a) => a.action)).to.include('attachments_added');

      const token = res.body['trackingToken'] as string;
      const got = await send('GET', `/public/reports/${token}/photos/${rows[1]!.id}`, undefined);
      expect(got.status).to.equal(200);
      expect(got.headers.get('content-type')).to.equal('image/png');
      expect(got.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(got.bytes).to.deep.equal(photos[1]);
      const list = await send('GET', `/public/reports/${token}/photos`, undefined);
      expect((list.body as unknown as Array<{ id: string }>).map((p) => p.id)).to.deep.equal(rows.map((r) => r.id));
    });

    it("given another reporter's token, when they ask for this case's photo, then it is 404", async () => {
      const mine = await send('POST', '/public/reports', form([...reportFields(), { name: 'photos', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' }]));
      const theirs = await send('POST', '/public/reports', form(reportFields()));
      expect(theirs.status).to.equal(201);
      const photoId = (mine.body['photoIds'] as string[])[0]!;
      const res = await send('GET', `/public/reports/${theirs.body['trackingToken'] as string}/photos/${photoId}`, undefined);
      expect(res.status).to.equal(404);
      expect(res.body['code']).to.equal('attachment_not_found');
    });

    const refusals: Array<[string, () => Part[], number, string]> = [
      ['a file over 5 MB', () => [...reportFields(), { name: 'photos', file: bigJpeg(), fileName: 'big.jpg', type: 'image/jpeg' }], 413, 'file_too_large'],
      [
        'seven photos',
        () => [...reportFields(), ...Array.from({ length: 7 }, (_, i) => ({ name: 'photos', file: jpeg(), fileName: `p${i}.jpg`, type: 'image/jpeg' }))],
        413,
        'too_many_files',
      ],
      [
        'a text file called .txt',
        () => [...reportFields(), { name: 'photos', file: Buffer.from('hello, not an image'), fileName: 'notes.txt', type: 'text/plain' }],
        415,
        'unsupported_file_type',
      ],
      [
        'a PNG renamed .jpg',
        () => [...reportFields(), { name: 'photos', file: png(), fileName: 'holiday.jpg', type: 'image/jpeg' }],
        415,
        'unsupported_file_type',
      ],
      [
        'a .png whose bytes are not PNG (GIF magic)',
        () => [...reportFields(), { name: 'photos', file: Buffer.concat([Buffer.from('GIF89a'), randomBytes(100)]), fileName: 'x.png', type: 'image/png' }],
        415,
        'unsupported_file_type',
      ],
      [
        'an HTML page posing as a JPEG',
        () => [...reportFields(), { name: 'photos', file: Buffer.from('<html><script>alert(1)</script></html>'), fileName: 'x.jpg', type: 'image/jpeg' }],
        415,
        'unsupported_file_type',
      ],
      [
        'a PDF among the photos',
        () => [...reportFields(), { name: 'photos', file: pdf(), fileName: 'x.pdf', type: 'application/pdf' }],
        415,
        'unsupported_file_type',
      ],
      [
        'a good photo after a bad one',
        () => [
          ...reportFields(),
          { name: 'photos', file: jpeg(), fileName: 'ok.jpg', type: 'image/jpeg' },
          { name: 'photos', file: Buffer.from('MZ\x90\x00'), fileName: 'evil.exe', type: 'application/octet-stream' },
        ],
        415,
        'unsupported_file_type',
      ],
      ['a photo in another field', () => [...reportFields(), { name: 'image', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' }], 400, 'invalid_input'],
      [
        'latitude that is not a number',
        () => [
          { name: 'description', value: '路灯不亮' },
          { name: 'lat', value: '25.6abc' },
          { name: 'lng', value: '103.8' },
        ],
        400,
        'invalid_input',
      ],
      [
        'latitude out of range',
        () => [
          { name: 'description', value: '路灯不亮' },
          { name: 'lat', value: '95.5' },
          { name: 'lng', value: '103.8' },
        ],
        400,
        'invalid_input',
      ],
      [
        'latitude without longitude',
        () => [
          { name: 'description', value: '路灯不亮' },
          { name: 'lat', value: '25.6' },
        ],
        400,
        'bad_location',
      ],
      [
        'no description',
        () => [
          { name: 'address', value: '沾益区西平街道' },
          { name: 'photos', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' },
        ],
        400,
        'invalid_input',
      ],
      ['an unknown field', () => [...reportFields(), { name: 'status', value: 'closed' }], 400, 'invalid_input'],
      ['a field given twice', () => [...reportFields(), { name: 'description', value: '第二个描述' }], 400, 'invalid_input'],
      [
        'an SQL injection in the phone number',
        () => [...reportFields().filter((p) => p.name !== 'reporterPhone'), { name: 'reporterPhone', value: "1' OR '1'='1" }],
        400,
        'invalid_input',
      ],
      [
        'a description over 2000 characters',
        () => [
          { name: 'description', value: '长'.repeat(2001) },
          { name: 'address', value: 'x' },
        ],
        400,
        'invalid_input',
      ],
    ];
    for (const [what, parts, status, code] of refusals) {
      it(`given ${what}, when the report is posted, then ${status} ${code} and nothing is written: no case, no row, no file`, async () => {
        const before = await settled();
        const res = await send('POST', '/public/reports', form(parts()));
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body['code']).to.equal(code);
        expect(res.body['message']).to.be.a('string').and.not.equal('');
        expect(await state()).to.equal(before);
      });
    }

    it('given a multipart body without a boundary, when posted, then 400 bad_multipart and nothing is written', async () => {
      const before = await settled();
      const res = await send('POST', '/public/reports', '--x\r\n', { 'Content-Type': 'multipart/form-data' });
      expect(res.status).to.equal(400);
      expect(res.body['code']).to.equal('bad_multipart');
      expect(await state()).to.equal(before);
    });

    it('given HTML and SQL in the description and the file name, when reported, then they are kept as text and served back inert', async () => {
      const description = "<script>alert('x')</script>'; DROP TABLE cases; --";
      const fileName = '<img src=x onerror=alert(1)>.jpg';
      const res = await send(
        'POST',
        '/public/reports',
        form([
          { name: 'description', value: description },
          { name: 'address', value: '西平街道' },
          { name: 'photos', file: jpeg(), fileName, type: 'image/jpeg' },
        ]),
        { 'Accept-Language': 'en' },
      );
      expect(res.status).to.equal(201);
      const c = (await Cases.findOne({ where: { caseNo: res.body['caseNo'] as string } }))!;
      expect(c.description).to.equal(description);
      const row = (await Attachments.findOne({ where: { caseId: c.id } }))!;
      expect(row.fileName).to.equal(fileName);
      const got = await send('GET', `/public/reports/${res.body['trackingToken'] as string}/photos/${row.id}`, undefined);
      expect(got.headers.get('content-disposition')).to.match(/^inline; filename="[^"<>]*"; filename\*=UTF-8''%3Cimg/);
      expect(got.headers.get('content-security-policy')).to.contain("default-src 'none'");
      expect(await Cases.count()).to.be.greaterThan(0); // the table is still there
    });

    it('given an Idempotency-Key, when the same multipart report is retried, then one case with one set of photos exists; other photos under the key are 409', async () => {
      const photo = jpeg();
      const parts = () => [...reportFields(), { name: 'photos', file: photo, fileName: 'a.jpg', type: 'image/jpeg' }];
      const first = await send('POST', '/public/reports', form(parts()), { 'Idempotency-Key': 'multipart-1' });
      const again = await send('POST', '/public/reports', form(parts()), { 'Idempotency-Key': 'multipart-1' });
      expect(first.status).to.equal(201);
      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      const other = await send('POST', '/public/reports', form([...reportFields(), { name: 'photos', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' }]), {
        'Idempotency-Key': 'multipart-1',
      });
      expect(other.status).to.equal(409);
    });
  });

  describe('task attachments and staff reads', () => {
    let caseId: string;
    let acceptKey: string;

    before(async () => {
      const operator = await api.login('operator');
      const filed = await api.call<{ id: string }>('POST', '/cases', {
        token: operator,
        body: { description: '热线：下水道堵塞', address: '沾益区西平街道龙华路 3 号' },
      });
      caseId = filed.body.id;
      const task = await eventually('the accept task', () => InboxTasks.findOne({ where: { caseId, elementId: 'accept', state: 'created' } }), 20_000);
      acceptKey = task.userTaskKey;
    });

    it('given an operator who may complete the accept task, when they attach a photo with a kind, then 201 with the attachment, listed on the case and readable by staff who see the case', async () => {
      const operator = await api.login('operator');
      const bytes = jpeg();
      const res = await send(
        'POST',
        `/tasks/${acceptKey}/attachments`,
        form([
          { name: 'kind', value: 'photo_before' },
          { name: 'file', file: bytes, fileName: '现场.jpeg', type: 'image/jpeg' },
        ]),
        bearer(operator),
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.equal({
        id: res.body['id'],
        caseId,
        kind: 'photo_before',
        fileName: '现场.jpeg',
        mimeType: 'image/jpeg',
        sizeBytes: bytes.length,
      });
      const doc = await send(
        'POST',
        `/tasks/${acceptKey}/attachments`,
        form([
          { name: 'kind', value: 'document' },
          { name: 'file', file: pdf(), fileName: '说明.pdf', type: 'application/pdf' },
        ]),
        bearer(operator),
      );
      expect(doc.status, JSON.stringify(doc.body)).to.equal(201);

      const list = await send('GET', `/cases/${caseId}/attachments`, undefined, bearer(await api.login('auditor')));
      expect(list.status).to.equal(200);
      expect((list.body as unknown as Array<{ id: string; kind: string; sha256: string }>).map((a) => [a.id, a.kind, a.sha256])).to.deep.equal([
        [res.body['id'], 'photo_before', sha(bytes)],
        [doc.body['id'], 'document', (await Attachments.findByPk(doc.body['id'] as string))!.sha256],
      ]);
      const got = await send('GET', `/attachments/${res.body['id'] as string}`, undefined, bearer(await api.login('leader')));
      expect(got.status).to.equal(200);
      expect(got.bytes).to.deep.equal(bytes);
      const pdfGot = await send('GET', `/attachments/${doc.body['id'] as string}`, undefined, bearer(operator));
      expect(pdfGot.headers.get('content-disposition')).to.match(/^attachment;/);
      const audit = (await caseAuditTrail(caseId)).filter((a) => a.action === 'attachments_added');
      expect(audit.map((a) => a.actor)).to.deep.equal(['operator', 'operator']);
    });

    it('given staff who cannot see the case, when they read its attachments, then 404 and no bytes; without a token 401', async () => {
      const id = (await Attachments.findOne({ where: { caseId } }))!.id;
      const clerk = await api.login('clerk'); // a unit's clerk: the case is not (yet) theirs
      const one = await send('GET', `/attachments/${id}`, undefined, bearer(clerk));
      expect(one.status).to.equal(404);
      expect(one.body['code']).to.equal('attachment_not_found');
      const list = await send('GET', `/cases/${caseId}/attachments`, undefined, bearer(clerk));
      expect(list.status).to.equal(404);
      expect((await send('GET', `/attachments/${id}`, undefined)).status).to.equal(401);
      expect((await send('GET', `/cases/${caseId}/attachments`, undefined)).status).to.equal(401);
      expect((await send('GET', '/attachments/999999999', undefined, bearer(await api.login('admin')))).status).to.equal(404);
      expect((await send('GET', "/attachments/1' OR '1'='1", undefined, bearer(await api.login('admin')))).status).to.equal(400);
    });

    const roleRefusals: Array<[string | null, number]> = [
      [null, 401],
      ['auditor', 403],
      ['leader', 403],
      ['clerk', 404],
      ['gridworker', 404],
    ];
    for (const [who, status] of roleRefusals) {
      it(`given ${who ?? 'no token'}, when they attach a file to the operator's accept task, then ${status} and nothing is written`, async () => {
        const headers = who ? bearer(await api.login(who)) : {};
        const before = await settled();
        const res = await send(
          'POST',
          `/tasks/${acceptKey}/attachments`,
          form([
            { name: 'kind', value: 'photo_before' },
            { name: 'file', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' },
          ]),
          headers,
        );
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(await state()).to.equal(before);
      });
    }

    const badUploads: Array<[string, () => Part[], number, string]> = [
      ['no kind', () => [{ name: 'file', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' }], 400, 'invalid_input'],
      [
        'an unknown kind',
        () => [
          { name: 'kind', value: 'snapshot' },
          { name: 'file', file: jpeg(), fileName: 'a.jpg', type: 'image/jpeg' },
        ],
        400,
        'invalid_input',
      ],
      ['no file', () => [{ name: 'kind', value: 'document' }], 400, 'file_required'],
      [
        'two files',
        () => [
          { name: 'kind', value: 'document' },
          { name: 'file', file: jpeg(), fileName: 'a.jpg' },
          { name: 'file', file: jpeg(), fileName: 'b.jpg' },
        ],
        413,
        'too_many_files',
      ],
      [
        'a PDF as a photo',
        () => [
          { name: 'kind', value: 'photo_after' },
          { name: 'file', file: pdf(), fileName: 'a.pdf', type: 'application/pdf' },
        ],
        415,
        'unsupported_file_type',
      ],
      [
        'a PNG renamed .jpg',
        () => [
          { name: 'kind', value: 'photo_after' },
          { name: 'file', file: png(), fileName: 'a.jpg', type: 'image/jpeg' },
        ],
        415,
        'unsupported_file_type',
      ],
      [
        'a file over 5 MB',
        () => [
          { name: 'kind', value: 'document' },
          { name: 'file', file: Buffer.concat([pdf(), Buffer.alloc(5 * 1024 * 1024)]), fileName: 'big.pdf', type: 'application/pdf' },
        ],
        413,
        'file_too_large',
      ],
      [
        'a PDF header followed by a web page',
        () => [
          { name: 'kind', value: 'document' },
          { name: 'file', file: Buffer.from('%PDF-1.7\n<html><script>alert(1)</script></html>\n'), fileName: 'x.pdf', type: 'application/pdf' },
        ],
        415,
        'pdf_invalid',
      ],
      [
        'a PDF cut off before its trailer',
        () => [
          { name: 'kind', value: 'document' },
          { name: 'file', file: pdf().subarray(0, 200), fileName: 'cut.pdf', type: 'application/pdf' },
        ],
        415,
        'pdf_invalid',
      ],
    ];
    for (const [what, parts, status, code] of badUploads) {
      it(`given ${what}, when the operator attaches it, then ${status} ${code} and nothing is written`, async () => {
        const operator = await api.login('operator');
        const before = await settled();
        const res = await send('POST', `/tasks/${acceptKey}/attachments`, form(parts()), bearer(operator));
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body['code']).to.equal(code);
        expect(await state()).to.equal(before);
      });
    }

    it('given JSON instead of multipart, when posted to attachments, then 415 and nothing is written', async () => {
      const operator = await api.login('operator');
      const before = await settled();
      const res = await api.call('POST', `/tasks/${acceptKey}/attachments`, { token: operator, body: { kind: 'document' } });
      expect(res.status).to.equal(415);
      expect(await state()).to.equal(before);
    });
  });

  it('given the OpenAPI document, then it describes the multipart report, the attachment and the camera paths', async () => {
    const doc = await api.call<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }>('GET', '/docs');
    expect(doc.body.paths['/public/reports']!['post']!.requestBody!.content).to.have.keys('application/json', 'multipart/form-data');
    expect(doc.body.paths).to.include.keys(
      '/tasks/{key}/attachments',
      '/attachments/{id}',
      '/cases/{id}/attachments',
      '/public/reports/{token}/photos/{attachmentId}',
      '/admin/cameras',
      '/admin/cameras/{code}',
      '/admin/cameras/{code}/rotate-key',
      '/ingest/camera/events',
    );
  });

  describe('photo ids in task forms', () => {
    it('given the handle task of a case, when it is completed with attachment ids of another case, then 400 form_invalid and the task stays open; with its own ids it completes', async () => {
      const admin = await api.login('admin');
      const operator = await api.login('operator');
      const eventType = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
      const filed = await api.call<{ id: string }>('POST', '/cases', { token: operator, body: { description: '热线：垃圾满溢', address: '沾益区西平街道' } });
      const caseId = filed.body.id;
      const accept = await eventually('accept', () => InboxTasks.findOne({ where: { caseId, elementId: 'accept', state: 'created' } }), 20_000);
      expect(
        (await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, { token: operator, body: { data: { filed: true, eventTypeCode: eventType.code } } }))
          .status,
      ).to.equal(200);
      const next = await eventually(
        'dispatch or handle',
        () => InboxTasks.findOne({ where: { caseId, elementId: ['dispatch', 'handle'], state: 'created' } }),
        20_000,
      );
      if (next.elementId === 'dispatch') {
        const clerkUnit = (await Units.findByPk((await Users.findOne({ where: { username: 'clerk' } }))!.unitId!))!;
        const unitCode = clerkUnit.code;
        const d = await api.call('POST', `/tasks/${next.userTaskKey}/complete`, { token: operator, body: { data: { unitCode, dispatchNote: '请处理' } } });
        expect(d.status, JSON.stringify(d.body)).to.equal(200);
      }
      const handle = await eventually('handle', () => InboxTasks.findOne({ where: { caseId, elementId: 'handle', state: 'created' } }), 20_000);
      const own = await send(
        'POST',
        `/tasks/${handle.userTaskKey}/attachments`,
        form([
          { name: 'kind', value: 'photo_after' },
          { name: 'file', file: jpeg(), fileName: 'after.jpg', type: 'image/jpeg' },
        ]),
        bearer(admin),
      );
      expect(own.status, JSON.stringify(own.body)).to.equal(201);
      const foreign = (await Attachments.findOne({ where: { kind: 'photo' } }))!;
      const before = await snapshot();
      const wrong = await api.call<{ code: string; details: { errors: Array<{ field: string }> } }>('POST', `/tasks/${handle.userTaskKey}/complete`, {
        token: admin,
        body: { data: { handleOutcome: 'done', handleResult: '已处理', photosAfter: `${own.body['id'] as string}, ${foreign.id}` } },
      });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.code).to.equal('form_invalid');
      expect(wrong.body.details.errors.map((e) => e.field)).to.deep.equal(['photosAfter']);
      const missing = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, {
        token: admin,
        body: { data: { handleOutcome: 'done', handleResult: '已处理', photosBefore: '999999999' } },
      });
      expect(missing.status).to.equal(400);
      expect(await snapshot()).to.equal(before);
      const ok = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, {
        token: admin,
        body: { data: { handleOutcome: 'done', handleResult: '已处理', photosAfter: own.body['id'] as string } },
      });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    });
  });
});
