/**
 * `npm run bench:page-weight`: the bytes each page sends at first paint (bench/page-weight-measure.ts), as
 * brotli, gzip and uncompressed, through the real server over HTTP with the built pages (built first if
 * stale). Prints a Markdown table (the one in the README) and, as the last line, JSON {page: {br, gzip, identity}}.
 */
import { openApiWorld } from '../test/api/support/api-world.js';
import { ensureWebBuilt, findPages } from '../web/build.js';
import { pageWeight } from './page-weight-measure.js';

await ensureWebBuilt({ ifStale: true });
const api = await openApiWorld();
try {
  const origin = api.base.replace(/\/api$/, '');
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const pages = findPages().flatMap((p) => p.html.map((f) => `/${p.outDir ? `${p.outDir}/` : ''}${f === 'index.html' ? '' : f}`));
  const figures: Record<string, { br: number; gzip: number; identity: number }> = {};
  console.log('| page | brotli | gzip | uncompressed |\n|---|---:|---:|---:|');
  for (const page of pages) {
    const [br, gzip, identity] = await Promise.all([pageWeight(origin, page, 'br'), pageWeight(origin, page, 'gzip'), pageWeight(origin, page, '')]);
    figures[page] = { br: br.bytes, gzip: gzip.bytes, identity: identity.bytes };
    console.log(`| \`${page}\` | ${kb(br.bytes)} | ${kb(gzip.bytes)} | ${kb(identity.bytes)} |`);
  }
  console.log(JSON.stringify(figures));
} finally {
  await api.close();
}
