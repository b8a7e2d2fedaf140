import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { HttpError } from './errors.js';

/** Paths that answer with data, never with a page. */
const isDataPath = (path: string) => path.startsWith('/api/') || path === '/api' || path.startsWith('/open311/');

/**
 * API responses: JSON only, so the content security policy forbids everything and nothing is cached
 * (answers carry personal data).
 */
const apiHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  strictTransportSecurity: false, // only over HTTPS: see securityHeaders
});

/**
 * Pages: our own bundles only (no inline script, no CDN). Inline styles stay allowed because bpmn-js,
 * form-js and echarts set style attributes; images may come from blob:/data: (photo previews, canvas
 * exports) and from the configured map tile host.
 */
function pageHelmet(tileOrigin: string | null): RequestHandler {
  const img = ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : [])];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: img,
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: false, // only over HTTPS: see securityHeaders
  });
}

/** The origin of a tile URL template such as `https://tiles.example.cn/{z}/{x}/{y}.png`, or null. */
export function tileOrigin(tileUrl: string | undefined | null): string | null {
  if (!tileUrl) return null;
  try {
    const url = new URL(tileUrl.replace(/\{[a-z]+\}/g, '0'));
    // a rotating sub-domain (`https://{s}.tiles.cn/...`): allow the parent domain's sub-domains
    const host = /^[a-z]+:\/\/([^/]+)/i.exec(tileUrl)?.[1] ?? '';
    if (host.includes('{')) return `${url.protocol}//*.${url.host.split('.').slice(1).join('.')}`;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Browser features a page may use: the 随手拍 page locates the report (geolocation, our own origin only);
 * nothing here uses the camera API (a photo comes through a file input), the microphone, payment or USB.
 * Data answers allow nothing. https://www.w3.org/TR/permissions-policy/
 */
const PAGE_PERMISSIONS =
  'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()';
const DATA_PERMISSIONS = 'geolocation=(), camera=(), microphone=(), payment=(), usb=()';
/** HSTS is only meaningful, and only sent, over HTTPS (RFC 6797 §7.2: a UA ignores it over plain HTTP, and over HTTP it announces a promise this server may not keep). */
const HSTS = 'max-age=31536000; includeSubDomains';

/** helmet's headers: the strict policy on data paths, the page policy elsewhere; Permissions-Policy; HSTS over HTTPS only. */
export function securityHeaders(options: { mapTileUrl?: string | null } = {}): RequestHandler {
  const page = pageHelmet(tileOrigin(options.mapTileUrl));
  return (req, res, next) => {
    // req.secure: TLS here, or X-Forwarded-Proto https from a trusted proxy (app's 'trust proxy')
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    res.setHeader('Permissions-Policy', isDataPath(req.path) ? DATA_PERMISSIONS : PAGE_PERMISSIONS);
    if (!isDataPath(req.path)) return page(req, res, next);
    res.setHeader('Cache-Control', 'no-store');
    apiHelmet(req, res, next);
  };
}

/**
 * A fixed-window rate limit per client address (express-rate-limit, memory store: one process, which is
 * the one-machine deployment; several app processes each count their own). Over the limit: 429
 * `rate_limited` with `Retry-After`.
 */
export function rateLimit(options: { windowMs: number; max: number; key?: (req: Request) => string }): RequestHandler {
  return expressRateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    // IPv6 clients are counted per /56, so one host cannot dodge the limit by rotating addresses
    keyGenerator: options.key ?? ((req) => ipKeyGenerator(req.ip ?? 'unknown')),
    handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited')),
  });
}
