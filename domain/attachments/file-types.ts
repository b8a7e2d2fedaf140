import { extname } from 'node:path';
import { DomainError } from '../shared/errors.js';

/** What an upload may be: photos are images; documents may also be PDF. */
export type UploadClass = 'image' | 'document';

export interface SniffedType {
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  /** the file-name extensions that may carry this type */
  extensions: readonly string[];
  ext: string;
}

const JPEG: SniffedType = { mimeType: 'image/jpeg', extensions: ['.jpg', '.jpeg', '.jpe', '.jfif'], ext: '.jpg' };
const PNG: SniffedType = { mimeType: 'image/png', extensions: ['.png'], ext: '.png' };
const WEBP: SniffedType = { mimeType: 'image/webp', extensions: ['.webp'], ext: '.webp' };
const PDF: SniffedType = { mimeType: 'application/pdf', extensions: ['.pdf'], ext: '.pdf' };

/** Every extension any allowed type uses: a name ending in one of these must match the content. */
const KNOWN_EXTENSIONS = new Set([JPEG, PNG, WEBP, PDF].flatMap((t) => t.extensions));

const startsWith = (buf: Buffer, bytes: number[], offset = 0) => buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

/**
 * The type by the file's first bytes (magic numbers), never by what the client claims: JPEG `FF D8 FF`,
 * PNG's 8-byte signature, WebP `RIFF....WEBP`, PDF `%PDF-`.
 */
export function sniffFileType(buf: Buffer): SniffedType | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return WEBP;
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF;
  return null;
}

const refuse = (why: string) => new DomainError('INVALID_ARGUMENT', why, { apiCode: 'unsupported_file_type' });

/**
 * The content decides the type, and what the client says must not contradict it: a name ending in a
 * known extension of another type (a PNG renamed `.jpg`) or a declared image/PDF type that is not the
 * sniffed one is refused, so a file never reaches staff under a type it is not.
 */
export function checkFileType(buf: Buffer, originalName: string, declaredMime: string, allowed: UploadClass): SniffedType {
  const sniffed = sniffFileType(buf);
  if (!sniffed) throw refuse('content is not JPEG, PNG, WebP or PDF');
  if (sniffed === PDF && allowed !== 'document') throw refuse('PDF is not a photo');
  const ext = extname(originalName).toLowerCase();
  if (KNOWN_EXTENSIONS.has(ext) && !sniffed.extensions.includes(ext)) throw refuse(`name ends in ${ext} but the content is ${sniffed.mimeType}`);
  const declared = declaredMime.toLowerCase().split(';')[0]!.trim();
  const generic = declared === '' || declared === 'application/octet-stream';
  const alias = declared === 'image/jpg' || declared === 'image/pjpeg' ? 'image/jpeg' : declared;
  if (!generic && alias !== sniffed.mimeType) throw refuse(`declared ${declared} but the content is ${sniffed.mimeType}`);
  return sniffed;
}

/**
 * A client file name made safe to keep and show: no directories, no control characters, NFC, at most
 * 120 characters (the extension kept); an empty result becomes `file<ext>`.
 */
export function cleanFileName(originalName: string, ext: string): string {
  const base = originalName.split(/[\\/]/u).pop() ?? '';
  let name = base
    .normalize('NFC')
    // control characters have no place in a file name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/gu, '')
    .trim();
  if (name.length > 120) {
    const e = extname(name).slice(0, 10);
    name = name.slice(0, 120 - e.length) + e;
  }
  return name || `file${ext}`;
}
