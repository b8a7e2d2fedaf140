/**
 * Brotli and gzip copies of the built text files (`x.js` → `x.js.br`, `x.js.gz`), made once at build time
 * at high levels, so the server sends bytes from disk instead of compressing each request.
 * (brotli's level 9 for the few files over 256 KB). A copy that would not be smaller is not written (the
 * server then sends the file as it is).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** What is worth compressing: text (source maps are left: only developer tools fetch them). Images other than SVG and fonts are compressed already. */
export const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|bpmn|xml)$/;
/** Below this a compressed copy saves less than a packet. */
export const MIN_BYTES = 512;
/**
 * Brotli's best level (11) costs about a second per 100 KB here — 19 s for the 3 MB modeler bundle, where
 * level 9 takes 1 s for a copy 10 % larger. Above this size level 9 keeps the build quick.
 */
export const BEST_LEVEL_UP_TO = 256 * 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Writes the .br and .gz copies of every compressible file under `dir` (zlib runs off the main thread). */
export async function precompressTree(dir: string): Promise<{ files: number }> {
  const files = filesUnder(dir).filter((f) => COMPRESSIBLE.test(f) && statSync(f).size >= MIN_BYTES);
  let written = 0;
  // a few at a time: the threadpool has four workers and the modeler bundle alone takes seconds at level 11
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const raw = readFileSync(f);
      const [br, gzipped] = await Promise.all([
        brotli(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: raw.length <= BEST_LEVEL_UP_TO ? constants.BROTLI_MAX_QUALITY : 9,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gz(raw, { level: 9 }),
      ]);
      if (br.length < raw.length) writeFileSync(`${f}.br`, br);
      if (gzipped.length < raw.length) writeFileSync(`${f}.gz`, gzipped);
      written++;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { files: written };
}
