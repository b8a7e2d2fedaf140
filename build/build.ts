/**
 * Everything `npm start` runs from: the browser pages (web/build.ts → dist/web) and the server compiled to
 * JavaScript (build/build-server.ts → dist/server). `npm install` builds both; `npm start` rebuilds what is
 * older than its sources.
 *
 *   tsx build/build.ts             build both
 *   tsx build/build.ts --if-stale  build only what a changed source needs
 */
import { ensureWebBuilt } from '../web/build.js';
import { ensureServerBuilt } from './build-server.js';

const ifStale = process.argv.includes('--if-stale');
const t0 = performance.now();
try {
  const web = await ensureWebBuilt({ ifStale, log: (line) => console.log(line) });
  if (web?.failed.length) process.exitCode = 1;
  const files = await ensureServerBuilt({ ifStale });
  if (files !== null) console.log(`server: ${files} modules in dist/server, ${Math.round(performance.now() - t0)} ms`);
} catch (err) {
  console.error(err);
  process.exit(1);
}
