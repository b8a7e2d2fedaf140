import type { Request, RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import { HttpError } from '../http/errors.js';

/** Per-file cap (the contract's 5 MB) and per-request photo count. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 6;

/**
 * multer in memory: the bytes are checked (magic bytes, size, count) before anything touches the disk,
 * so a refused upload leaves no file behind. Limits bound the memory a request can take: at most
 * `maxFiles` × 5 MB plus a few small text fields. File names are read as UTF-8 (browsers send them so).
 */
function uploader(maxFiles: number) {
  return multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_FILE_BYTES, files: maxFiles, fields: 12, fieldSize: 16 * 1024, fieldNameSize: 64, parts: maxFiles + 12, headerPairs: 50 },
  });
}

function mapMulterError(err: unknown, fileField: string, maxFiles: number): unknown {
  const tooMany = () => new HttpError(413, 'too_many_files', undefined, { params: { max: maxFiles } });
  if (err instanceof MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new HttpError(413, 'file_too_large', undefined, { field: err.field });
      case 'LIMIT_FILE_COUNT':
        return tooMany();
      case 'LIMIT_UNEXPECTED_FILE':
        return err.field === fileField
          ? tooMany()
          : new HttpError(400, 'invalid_input', undefined, { errors: [{ path: err.field ?? '/', message: `files go in the field "${fileField}"` }] });
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
      case 'LIMIT_FIELD_VALUE':
      case 'LIMIT_FIELD_KEY':
        return new HttpError(413, 'payload_too_large', undefined, { reason: err.code });
      default:
        return new HttpError(400, 'bad_multipart', undefined, { reason: err.code });
    }
  }
  // busboy: no boundary, truncated body, malformed headers
  if (err instanceof Error && !(err instanceof HttpError)) return new HttpError(400, 'bad_multipart', undefined, { reason: err.message.slice(0, 200) });
  return err;
}

/** Parses `multipart/form-data` with up to `maxFiles` files in `field`; anything else is 415. */
export function multipartFiles(field: string, maxFiles: number): RequestHandler {
  const parse = maxFiles === 1 ? uploader(1).single(field) : uploader(maxFiles).array(field, maxFiles);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next(new HttpError(415, 'multipart_required'));
    parse(req, res, (err?: unknown) => next(err ? mapMulterError(err, field, maxFiles) : undefined));
  };
}

export const uploadedFiles = (req: Request): Express.Multer.File[] => {
  const r = req as Request & { files?: Express.Multer.File[]; file?: Express.Multer.File };
  if (Array.isArray(r.files)) return r.files;
  return r.file ? [r.file] : [];
};

const DECIMAL = /^\s*-?\d{1,3}(\.\d{1,15})?\s*$/;

/**
 * multipart text fields → the JSON body the route's schema checks: empty fields (an HTML form's blank
 * inputs) are left out, `numberFields` given as decimal strings become numbers (anything else stays a
 * string so the schema refuses it), a repeated field is refused.
 */
export function textFieldsAsBody(numberFields: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string')
        return next(new HttpError(400, 'invalid_input', undefined, { errors: [{ path: `/${k}`, message: 'a single text value expected' }] }));
      if (v === '') continue;
      body[k] = numberFields.includes(k) && DECIMAL.test(v) ? Number(v) : v;
    }
    req.body = body;
    next();
  };
}
