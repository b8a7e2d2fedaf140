import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler, type Response } from 'express';
import { productPath } from '../../config/product-root.js';
import { precompressedFiles } from './precompressed.js';

/** Where web/build.ts puts the bundled pages. */
export const DIST_WEB = fileURLToPath(productPath('dist/web/'));

/** Bundles and assets carry an esbuild content hash in their name (`main-35Y3U62J.js`): they never change. */
const HASHED = /-[A-Z0-9]{8}\.(js|css|map|woff2?|ttf|eot|png|jpe?g|gif|svg|webp)$/;

/** Paths that belong to the APIs: their errors stay JSON. */
const API_PATH = /^\/(api|open311)(\/|$)/;

/** The page CSP comes from api/http/security.ts (it knows the map tile host); caching is decided here. */
function cacheHeaders(res: Response, path: string): void {
  res.setHeader('Cache-Control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves dist/web (built by web/build.ts): `/` is the home page, `/tasks/` a page folder's index.html
 * (`/tasks` redirects there), bundles cached for a year, HTML revalidated every time, text files as their
 * precompressed brotli / gzip copy when the client takes one (precompressed.ts). An unknown page is a
 * small HTML 404; API paths are left to the API's JSON errors.
 */
export function staticRoutes(options: { root?: string } = {}): Router {
  const root = options.root ?? DIST_WEB;
  const r = Router();
  const files = express.static(root, {
    index: 'index.html',
    redirect: true,
    dotfiles: 'ignore',
    etag: true,
    lastModified: true,
    setHeaders: (res, path) => cacheHeaders(res, path),
  });
  // the build's .br / .gz copies first, for clients that take them; the file as it is otherwise
  const compressed = precompressedFiles(root, cacheHeaders);
  const pagesOnly: RequestHandler = (req, res, next) => {
    if (API_PATH.test(req.path)) return next();
    return compressed(req, res, () => files(req, res, next));
  };
  // browsers ask for /favicon.ico whatever the page says; the icon is an SVG
  r.get('/favicon.ico', (_req, res, next) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').sendFile('favicon.svg', { root }, (err) => {
      if (err) next();
    });
  });
  r.use(pagesOnly);
  r.use((req, res, next) => {
    if (API_PATH.test(req.path) || (req.method !== 'GET' && req.method !== 'HEAD') || !req.accepts('html')) return next();
    res.status(404);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(notFoundPage(existsSync(root)));
  });
  return r;
}

function notFoundPage(built: boolean): string {
  const hint = built ? '' : '<p>网页尚未构建：请运行 <code>npm run build:web</code>。<br>The pages are not built yet: run <code>npm run build:web</code>.</p>';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>页面不存在 · Not found</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem;color:#1f2328}</style>
</head><body><h1>页面不存在</h1><p>The page does not exist.</p>${hint}<p><a href="/">返回首页 · Home</a></p></body></html>`;
}
