/**
 * Bundles the browser pages into dist/web/ with esbuild.
 *
 * Every web/<page>/<name>.page.json (except web/shared) and modeler-ui/<name>.page.json is a page: its title
 * and its entry (`"script": "main"` → main.ts beside it). The build bundles the entry (CSS imported from
 * TypeScript becomes a stylesheet beside the bundle) and writes <name>.html from the one shell,
 * web/shared/page-shell.html (build/page-shell.ts). Output names carry a content hash, so the server can
 * cache bundles for a year and the HTML not at all. Dynamic `import()`s
 * become chunks under <page>/chunks/, and every text file gets a brotli (.br) and a gzip (.gz) copy beside it.
 *
 * Where pages land: web/home/ is the site root (/), web/<page>/ goes to /<page>/, modeler-ui/ to /modeler/.
 *
 *   tsx web/build.ts             build
 *   tsx web/build.ts --if-stale  build only when a source is newer than the last build
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { PAGE_SUFFIX, readPageSpec, renderPage } from '../build/page-shell.js';
import { precompressTree } from '../build/precompress.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = join(root, 'dist', 'web');
/** written when every page built, dated when that build started */
const stampFile = join(distDir, '.build-stamp');

export interface Page {
  /** the folder the page's sources are in */
  srcDir: string;
  /** where it goes under dist/web ('' = the site root) */
  outDir: string;
  /** the HTML files it gets, one per `<name>.page.json` */
  html: string[];
}

/** The page folders: web/<page>/ and modeler-ui/, each with at least one `<name>.page.json`. */
export function findPages(): Page[] {
  const pages: Page[] = [];
  const add = (srcDir: string, outDir: string) => {
    if (!existsSync(srcDir)) return;
    const html = readdirSync(srcDir)
      .filter((f) => f.endsWith(PAGE_SUFFIX))
      .map((f) => `${f.slice(0, -PAGE_SUFFIX.length)}.html`)
      .sort();
    if (html.length) pages.push({ srcDir, outDir, html });
  };
  const web = join(root, 'web');
  for (const name of existsSync(web) ? readdirSync(web).sort() : []) {
    if (name === 'shared' || name.startsWith('.') || !statSync(join(web, name)).isDirectory()) continue;
    add(join(web, name), name === 'home' ? '' : name);
  }
  add(join(root, 'modeler-ui'), 'modeler');
  return pages;
}

/** The page an HTML file is built from: `index.html` ← `index.page.json`. */
export const specOf = (page: Page, html: string) => join(page.srcDir, `${html.slice(0, -'.html'.length)}${PAGE_SUFFIX}`);

/** Newest modification time under a folder (node_modules and dist skipped). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Is dist/web older than any source (pages, shared code, this script, installed packages)? */
export function isStale(): boolean {
  if (!existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  const sources = [join(root, 'web'), join(root, 'modeler-ui'), join(root, 'package-lock.json')];
  return sources.some((s) => newestMtime(s) > built);
}

/**
 * form-js's editor and the properties panel each reach preact; two copies break hooks (the editor renders
 * blank). Every `preact` and `preact/*` import resolves from the project root: one copy.
 */
const onePreact: esbuild.Plugin = {
  name: 'one-preact',
  setup(build) {
    build.onResolve({ filter: /^preact(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'one-preact') return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: root, pluginData: 'one-preact' });
      return found.errors.length ? { errors: found.errors } : { path: found.path, sideEffects: found.sideEffects };
    });
  },
};

export interface BuildResult {
  pages: number;
  entries: number;
  ms: number;
  bytes: number;
  /** pages that did not build (missing entry, compile error): left out of dist/web */
  failed: { page: string; error: string }[];
}

const esbuildOptions = (outDir: string, pageDir: string): esbuild.BuildOptions => ({
  absWorkingDir: root,
  outdir: outDir,
  bundle: true,
  format: 'esm',
  // a page loads at first paint only what its entry imports statically; `import()` (a task's form-js) is a chunk
  // fetched when needed, kept in the page's own folder
  splitting: true,
  chunkNames: `${pageDir ? `${pageDir}/` : ''}chunks/[name]-[hash]`,
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked',
  entryNames: '[dir]/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  metafile: true,
  logLevel: 'silent',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: {
    '.woff': 'file',
    '.woff2': 'file',
    '.ttf': 'file',
    '.eot': 'file',
    '.png': 'file',
    '.jpg': 'file',
    '.jpeg': 'file',
    '.gif': 'file',
    '.svg': 'file',
    '.webp': 'file',
    '.bpmn': 'text',
    '.form': 'json',
  },
  plugins: [onePreact],
});

/** Bundles one page folder's entries and writes its HTML from the shell, pointing at the hashed files; returns the bytes written. */
async function buildPage(page: Page, outDir: string): Promise<{ entries: number; bytes: number }> {
  const specs = page.html.map((file) => readPageSpec(specOf(page, file), relative(root, specOf(page, file))));
  const entryPoints: { in: string; out: string }[] = [];
  for (const spec of specs) {
    const src = join(page.srcDir, `${spec.script}.ts`);
    if (!existsSync(src)) throw new Error(`${relative(root, specOf(page, spec.file))} loads ${spec.script} but ${relative(root, src)} does not exist`);
    const out = page.outDir ? `${page.outDir}/${spec.script}` : spec.script;
    if (!entryPoints.some((e) => e.out === out)) entryPoints.push({ in: src, out });
  }
  const result = entryPoints.length ? await esbuild.build({ ...esbuildOptions(outDir, page.outDir), entryPoints }) : null;
  // entry → its hashed JS and CSS, to rewrite the HTML
  const outputs = new Map<string, { js: string; css: string | null }>();
  let bytes = 0;
  for (const [out, meta] of Object.entries(result?.metafile?.outputs ?? {})) {
    bytes += meta.bytes;
    if (!meta.entryPoint) continue;
    const entry = entryPoints.find((e) => resolve(root, meta.entryPoint!) === e.in);
    if (entry) outputs.set(entry.out, { js: out, css: meta.cssBundle ?? null });
  }
  const dir = join(outDir, page.outDir);
  mkdirSync(dir, { recursive: true });
  for (const spec of specs) {
    const o = outputs.get(page.outDir ? `${page.outDir}/${spec.script}` : spec.script)!;
    writeFileSync(join(dir, spec.file), renderPage(spec, { js: baseName(o.js), css: o.css ? baseName(o.css) : null }));
  }
  return { entries: entryPoints.length, bytes };
}

/**
 * Builds every page into a fresh folder and swaps it in as dist/web, so a running server (or a build in
 * another process) never sees half of it. A page that fails is reported and left out; the others still
 * build, and the next `--if-stale` run tries again (no stamp is written).
 */
export async function buildWeb(options: { log?: (line: string) => void } = {}): Promise<BuildResult> {
  const started = Date.now();
  const pages = findPages();
  const outDir = `${distDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(outDir, { recursive: true });
  const failed: BuildResult['failed'] = [];
  let entries = 0;
  let bytes = 0;
  try {
    const results = await Promise.allSettled(pages.map((page) => buildPage(page, outDir)));
    results.forEach((r, i) => {
      const name = relative(root, pages[i]!.srcDir);
      if (r.status === 'fulfilled') {
        entries += r.value.entries;
        bytes += r.value.bytes;
      } else {
        failed.push({ page: name, error: r.reason instanceof Error ? r.reason.message : String(r.reason) });
        for (const file of pages[i]!.html) rmSync(join(outDir, pages[i]!.outDir, file), { force: true });
      }
    });
    // the site icon, which browsers ask for as /favicon.ico (the server answers that path with it)
    copyFileSync(join(root, 'web', 'shared', 'favicon.svg'), join(outDir, 'favicon.svg'));
    // .br and .gz beside every text file, so the server sends them as they are (build/precompress.ts; served by api/web/precompressed.ts)
    await precompressTree(outDir);
    if (!failed.length) {
      // dated at the start: a source saved while this build ran is newer, and the next --if-stale builds it
      const stamp = join(outDir, '.build-stamp');
      writeFileSync(stamp, new Date(started).toISOString());
      utimesSync(stamp, new Date(started), new Date(started));
    }
  } catch (err) {
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  const old = `${distDir}.old-${process.pid}-${Date.now()}`;
  if (existsSync(distDir)) renameSync(distDir, old);
  renameSync(outDir, distDir);
  rmSync(old, { recursive: true, force: true });
  const built = { pages: pages.length - failed.length, entries, ms: Date.now() - started, bytes, failed };
  options.log?.(`web: ${built.pages} pages, ${entries} bundles, ${(bytes / 1024 / 1024).toFixed(1)} MB in dist/web, ${built.ms} ms`);
  for (const f of failed) options.log?.(`web: ${f.page} FAILED: ${f.error}`);
  return built;
}

/** Builds unless `ifStale` and nothing changed since the last build. */
export async function ensureWebBuilt(options: { ifStale?: boolean; log?: (line: string) => void } = {}): Promise<BuildResult | null> {
  if (options.ifStale && !isStale()) return null;
  return buildWeb(options);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  ensureWebBuilt({ ifStale, log: (line) => console.log(line) })
    .then((built) => {
      if (!built) console.log('web: dist/web is up to date');
      else if (built.failed.length) process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
