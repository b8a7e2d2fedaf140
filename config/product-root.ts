import { existsSync, readFileSync } from 'node:fs';

/**
 * The folder the product was installed in (where package.json, processes/, forms/, db/demo/ and dist/web/ are).
 * Modules find these files from here, not from their own location: the same module runs from its source
 * (`tsx`, the tests) and compiled under dist/server/ (`npm start`), at different depths.
 */
function findProductRoot(from: URL): URL {
  for (let dir = new URL('./', from); ; dir = new URL('../', dir)) {
    const manifest = new URL('package.json', dir);
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ywtg-governance') return dir;
    if (dir.pathname === '/') throw new Error(`no package.json of ywtg-governance above ${from.pathname}`);
  }
}

/** The product's root folder as a file: URL ending in `/`. */
export const PRODUCT_ROOT: URL = findProductRoot(new URL(import.meta.url));

/** A file or folder of the product, by its path from the root (`forms/`, `db/demo/units.csv`). */
export function productPath(relative: string): URL {
  return new URL(relative, PRODUCT_ROOT);
}
