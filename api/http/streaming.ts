import type { Writable } from 'node:stream';
import type { Response } from 'express';
import { CSV_BOM, csvRow } from '../../domain/history/csv.js';
import { TimeSlice } from '../../domain/shared/yield-to-loop.js';

/**
 * Answers written as they are read (CSV exports, the audit verification's progress): nothing holds
 * the whole answer, and a client that reads slower than the database gives rows is waited for —
 * `write` returning false means the socket's buffer is full, and the next rows are read only after
 * 'drain' — so a slow download keeps one batch in memory, not the export.
 */

/** Resolves when `out` takes more again ('drain'), or will never take more (closed, failed). */
export function drained(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
}

/** Writes one chunk, waiting out back-pressure; false once the peer is gone (stop producing). */
export async function writeChunk(out: Writable, chunk: string): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false;
  if (!out.write(chunk)) await drained(out);
  return !out.destroyed;
}

/**
 * A CSV document (BOM, header, rows; see domain/history/csv.ts) from batches of rows. Rows are
 * formatted in slices of a few ms and the loop is yielded to after every batch. Stops reading —
 * the batches' generator is returned, so its reads end too — when the peer goes away. Returns the
 * rows written.
 */
export async function writeCsv(out: Writable, header: readonly string[], batches: AsyncIterable<Iterable<readonly unknown[]>>): Promise<number> {
  let written = 0;
  if (!(await writeChunk(out, CSV_BOM + csvRow(header)))) return written;
  const slice = new TimeSlice();
  for await (const batch of batches) {
    let chunk = '';
    for (const row of batch) {
      chunk += csvRow(row);
      written++;
      if (slice.due()) {
        if (!(await writeChunk(out, chunk))) return written;
        chunk = '';
        await slice.yield();
      }
    }
    if (chunk && !(await writeChunk(out, chunk))) return written;
    await slice.yield();
  }
  return written;
}

/**
 * The first batch is read before anything is sent, so a failing read still gets a proper error answer;
 * a failure later can only cut the transfer short (the error handler closes the connection).
 */
export async function sendCsv(res: Response, filename: string, header: readonly string[], batches: AsyncIterable<Iterable<readonly unknown[]>>): Promise<void> {
  const iterator = batches[Symbol.asyncIterator]();
  const first = await iterator.next();
  const all = (async function* () {
    if (first.done) return;
    yield first.value;
    yield* { [Symbol.asyncIterator]: () => iterator };
  })();
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  await writeCsv(res, header, all);
  if (!res.destroyed) res.end();
}

/** Newline-delimited JSON, one object per line, flushed as it is written. */
export function ndjson(res: Response): { send(line: Record<string, unknown>): Promise<boolean> } {
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // proxies (nginx) buffer answers unless told: progress must reach the auditor as it happens
  res.setHeader('X-Accel-Buffering', 'no');
  return { send: (line) => writeChunk(res, `${JSON.stringify(line)}\n`) };
}
