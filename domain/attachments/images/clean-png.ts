import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { orientationOnlyTiff, readOrientation } from './exif-orientation.js';
import { requirePixelBudget, undecodable } from './image-refusal.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks that say how to draw the pixels; every other one (tEXt, zTXt, iTXt, eXIf, tIME, APNG frames, private chunks) is dropped. */
const KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'IDAT', 'IEND']);

/**
 * A PNG made safe to keep: chunks are walked with their CRCs to IEND (anything after it is dropped), text
 * and metadata chunks are removed, a non-trivial eXIf orientation comes back as an eXIf holding only that
 * tag, and the result is decoded in full. The size in IHDR is checked before any pixel is inflated.
 */
export function cleanPng(input: Buffer): Buffer {
  const bad = (why: string) => undecodable('PNG', why);
  if (input.length < SIGNATURE.length || !input.subarray(0, 8).equals(SIGNATURE)) throw bad('no PNG signature');
  const kept: Buffer[] = [input.subarray(0, 8)];
  let orientation: number | null = null;
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > input.length) throw bad('truncated: no IEND chunk');
    const len = input.readUInt32BE(pos);
    const end = pos + 12 + len;
    if (len > 0x7fffffff || end > input.length) throw bad('truncated chunk');
    const type = input.subarray(pos + 4, pos + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/u.test(type)) throw bad('malformed chunk type');
    if (crc32(input.subarray(pos + 4, pos + 8 + len)) >>> 0 !== input.readUInt32BE(pos + 8 + len)) throw bad(`CRC mismatch in ${type}`);
    const data = input.subarray(pos + 8, pos + 8 + len);
    if (first) {
      if (type !== 'IHDR' || len !== 13) throw bad('IHDR is not the first chunk');
      requirePixelBudget(data.readUInt32BE(0), data.readUInt32BE(4));
      first = false;
    }
    if (type === 'eXIf') orientation ??= readOrientation(data);
    if (type === 'IDAT' && orientation !== null && orientation !== 1 && !kept.some((c) => c.subarray(4, 8).toString('latin1') === 'eXIf')) {
      kept.push(chunk('eXIf', orientationOnlyTiff(orientation))); // eXIf must come before the first IDAT
    }
    if (KEPT.has(type)) kept.push(input.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  const out = Buffer.concat(kept);
  try {
    PNG.sync.read(out);
  } catch (err) {
    throw bad(err instanceof Error ? err.message.slice(0, 120) : 'decode failed');
  }
  return out.equals(input) ? input : out;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}
