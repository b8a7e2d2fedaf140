import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RequestHandler, Response } from 'express';
import { pickEncoding } from '../http/accept-encoding.js';

/** The copies build/precompress.ts writes beside a built file, best first. */
const VARIANTS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;
const ENCODINGS = VARIANTS.map((v) => v.encoding);

/** The types of the files that get copies (build/precompress.ts COMPRESSIBLE); the copy is sent under the original's type. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.bpmn': 'application/xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

/** Plain path segments only: anything odd (dots, escapes) is left to express.static, which refuses it properly. */
const SAFE_PATH = /^\/(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*)?$/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Sends a built file's brotli or gzip copy when the client takes that encoding (Content-Encoding, the
 * original's Content-Type, Vary: Accept-Encoding); otherwise — no copy, no acceptable encoding, a path
 * it does not handle — passes on to express.static, which sends the file as it is (with Vary too, so a
 * cache keeps the two apart). `headers` sets the caching headers of the original path.
 */
export function precompressedFiles(root: string, headers: (res: Response, path: string) => void): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !SAFE_PATH.test(req.path) || req.path.includes('..')) return next();
    const path = req.path.endsWith('/') ? `${req.path}index.html` : req.path;
    const type = TYPES[extname(path)];
    if (!type) return next();
    res.vary('Accept-Encoding');
    const encoding = pickEncoding(req.headers['accept-encoding'], ENCODINGS);
    const variant = VARIANTS.find((v) => v.encoding === encoding);
    if (!variant) return next();
    const file = join(root, path);
    void isFile(`${file}${variant.suffix}`).then((found) => {
      if (!found) return next();
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Encoding', variant.encoding);
      headers(res, path);
      res.sendFile(`${path.slice(1)}${variant.suffix}`, { root, dotfiles: 'ignore', etag: true, lastModified: true }, (err) => {
        if (err && !res.headersSent) {
          res.removeHeader('Content-Encoding');
          res.removeHeader('Content-Type');
          next();
        }
      });
    }, next);
  };
}
