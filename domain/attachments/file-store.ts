import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Attachment bytes under `DATA_DIR/attachments/`, content-addressed: the path is made of the SHA-256
 * (`attachments/ab/abcdef….jpg`), so the same photo uploaded twice is stored once and a stored file
 * can be checked against its row. Writes go to a temporary name first and are renamed into place,
 * so a reader never sees half a file.
 */
export const sha256Hex = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

export function storagePathFor(sha256: string, ext: string): string {
  return `attachments/${sha256.slice(0, 2)}/${sha256}${ext}`;
}

/** The absolute path of a stored file; refuses a path that would leave the data directory. */
export function absolutePath(dataDir: string, storagePath: string): string {
  const root = resolve(dataDir);
  const full = resolve(root, storagePath);
  if (!full.startsWith(root + sep)) throw new Error(`storage path outside DATA_DIR: ${storagePath}`);
  return full;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Writes the bytes at their content address; returns whether this call created the file (for clean-up). */
export async function storeBytes(dataDir: string, storagePath: string, buf: Buffer): Promise<boolean> {
  const full = absolutePath(dataDir, storagePath);
  if (await exists(full)) return false;
  await mkdir(dirname(full), { recursive: true });
  const tmp = join(dirname(full), `.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, buf, { flag: 'wx' });
  await rename(tmp, full);
  return true;
}

/** Removes files this request created when its database write failed (content addresses nobody else uses yet). */
export async function removeStored(dataDir: string, storagePaths: string[]): Promise<void> {
  await Promise.all(storagePaths.map((p) => unlink(absolutePath(dataDir, p)).catch(() => undefined)));
}

export function readStored(dataDir: string, storagePath: string): Promise<Buffer> {
  return readFile(absolutePath(dataDir, storagePath));
}
