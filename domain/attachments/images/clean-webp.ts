import webp from 'webp-wasm';
import { orientationOnlyTiff, readOrientation } from './exif-orientation.js';
import { requirePixelBudget, undecodable } from './image-refusal.js';

/** Chunks a still or animated WebP needs; EXIF, XMP and unknown chunks are dropped. */
const KEPT = new Set(['VP8X', 'ICCP', 'ANIM', 'ANMF', 'ALPH', 'VP8 ', 'VP8L']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/**
 * A WebP made safe to keep: the RIFF chunks are walked to the declared end (bytes after it dropped), EXIF
 * and XMP chunks are removed and their VP8X flags cleared, a non-trivial orientation comes back as an
 * EXIF chunk with only that tag, the canvas size is checked, and the result is decoded in full by libwebp
 * (WebAssembly, shipped in the package).
 */
export async function cleanWebp(input: Buffer): Promise<Buffer> {
  const bad = (why: string) => undecodable('WebP', why);
  if (input.length < 20 || input.toString('latin1', 0, 4) !== 'RIFF' || input.toString('latin1', 8, 12) !== 'WEBP') throw bad('no RIFF/WEBP header');
  const riffEnd = 8 + input.readUInt32LE(4);
  if (riffEnd > input.length) throw bad('truncated: shorter than its RIFF size');
  const kept: Buffer[] = [];
  let orientation: number | null = null;
  let vp8x: Buffer | null = null;
  let size: { width: number; height: number } | null = null;
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw bad('truncated chunk header');
    const type = input.toString('latin1', pos, pos + 4);
    const len = input.readUInt32LE(pos + 4);
    const end = pos + 8 + len + (len & 1);
    if (pos + 8 + len > riffEnd) throw bad(`truncated ${type} chunk`);
    const data = input.subarray(pos + 8, pos + 8 + len);
    if (pos === 12)
      size =
        frameSize(type, data) ??
        (() => {
          throw bad(`malformed first chunk ${type}`);
        })();
    if (type === 'EXIF') orientation ??= readOrientation(data.subarray(data.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0));
    if (KEPT.has(type)) {
      const copy = type === 'VP8X' ? Buffer.from(input.subarray(pos, Math.min(end, riffEnd))) : input.subarray(pos, Math.min(end, riffEnd));
      if (type === 'VP8X') vp8x = copy;
      kept.push(copy);
    }
    pos = end;
  }
  if (!size) throw bad('no image chunk');
  requirePixelBudget(size.width, size.height);
  if (vp8x) vp8x[8] = vp8x[8]! & ~(VP8X_EXIF | VP8X_XMP);
  if (vp8x && orientation !== null && orientation !== 1) {
    vp8x[8] = vp8x[8]! | VP8X_EXIF;
    const tiff = orientationOnlyTiff(orientation);
    const head = Buffer.alloc(8);
    head.write('EXIF', 0, 'latin1');
    head.writeUInt32LE(tiff.length, 4);
    kept.push(head, tiff); // EXIF comes after the image data in the extended format; 26 bytes: no padding
  }
  const body = Buffer.concat(kept);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  const out = Buffer.concat([header, body]);
  let decoded: { width: number; height: number } | null;
  try {
    // its own ArrayBuffer: the module reads `buffer.buffer`, which for a pooled Buffer is the whole pool
    decoded = await webp.decode(out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer);
  } catch (err) {
    throw bad(err instanceof Error ? err.message.slice(0, 120) : 'decode failed');
  }
  if (!decoded || decoded.width <= 0) throw bad('libwebp could not decode it');
  return out.equals(input) ? input : out;
}

/** Canvas size from the first chunk: VP8X canvas, a lossy VP8 key frame or a lossless VP8L header. */
function frameSize(type: string, d: Buffer): { width: number; height: number } | null {
  if (type === 'VP8X' && d.length >= 10) return { width: 1 + d.readUIntLE(4, 3), height: 1 + d.readUIntLE(7, 3) };
  if (type === 'VP8 ' && d.length >= 10 && d[3] === 0x9d && d[4] === 0x01 && d[5] === 0x2a)
    return { width: d.readUInt16LE(6) & 0x3fff, height: d.readUInt16LE(8) & 0x3fff };
  if (type === 'VP8L' && d.length >= 5 && d[0] === 0x2f) {
    const bits = d.readUInt32LE(1);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return null;
}
