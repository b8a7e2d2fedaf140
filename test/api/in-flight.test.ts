import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { countInFlight } from '../../api/http/in-flight.js';
import { backgroundJobs, foregroundBusy } from '../../domain/shared/foreground-load.js';

/** Background work steps back while requests wait (domain/shared/foreground-load.ts), on a real HTTP server. */
describe("requests in flight and the job workers' share", () => {
  const holds: Array<() => void> = [];
  let url: string;
  let close: () => Promise<void>;

  before(async () => {
    const app = express();
    app.use(countInFlight());
    app.get('/slow', (_req, res) => {
      holds.push(() => res.json({ ok: true }));
    });
    app.get('/api/dashboard/stream', (_req, res) => {
      res.write('data: hello\n\n');
      holds.push(() => res.end());
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((r) => server.close(() => r()));
  });
  after(() => close());

  const waitFor = async (n: number) => {
    for (let i = 0; i < 200 && holds.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    expect(holds).to.have.length(n);
  };

  it('given four requests waiting, when asked, then background work still takes all it may', async () => {
    const pending = Array.from({ length: 4 }, () => fetch(`${url}/slow`));
    await waitFor(4);
    expect(foregroundBusy()).to.equal(false);
    expect(backgroundJobs(32)()).to.equal(32);
    holds.splice(0).forEach((h) => h());
    await Promise.all(pending);
  });

  it('given six requests waiting, when asked, then each job type takes one job at a time, and all it may once they are answered', async () => {
    const pending = Array.from({ length: 6 }, () => fetch(`${url}/slow`));
    await waitFor(6);
    expect(foregroundBusy()).to.equal(true);
    expect(backgroundJobs(32)()).to.equal(1);
    holds.splice(0).forEach((h) => h());
    await Promise.all(pending);
    expect(foregroundBusy()).to.equal(false);
    expect(backgroundJobs(32)()).to.equal(32);
  });

  it('given open dashboard streams, when counted, then they do not make the server look busy', async () => {
    const streams = await Promise.all(Array.from({ length: 6 }, () => fetch(`${url}/api/dashboard/stream`)));
    await waitFor(6);
    expect(foregroundBusy()).to.equal(false);
    holds.splice(0).forEach((h) => h());
    await Promise.all(streams.map((s) => s.text()));
  });

  it('given a client that goes away before the answer, when counted, then its request is no longer in flight', async () => {
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    const pending = controllers.map((c) => fetch(`${url}/slow`, { signal: c.signal }).catch(() => null));
    await waitFor(6);
    expect(foregroundBusy()).to.equal(true);
    controllers.forEach((c) => c.abort());
    await Promise.all(pending);
    for (let i = 0; i < 100 && foregroundBusy(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(foregroundBusy()).to.equal(false);
    holds.splice(0).forEach((h) => h());
  });
});
