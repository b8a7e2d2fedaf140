/**
 * What a page costs on the wire at first paint: its HTML, the stylesheets and scripts the HTML names,
 * and the chunks those scripts import statically (an `import()` loaded later, such as the task form's
 * form-js, is not first paint) — each counted as the bytes the server sent for the given Accept-Encoding
 * (the body as transferred, before the client decompresses it).
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface Transfer {
  path: string;
  bytes: number;
  encoding: string | null;
}
export interface PageWeight {
  page: string;
  bytes: number;
  files: Transfer[];
}

function get(url: URL, acceptEncoding: string): Promise<{ status: number; body: Buffer; encoding: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), encoding: (res.headers['content-encoding'] as string | undefined) ?? null }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (body: Buffer, encoding: string | null) =>
  (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');

/** `<script src>` and `<link rel=stylesheet href>` of an HTML page, relative ones only (ours). */
const htmlRefs = (html: string) =>
  [...html.matchAll(/<script\b[^>]*\bsrc="(\.?\/?[^":]+)"|<link\b[^>]*\bhref="(\.?\/?[^":]+\.css)"/g)].map((m) => (m[1] ?? m[2])!);
/** Static imports of an esbuild ES module (`import{a}from"./chunks/x.js"`, `import"./x.js"`); `import("…")` is not one. */
const staticImports = (js: string) => [...js.matchAll(/(?:\bfrom|\bimport)\s*"(\.{1,2}\/[^"]+\.js)"/g)].map((m) => m[1]!);

/** The first-paint transfer of the page at `origin` + `page`, asking with `acceptEncoding` ('' = none). */
export async function pageWeight(origin: string, page: string, acceptEncoding = 'br, gzip'): Promise<PageWeight> {
  const files: Transfer[] = [];
  const seen = new Set<string>();
  const fetchOne = async (url: URL): Promise<string> => {
    seen.add(url.href);
    const res = await get(url, acceptEncoding);
    if (res.status !== 200) throw new Error(`${url.pathname}: HTTP ${res.status}`);
    files.push({ path: url.pathname, bytes: res.body.length, encoding: res.encoding });
    return decode(res.body, res.encoding);
  };
  const pageUrl = new URL(page, origin);
  const html = await fetchOne(pageUrl);
  const queue = htmlRefs(html).map((ref) => new URL(ref, pageUrl));
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url.href)) continue;
    const text = await fetchOne(url);
    if (url.pathname.endsWith('.js')) for (const ref of staticImports(text)) queue.push(new URL(ref, url));
  }
  return { page, bytes: files.reduce((n, f) => n + f.bytes, 0), files };
}
