/**
 * Compiles the server to plain JavaScript in dist/server/ with esbuild, one .js file per .ts file at the same
 * path (dist/server/system/main.js …), so `npm start` runs `node` without a TypeScript loader in the process.
 * This only strips types: `npm run typecheck` (tsc) is what checks them. Modules find the product's files
 * (processes/, forms/, db/demo/, dist/web/) through config/product-root.ts, so the depth of dist/server/
 * does not matter to them.
 *
 *   tsx build/build-server.ts             build
 *   tsx build/build-server.ts --if-stale  build only when a source is newer than the last build
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const serverDistDir = join(root, 'dist', 'server');
/** The folders the server process imports from (web/ and modeler-ui/ are bundled for the browser by web/build.ts). */
const SOURCE_DIRS = ['api', 'config', 'db', 'domain', 'engine', 'port', 'processes', 'system', 'workers'];
/** written when a build finished, dated when it started */
const stampFile = join(serverDistDir, '.build-stamp');

/** The server's TypeScript files: tests, benchmarks and tools stay out of the production build. */
function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function allSources(): string[] {
  return SOURCE_DIRS.flatMap((d) => sources(join(root, d)));
}

/** Is dist/server older than a source, this script, or the installed packages? */
export function isServerStale(): boolean {
  if (!existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  const inputs = [...allSources(), fileURLToPath(import.meta.url), join(root, 'package-lock.json'), join(root, 'tsconfig.json')];
  return inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

/**
 * Builds into a fresh folder and swaps it in, so a server starting meanwhile never loads half a build.
 * Returns the number of files written.
 */
export async function buildServer(): Promise<number> {
  const started = new Date();
  const entryPoints = allSources();
  const next = `${serverDistDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: next,
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.19', // package.json engines; from 20.10 node keeps import attributes (`with { type: 'json' }`), older targets drop them
    // the same semantics as tsx (also esbuild) in the tests; `linked` maps let NODE_OPTIONS=--enable-source-maps show TypeScript lines
    tsconfig: join(root, 'tsconfig.json'),
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(next, { recursive: true });
  writeFileSync(join(next, '.build-stamp'), started.toISOString());
  // dated at the start: a source saved while this build ran is newer, and the next --if-stale builds it
  const stamp = join(next, '.build-stamp');
  utimesSync(stamp, started, started);
  const old = `${serverDistDir}.old-${process.pid}`;
  try {
    if (existsSync(serverDistDir)) renameSync(serverDistDir, old);
    renameSync(next, serverDistDir);
  } catch (err) {
    // two starts built at once and the other one's build is in place: it is as new as ours, keep it
    if (!existsSync(serverDistDir)) throw err;
    rmSync(next, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return entryPoints.length;
}

/** Builds unless `ifStale` and nothing changed since the last build. */
export async function ensureServerBuilt(options: { ifStale?: boolean } = {}): Promise<number | null> {
  if (options.ifStale && !isServerStale()) return null;
  return buildServer();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  ensureServerBuilt({ ifStale: process.argv.includes('--if-stale') }).then(
    (files) => {
      if (files !== null) console.log(`server: ${files} modules in dist/server, ${Math.round(performance.now() - t0)} ms`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
