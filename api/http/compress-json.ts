import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import { pickEncoding } from './accept-encoding.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Below this a JSON answer goes as it is: the compressed one would save less than a packet. */
export const JSON_COMPRESS_THRESHOLD = 1400;

/**
 * Compresses `res.json` answers above the threshold for clients that take brotli or gzip. zlib's async
 * calls run on the threadpool, so a large answer (a dashboard, a case history) never holds the event
 * loop; brotli at quality 4 is about as fast as gzip and smaller. Streams (CSV exports, the screen's
 * event stream) do not go through res.json and are left alone.
 */
export function compressJson(options: { threshold?: number } = {}): RequestHandler {
  const threshold = options.threshold ?? JSON_COMPRESS_THRESHOLD;
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      res.vary('Accept-Encoding');
      const encoding = pickEncoding(req.headers['accept-encoding'], ['br', 'gzip']);
      if (!encoding || req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 || res.getHeader('Content-Encoding')) return json(body);
      const text = JSON.stringify(body);
      if (text === undefined) return json(body);
      const raw = Buffer.from(text, 'utf8');
      if (raw.length < threshold) {
        if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
        return res.send(raw);
      }
      const compressing =
        encoding === 'br'
          ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
          : gz(raw, { level: 5 });
      compressing.then(
        (packed) => {
          if (res.headersSent || res.destroyed) return;
          if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Content-Encoding', encoding);
          res.setHeader('Content-Length', packed.length);
          res.end(packed);
        },
        () => {
          if (!res.headersSent && !res.destroyed) res.send(raw);
        },
      );
      return res;
    };
    next();
  };
}
