/**
 * The worker thread that decodes uploads (image-cleaner.ts starts it): a 12 MP JPEG takes seconds of pure
 * JavaScript, which must not stall the server's event loop. One message in, one answer out.
 */
import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../../shared/errors.js';
import { cleanImage, type ImageMime } from './clean-image.js';

interface Job {
  id: number;
  mimeType: ImageMime;
  bytes: Uint8Array;
}

parentPort!.on('message', (job: Job) => {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  cleanImage(job.mimeType, bytes).then(
    (out) => parentPort!.postMessage({ id: job.id, ok: true, bytes: out }),
    (err: unknown) =>
      parentPort!.postMessage(
        isDomainError(err)
          ? { id: job.id, ok: false, refusal: { message: err.message, details: err.details } }
          : { id: job.id, ok: false, failure: err instanceof Error ? err.message : String(err) },
      ),
  );
});
