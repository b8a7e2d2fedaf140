/**
 * Real image files made in the test: small JPEG (jpeg-js), PNG (pngjs) and WebP (libwebp in WebAssembly)
 * with random pixels, so every call gives other bytes and another hash; optionally with the metadata a
 * phone writes (EXIF with GPS and a camera make, XMP, PNG text chunks), to check that the server strips it.
 */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import webp from 'webp-wasm';

/** Bytes that are in the EXIF block and must not be in a stored file: the camera make and the GPS latitude. */
export const SECRET_MAKE = 'YWTG-SECRET-PHONE';
export const GPS_LATITUDE = [25, 1, 36, 1, 1234, 100] as const; // 25° 36' 12.34"

const pixels = (width: number, height: number) => {
  const data = randomBytes(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return data;
};

/**
 * A little-endian TIFF block as a phone writes one: IFD0 with Make, Orientation and a pointer to a GPS
 * IFD holding latitude and longitude (degrees, minutes, seconds as rationals).
 */
export function exifTiff(options: { orientation?: number; gps?: boolean } = {}): Buffer {
  const make = Buffer.from(`${SECRET_MAKE}\0`, 'latin1');
  const ifd0Entries = 2 + (options.gps === false ? 0 : 1);
  const ifd0 = 8;
  const ifd0Size = 2 + ifd0Entries * 12 + 4;
  const makeAt = ifd0 + ifd0Size;
  const gpsAt = makeAt + make.length + (make.length & 1);
  const gpsSize = 2 + 4 * 12 + 4;
  const latAt = gpsAt + gpsSize;
  const lngAt = latAt + 24;
  const b = Buffer.alloc(lngAt + 24);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifd0, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number | Buffer) => {
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(count, at + 4);
    if (typeof value === 'number') {
      if (type === 3) b.writeUInt16LE(value, at + 8);
      else b.writeUInt32LE(value, at + 8);
    } else value.copy(b, at + 8);
  };
  b.writeUInt16LE(ifd0Entries, ifd0);
  entry(ifd0 + 2, 0x010f, 2, make.length, makeAt);
  entry(ifd0 + 14, 0x0112, 3, 1, options.orientation ?? 1);
  if (options.gps !== false) entry(ifd0 + 26, 0x8825, 4, 1, gpsAt);
  make.copy(b, makeAt);
  b.writeUInt16LE(4, gpsAt);
  entry(gpsAt + 2, 0x0001, 2, 2, Buffer.from('N\0', 'latin1'));
  entry(gpsAt + 14, 0x0002, 5, 3, latAt);
  entry(gpsAt + 26, 0x0003, 2, 2, Buffer.from('E\0', 'latin1'));
  entry(gpsAt + 38, 0x0004, 5, 3, lngAt);
  GPS_LATITUDE.forEach((v, i) => b.writeUInt32LE(v, latAt + i * 4));
  [103, 1, 48, 1, 5678, 100].forEach((v, i) => b.writeUInt32LE(v, lngAt + i * 4));
  return b;
}

const segment = (marker: number, body: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

/** A JPEG; with `exif`, an APP1 EXIF block (GPS, make, orientation), an XMP APP1 and a comment after the JFIF header. */
export function testJpeg(options: { width?: number; height?: number; exif?: { orientation?: number; gps?: boolean } } = {}): Buffer {
  const width = options.width ?? 32;
  const height = options.height ?? 24;
  const plain = Buffer.from(jpeg.encode({ data: pixels(width, height), width, height }, 80).data);
  if (!options.exif) return plain;
  const app0End = 4 + plain.readUInt16BE(4); // jpeg-js writes SOI, APP0 JFIF, …
  return Buffer.concat([
    plain.subarray(0, app0End),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(options.exif)])),
    segment(
      0xe1,
      Buffer.from(
        `http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>25,36.2N</exif:GPSLatitude><tiff:Make>${SECRET_MAKE}</tiff:Make></x:xmpmeta>`,
        'latin1',
      ),
    ),
    segment(0xfe, Buffer.from(`comment by ${SECRET_MAKE}`, 'latin1')),
    plain.subarray(app0End),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/** A PNG; with `metadata`, tEXt, iTXt and eXIf chunks (with GPS) before the pixels. */
export function testPng(options: { width?: number; height?: number; metadata?: { orientation?: number } } = {}): Buffer {
  const width = options.width ?? 16;
  const height = options.height ?? 12;
  const png = new PNG({ width, height });
  pixels(width, height).copy(png.data);
  const plain = PNG.sync.write(png);
  if (!options.metadata) return plain;
  const ihdrEnd = 8 + 12 + 13;
  return Buffer.concat([
    plain.subarray(0, ihdrEnd),
    pngChunk('tEXt', Buffer.from(`Author\0${SECRET_MAKE}`, 'latin1')),
    pngChunk('iTXt', Buffer.from(`Comment\0\0\0\0\0${SECRET_MAKE} 定位`, 'utf8')),
    pngChunk('eXIf', exifTiff({ orientation: options.metadata.orientation ?? 1 })),
    plain.subarray(ihdrEnd),
  ]);
}

/** A lossy WebP; with `exif`, as the extended format with an EXIF chunk (GPS) and an XMP chunk, flags set. */
export async function testWebp(options: { exif?: { orientation?: number } } = {}): Promise<Buffer> {
  const width = 24;
  const height = 16;
  const plain = await webp.encode({ data: new Uint8ClampedArray(pixels(width, height)), width, height }, { quality: 75 });
  if (!options.exif) return plain;
  // take the image chunk (VP8 after an optional VP8X) and build VP8X + VP8 + EXIF + XMP
  let pos = 12;
  let image: Buffer | null = null;
  while (pos + 8 <= plain.length) {
    const len = plain.readUInt32LE(pos + 4);
    const end = pos + 8 + len + (len & 1);
    if (plain.toString('latin1', pos, pos + 4).startsWith('VP8')) image = plain.subarray(pos, end);
    pos = end;
  }
  const riffChunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04; // EXIF and XMP present
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const body = Buffer.concat([
    riffChunk('VP8X', vp8x),
    image!,
    riffChunk('EXIF', exifTiff(options.exif)),
    riffChunk('XMP ', Buffer.from(`<x:xmpmeta>${SECRET_MAKE}</x:xmpmeta>`, 'latin1')),
  ]);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** The JPEG's segment markers in order up to the first scan (0xE1 = APP1 …), to check what was kept. */
export function jpegMarkers(buf: Buffer): number[] {
  const out: number[] = [];
  let pos = 2;
  while (pos + 4 <= buf.length && buf[pos] === 0xff) {
    const marker = buf[pos + 1]!;
    out.push(marker);
    if (marker === 0xda) break;
    pos += 2 + buf.readUInt16BE(pos + 2);
  }
  return out;
}

/** The PNG's chunk types in order. */
export function pngChunks(buf: Buffer): string[] {
  const out: string[] = [];
  for (let pos = 8; pos + 12 <= buf.length; pos += 12 + buf.readUInt32BE(pos)) out.push(buf.toString('latin1', pos + 4, pos + 8));
  return out;
}

/** The WebP's chunk types in order. */
export function webpChunks(buf: Buffer): string[] {
  const out: string[] = [];
  for (let pos = 12; pos + 8 <= buf.length;) {
    const len = buf.readUInt32LE(pos + 4);
    out.push(buf.toString('latin1', pos, pos + 4));
    pos += 8 + len + (len & 1);
  }
  return out;
}
