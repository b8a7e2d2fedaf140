import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Logger } from '../../config/logger.js';
import { errorHandler } from '../../api/http/errors.js';
import { sendCsv, writeCsv } from '../../api/http/streaming.js';

/** A peer that takes `bytesPerMs`-ish: every chunk is acknowledged after a pause, as a slow client's socket would. */
function slowPeer(highWaterMark: number) {
  const seen = { bytes: 0, chunks: [] as string[] };
  const out = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      seen.bytes += Buffer.byteLength(chunk);
      seen.chunks.push(chunk);
      setTimeout(done, 1);
    },
  });
  return { out, seen };
}

describe('streamed CSV with back-pressure (api/http/streaming)', () => {
  it('given a peer slower than the rows come, when a CSV is written, then the next batch is read only once the peer has room again', async () => {
    const { out, seen } = slowPeer(4_096);
    const bufferedAtRead: number[] = [];
    async function* batches() {
      for (let b = 0; b < 60; b++) {
        bufferedAtRead.push(out.writableLength);
        yield Array.from({ length: 20 }, (_, i) => [b * 20 + i, 'x'.repeat(100), { b, i }]);
      }
    }
    const written = await writeCsv(out, ['n', 'text', 'detail'], batches());
    await new Promise<void>((resolve) => out.end(resolve));
    expect(written).to.equal(1_200);
    // each batch is ~2.6 kB: without waiting for 'drain' the buffer would hold most of the 150 kB by the last read
    expect(Math.max(...bufferedAtRead)).to.be.below(4_096 + 3_000);
    const text = seen.chunks.join('');
    expect(text.startsWith('\uFEFFn,text,detail\r\n')).to.equal(true);
    expect(text.split('\r\n').filter(Boolean)).to.have.length(1_201);
    expect(text).to.contain('\r\n1199,');
  });

  it('given a peer that goes away half-way, when the CSV is written, then writing stops and the rows are no longer read', async () => {
    const { out } = slowPeer(1_024);
    let reads = 0;
    let finished = false;
    async function* batches() {
      try {
        for (;;) {
          reads++;
          if (reads === 5) out.destroy();
          yield [[reads, 'y'.repeat(500)]];
        }
      } finally {
        finished = true;
      }
    }
    const written = await writeCsv(out, ['n', 'text'], batches());
    expect(finished, 'the generator was returned').to.equal(true);
    expect(reads).to.be.at.most(6);
    expect(written).to.be.at.most(6);
  });

  describe('over HTTP, when reading fails', () => {
    const logged: string[] = [];
    const log = {
      error: (_obj: unknown, msg: string) => {
        logged.push(msg);
      },
    } as unknown as Logger;
    let base = '';
    let close: () => Promise<void>;
    before(async () => {
      const app = express();
      const failing = (after: number) =>
        async function* () {
          for (let i = 0; i < after; i++) yield [[i, 'z'.repeat(2_000)]];
          throw new Error('the database went away');
        };
      app.get('/late.csv', async (_req, res) => {
        await sendCsv(res, 'late.csv', ['n', 'text'], failing(50)());
      });
      app.get('/early.csv', async (_req, res) => {
        await sendCsv(res, 'early.csv', ['n', 'text'], failing(0)());
      });
      app.use(errorHandler(log));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    after(() => close());

    it('given the first read failing, when exported, then a normal JSON error answer comes', async () => {
      const res = await fetch(`${base}/early.csv`);
      expect(res.status).to.equal(500);
      expect(await res.json()).to.deep.include({ code: 'internal' });
    });

    it('given a read failing half-way, when exported, then the download is cut short (not a complete-looking file) and the failure is logged', async () => {
      const res = await fetch(`${base}/late.csv`);
      expect(res.status).to.equal(200);
      let caught: unknown;
      try {
        await res.text();
      } catch (err) {
        caught = err;
      }
      expect(caught, 'reading the body fails').to.be.instanceOf(Error);
      expect(logged).to.include('streamed answer failed');
    });
  });
});
