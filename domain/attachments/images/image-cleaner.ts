import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../shared/errors.js';
import type { ImageMime } from './clean-image.js';

/**
 * Runs cleanImage in one background worker thread, one job at a time (the machine has few cores; a queue
 * keeps memory at one decode). The worker starts on first use, does not keep the process alive, and is
 * started afresh if it dies (a decode that ran out of memory fails its own job and those queued behind it).
 */
interface Pending {
  resolve: (b: Buffer) => void;
  reject: (e: unknown) => void;
}
type Answer =
  { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; refusal?: { message: string; details?: Record<string, unknown> }; failure?: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

/**
 * The build runs image-worker.js. Tests and tsx run the .ts sources, and on Node 20 a worker's entry
 * does not go through the loader given with --import, so the worker registers tsx itself first.
 */
function startWorker(): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: 256 } };
  if (extname(fileURLToPath(import.meta.url)) !== '.ts') return new Worker(new URL('./image-worker.js', import.meta.url), options);
  const script = new URL('./image-worker.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(code, { ...options, eval: true });
}

function failAll(err: unknown): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function theWorker(): Worker {
  if (worker) return worker;
  const w = startWorker();
  w.unref();
  w.on('message', (a: Answer) => {
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    if (pending.size === 0) w.unref();
    if (a.ok) p.resolve(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength));
    else if (a.refusal) p.reject(new DomainError('INVALID_ARGUMENT', a.refusal.message, a.refusal.details));
    else p.reject(new Error(`image worker: ${a.failure}`));
  });
  const gone = (err: unknown) => {
    if (worker === w) worker = null;
    failAll(err instanceof Error ? err : new Error(`image worker exited (${String(err)})`));
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`image worker exited with code ${code}`)));
  worker = w;
  return w;
}

/** The image without metadata, decoded in full off the main thread; refusals come back as the DomainError the decoder threw. */
export function cleanImageOffThread(mimeType: ImageMime, bytes: Buffer): Promise<Buffer> {
  const w = theWorker();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref(); // keep the process up while a request waits for its answer
    w.postMessage({ id, mimeType, bytes });
  });
}
