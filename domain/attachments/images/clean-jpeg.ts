import jpeg from 'jpeg-js';
import { orientationOnlyTiff, readOrientation } from './exif-orientation.js';
import { requirePixelBudget, undecodable } from './image-refusal.js';

/**
 * A JPEG made safe to keep: its segments are walked to the end-of-image marker (a file without one is
 * truncated), metadata segments are dropped — APP1 (EXIF with GPS, XMP), APP3–APP13, APP15, comments,
 * a JFXX thumbnail and anything after EOI — while what the picture needs stays byte for byte (JFIF,
 * ICC profile, Adobe colour transform, tables, frames, scans). A non-trivial EXIF Orientation comes back
 * as an APP1 holding only that tag. The result is then decoded in full; failing that, the file is refused.
 */
export function cleanJpeg(input: Buffer): Buffer {
  const bad = (why: string) => undecodable('JPEG', why);
  if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8) throw bad('no start-of-image marker');
  const kept: Buffer[] = [input.subarray(0, 2)];
  let orientation: number | null = null;
  let size: { width: number; height: number } | null = null;
  let pos = 2;
  let ended = false;
  while (!ended) {
    if (pos >= input.length) throw bad('truncated: no end-of-image marker');
    if (input[pos] !== 0xff) throw bad(`expected a marker at byte ${pos}`);
    let m = pos + 1;
    while (m < input.length && input[m] === 0xff) m++; // fill bytes
    if (m >= input.length) throw bad('truncated: no end-of-image marker');
    const marker = input[m]!;
    const start = m - 1;
    if (marker === 0xd9) {
      kept.push(input.subarray(start, m + 1));
      ended = true;
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(input.subarray(start, m + 1));
      pos = m + 1;
      continue;
    }
    if (marker === 0x00 || marker === 0xd8) throw bad(`unexpected marker 0x${marker.toString(16)}`);
    if (m + 3 > input.length) throw bad('truncated segment header');
    const len = input.readUInt16BE(m + 1);
    const end = m + 1 + len;
    if (len < 2 || end > input.length) throw bad('truncated segment');
    const payload = input.subarray(m + 3, end);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (payload.length < 6) throw bad('short frame header');
      size = { height: payload.readUInt16BE(1), width: payload.readUInt16BE(3) };
      requirePixelBudget(size.width, size.height);
    }
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      if (marker === 0xe1 && payload.subarray(0, 6).toString('latin1') === 'Exif\0\0') orientation ??= readOrientation(payload.subarray(6));
      if (keepsAppSegment(marker, payload)) kept.push(input.subarray(start, end));
      pos = end;
      continue;
    }
    kept.push(input.subarray(start, end));
    pos = end;
    if (marker === 0xda) {
      // entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker
      let p = pos;
      while (p + 1 < input.length && !(input[p] === 0xff && input[p + 1] !== 0x00 && !(input[p + 1]! >= 0xd0 && input[p + 1]! <= 0xd7))) p++;
      if (p + 1 >= input.length) throw bad('truncated: scan data runs to the end of the file');
      kept.push(input.subarray(pos, p));
      pos = p;
    }
  }
  if (!size) throw bad('no frame header');
  if (orientation !== null && orientation !== 1) kept.splice(firstAfterJfif(kept), 0, exifSegment(orientation));
  const out = kept.length === 0 ? input : Buffer.concat(kept);
  try {
    // tolerantDecoding off: a damaged scan is an error, not grey blocks
    jpeg.decode(out, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: 25, maxMemoryUsageInMB: 640 });
  } catch (err) {
    throw bad(err instanceof Error ? err.message.slice(0, 120) : 'decode failed');
  }
  return out.equals(input) ? input : out;
}

/** APP0 JFIF (not a JFXX thumbnail), APP2 ICC profile and APP14 Adobe stay: they say how to show the pixels. */
function keepsAppSegment(marker: number, payload: Buffer): boolean {
  const id = (n: number) => payload.subarray(0, n).toString('latin1');
  if (marker === 0xe0) return id(5) === 'JFIF\0';
  if (marker === 0xe2) return id(12) === 'ICC_PROFILE\0';
  if (marker === 0xee) return id(5) === 'Adobe';
  return false;
}

/** Where the orientation APP1 goes: after SOI and a JFIF APP0 if there is one (JFIF must come first). */
function firstAfterJfif(kept: Buffer[]): number {
  return kept[1] && kept[1][1] === 0xe0 ? 2 : 1;
}

function exifSegment(orientation: number): Buffer {
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), orientationOnlyTiff(orientation)]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}
