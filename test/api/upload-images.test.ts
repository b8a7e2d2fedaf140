import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import jpegJs from 'jpeg-js';
import { PNG } from 'pngjs';
import webp from 'webp-wasm';
import { Attachments, Cases, Grids, InboxTasks, type Row } from '../support/tables.js';
import { readOrientation } from '../../domain/attachments/images/exif-orientation.js';
import { eventually } from '../processes/support/process-harness.js';
import { GPS_LATITUDE, SECRET_MAKE, jpegMarkers, pngChunks, testJpeg, testPng, testWebp, webpChunks } from '../support/test-images.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** The GPS latitude rationals as the test EXIF writes them (little-endian): they must not survive. */
const gpsBytes = Buffer.alloc(24);
GPS_LATITUDE.forEach((v, i) => gpsBytes.writeUInt32LE(v, i * 4));

type Kind = 'jpeg' | 'png' | 'webp';
const MIME: Record<Kind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The stored file decodes in full as its type (what the server promises about every kept image). */
async function decodes(kind: Kind, bytes: Buffer): Promise<{ width: number; height: number }> {
  if (kind === 'jpeg') return jpegJs.decode(bytes, { tolerantDecoding: false, useTArray: true });
  if (kind === 'png') return PNG.sync.read(bytes);
  return webp.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
}

/** The TIFF block of the JPEG's APP1 EXIF segment, or null. */
function jpegExif(buf: Buffer): Buffer | null {
  let pos = 2;
  while (pos + 4 <= buf.length && buf[pos] === 0xff && buf[pos + 1] !== 0xda) {
    const len = buf.readUInt16BE(pos + 2);
    if (buf[pos + 1] === 0xe1 && buf.toString('latin1', pos + 4, pos + 10) === 'Exif\0\0') return buf.subarray(pos + 10, pos + 2 + len);
    pos += 2 + len;
  }
  return null;
}

/** A PNG whose IHDR says 60000 × 60000 over one tiny IDAT: a decompression bomb if anyone inflated it. */
function pngBomb(): Buffer {
  const png = testPng({ width: 1, height: 1 });
  const out = Buffer.from(png);
  out.writeUInt32BE(60_000, 16);
  out.writeUInt32BE(60_000, 20);
  // fix the IHDR CRC so only the size is wrong
  const body = out.subarray(12, 29);
  out.writeUInt32BE(crc(body), 29);
  return out;
}
const crc = (b: Buffer) => crc32(b) >>> 0;

/** A JPEG whose frame header says 65000 × 65000. */
function jpegBomb(): Buffer {
  const j = Buffer.from(testJpeg());
  let pos = 2;
  while (j[pos + 1] !== 0xc0) pos += 2 + j.readUInt16BE(pos + 2);
  j.writeUInt16BE(65_000, pos + 5);
  j.writeUInt16BE(65_000, pos + 7);
  return j;
}

/** The JPEG with every segment of one marker removed. */
function withoutSegments(j: Buffer, marker: number): Buffer {
  const parts: Buffer[] = [j.subarray(0, 2)];
  let pos = 2;
  while (j[pos + 1] !== 0xda) {
    const end = pos + 2 + j.readUInt16BE(pos + 2);
    if (j[pos + 1] !== marker) parts.push(j.subarray(pos, end));
    pos = end;
  }
  parts.push(j.subarray(pos));
  return Buffer.concat(parts);
}

describe('REST API: uploaded images are decoded in full and stored without metadata (#16 item 8)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let dataDir: string;
  let grid: Row<'grids'>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ywtg-images-'));
    api = await openApiWorld({ dataDir });
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
  });
  after(async () => {
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const files = async (dir = dataDir): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => []))
      out.push(...(e.isDirectory() ? await files(join(dir, e.name)) : [join(dir, e.name)]));
    return out.sort();
  };
  const written = async () => JSON.stringify({ cases: await Cases.count(), attachments: await Attachments.count(), files: await files() });
  const report = async (file: Buffer, kind: Kind, fileName = `photo.${kind === 'jpeg' ? 'jpg' : kind}`) => {
    const fd = new FormData();
    fd.append('description', '路边有一处坑洼，请尽快修补');
    fd.append('lat', String(grid.centroidLat));
    fd.append('lng', String(grid.centroidLng));
    fd.append('photos', new Blob([file], { type: MIME[kind] }), fileName);
    const res = await fetch(`${api.base}/public/reports`, { method: 'POST', body: fd, headers: { 'Accept-Language': 'en' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stored = async (photoId: string) => {
    const row = (await Attachments.findByPk(photoId))!;
    return { row, bytes: await readFile(join(dataDir, row.storagePath)) };
  };

  const kept: Array<[string, Kind, () => Promise<Buffer>, (out: Buffer) => void]> = [
    [
      'a JPEG from a phone with EXIF GPS, camera make, XMP and a comment',
      'jpeg',
      async () => testJpeg({ exif: { orientation: 1 } }),
      (out) => {
        expect(jpegMarkers(out).filter((m) => m === 0xe1 || m === 0xfe)).to.deep.equal([]);
      },
    ],
    [
      'a JPEG turned by EXIF orientation 6, with GPS',
      'jpeg',
      async () => testJpeg({ exif: { orientation: 6 } }),
      (out) => {
        expect(jpegMarkers(out).filter((m) => m === 0xe1)).to.have.length(1);
        const tiff = jpegExif(out)!;
        expect(readOrientation(tiff)).to.equal(6);
        expect(tiff.length).to.equal(26); // the orientation tag alone
      },
    ],
    [
      'a JPEG with an HTML page appended after its end-of-image marker',
      'jpeg',
      async () => Buffer.concat([testJpeg(), Buffer.from('<html><script>alert(1)</script></html>')]),
      (out) => {
        expect(out.subarray(-2)).to.deep.equal(Buffer.from([0xff, 0xd9]));
        expect(out.includes('<html>')).to.equal(false);
      },
    ],
    [
      'a PNG with tEXt, iTXt and eXIf chunks',
      'png',
      async () => testPng({ metadata: {} }),
      (out) => {
        expect(pngChunks(out)).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
      },
    ],
    [
      'a PNG whose eXIf says orientation 8',
      'png',
      async () => testPng({ metadata: { orientation: 8 } }),
      (out) => {
        expect(pngChunks(out)).to.deep.equal(['IHDR', 'eXIf', 'IDAT', 'IEND']);
        const at = out.indexOf('eXIf') + 4;
        expect(readOrientation(out.subarray(at, at + 26))).to.equal(8);
      },
    ],
    [
      'a WebP with EXIF (GPS) and XMP chunks',
      'webp',
      async () => testWebp({ exif: {} }),
      (out) => {
        expect(webpChunks(out)).to.deep.equal(['VP8X', 'VP8 ']);
        expect(out[20]! & 0x0c).to.equal(0); // VP8X flags: no EXIF, no XMP
        expect(out.readUInt32LE(4)).to.equal(out.length - 8);
      },
    ],
  ];
  for (const [what, kind, make, check] of kept) {
    it(`given ${what}, when it is reported, then 201 and the stored file decodes as ${kind}, carries no GPS, make or text, and its row's size and hash are the stored bytes'`, async () => {
      const input = await make();
      const res = await report(input, kind);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const { row, bytes } = await stored((res.body['photoIds'] as string[])[0]!);
      expect(row.mimeType).to.equal(MIME[kind]);
      expect(row.sizeBytes).to.equal(bytes.length);
      expect(row.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
      expect(bytes.includes(SECRET_MAKE), 'camera make / text gone').to.equal(false);
      expect(bytes.includes(gpsBytes), 'GPS latitude gone').to.equal(false);
      const decoded = await decodes(kind, bytes);
      expect(decoded.width).to.be.greaterThan(0);
      check(bytes);
    });
  }

  it('given a plain JPEG without metadata, when it is reported, then it is stored byte for byte', async () => {
    const input = testJpeg();
    const res = await report(input, 'jpeg');
    expect(res.status).to.equal(201);
    expect((await stored((res.body['photoIds'] as string[])[0]!)).bytes).to.deep.equal(input);
  });

  const refused: Array<[string, Kind, () => Promise<Buffer>, number, string]> = [
    [
      'a JPEG header followed by an HTML page',
      'jpeg',
      async () => Buffer.concat([testJpeg().subarray(0, 20), Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]),
      415,
      'image_invalid',
    ],
    [
      'a JPEG cut off in the middle of its scan',
      'jpeg',
      async () => {
        const j = testJpeg();
        return j.subarray(0, j.length - 40);
      },
      415,
      'image_invalid',
    ],
    ['a JPEG whose Huffman tables are missing (scan data that cannot be decoded)', 'jpeg', async () => withoutSegments(testJpeg(), 0xc4), 415, 'image_invalid'],
    [
      'a PNG cut off before IEND',
      'png',
      async () => {
        const p = testPng();
        return p.subarray(0, p.length - 12);
      },
      415,
      'image_invalid',
    ],
    [
      'a PNG whose pixel data is corrupt (CRC fixed)',
      'png',
      async () => {
        const p = Buffer.from(testPng());
        const at = p.indexOf('IDAT');
        const len = p.readUInt32BE(at - 4);
        p.fill(0xaa, at + 4, at + 4 + len);
        p.writeUInt32BE(crc(p.subarray(at, at + 4 + len)), at + 4 + len);
        return p;
      },
      415,
      'image_invalid',
    ],
    [
      'a PNG with a chunk whose CRC is wrong',
      'png',
      async () => {
        const p = Buffer.from(testPng());
        p[p.indexOf('IDAT') + 6]! ^= 0xff;
        return p;
      },
      415,
      'image_invalid',
    ],
    [
      'a WebP cut short',
      'webp',
      async () => {
        const w = await testWebp();
        return w.subarray(0, w.length - 10);
      },
      415,
      'image_invalid',
    ],
    [
      'a RIFF/WEBP header followed by HTML',
      'webp',
      async () => {
        const html = Buffer.from('VP8 \x40\x00\x00\x00<html><script>alert(1)</script></html>xxxxxxxxxxxxxxxxxxxxxxxx', 'latin1');
        const h = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
        h.writeUInt32LE(html.length + 4, 4);
        return Buffer.concat([h, html]);
      },
      415,
      'image_invalid',
    ],
    ['a PNG that claims 60000 × 60000 pixels (a decompression bomb)', 'png', async () => pngBomb(), 413, 'image_too_many_pixels'],
    ['a JPEG that claims 65000 × 65000 pixels', 'jpeg', async () => jpegBomb(), 413, 'image_too_many_pixels'],
  ];
  for (const [what, kind, make, status, code] of refused) {
    it(`given ${what}, when it is reported, then ${status} ${code} with a message and nothing is written`, async () => {
      const input = await make();
      const before = await written();
      const res = await report(input, kind);
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body['code']).to.equal(code);
      expect(res.body['message']).to.be.a('string').and.not.equal('');
      expect(await written()).to.equal(before);
    });
  }

  it('given a decompression bomb, then the refusal names the pixel limit in Chinese by default', async () => {
    const fd = new FormData();
    fd.append('description', '测试');
    fd.append('address', '西平街道');
    fd.append('photos', new Blob([pngBomb()], { type: 'image/png' }), 'a.png');
    const res = await fetch(`${api.base}/public/reports`, { method: 'POST', body: fd });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { message: string }).message).to.contain('2500 万像素');
  });

  it('given an operator attaching a phone photo with GPS to a task, when it is stored, then the staff upload path strips it too; a forged one is 415', async () => {
    const operator = await api.login('operator');
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '热线：路灯不亮', address: '沾益区西平街道龙华路 5 号' },
    });
    const task = await eventually(
      'the accept task',
      () => InboxTasks.findOne({ where: { caseId: filed.body.id, elementId: 'accept', state: 'created' } }),
      20_000,
    );
    const attach = async (file: Buffer) => {
      const fd = new FormData();
      fd.append('kind', 'photo_before');
      fd.append('file', new Blob([file], { type: 'image/jpeg' }), '现场.jpg');
      const res = await fetch(`${api.base}/tasks/${task.userTaskKey}/attachments`, {
        method: 'POST',
        body: fd,
        headers: { Authorization: `Bearer ${operator}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const ok = await attach(testJpeg({ exif: { orientation: 3 } }));
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    const { bytes } = await stored(ok.body['id'] as string);
    expect(bytes.includes(gpsBytes)).to.equal(false);
    expect(readOrientation(jpegExif(bytes)!)).to.equal(3);
    const before = await written();
    const forged = await attach(Buffer.concat([testJpeg().subarray(0, 20), Buffer.from('<html></html>')]));
    expect(forged.status).to.equal(415);
    expect(forged.body['code']).to.equal('image_invalid');
    expect(await written()).to.equal(before);
  });

  it("given a grid worker's field report with a GPS-tagged photo, when it is filed, then the stored photo has no GPS", async () => {
    const worker = await api.login('gridworker');
    const fd = new FormData();
    for (const [k, v] of Object.entries({
      description: '人行道井盖松动',
      eventTypeCode: 'BJ-0101',
      lat: String(grid.centroidLat),
      lng: String(grid.centroidLng),
    }))
      fd.append(k, v);
    fd.append('photos', new Blob([testJpeg({ exif: {} })], { type: 'image/jpeg' }), 'a.jpg');
    const res = await fetch(`${api.base}/field-reports`, { method: 'POST', body: fd, headers: { Authorization: `Bearer ${worker}` } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).to.equal(201);
    const { bytes } = await stored((body['photoIds'] as string[])[0]!);
    expect(bytes.includes(gpsBytes)).to.equal(false);
    expect(bytes.includes(SECRET_MAKE)).to.equal(false);
  });
});
