import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboxMessages } from '../../test/support/tables.js';
import { freshDatabase } from '../../test/support/database.js';
import { memoryLog } from '../shared/log.js';
import { HttpWebhookSender, LogSender, backoffMs, deliverPending, enqueueNotification, type NotificationSender } from './index.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;
const T0 = new Date('2026-03-02T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const request = (dedupKey: string, channel = 'sms') => ({
  dedupKey,
  kind: 'reporter-accepted',
  channel,
  recipient: '13800000001',
  caseId: null,
  subject: '已受理',
  body: '您反映的问题已受理',
});

/** A sender that fails the first `failures` times, then delivers. */
function flakySender(failures: number): NotificationSender & { calls: number } {
  return {
    name: 'flaky',
    calls: 0,
    async send() {
      this.calls++;
      if (this.calls <= failures) throw new Error(`gateway down (${this.calls})`);
    },
  };
}

describe('notification outbox (domain/outbox)', () => {
  let db: Db;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());
  beforeEach(() => OutboxMessages.destroy({ where: {} }));

  it('given a job that queues the same message twice, when enqueued, then there is one message', async () => {
    const first = await enqueueNotification(request('job:case-notify-reporter:1'), { now: T0 });
    const second = await enqueueNotification(request('job:case-notify-reporter:1'), { now: T0 });
    expect(first.created).to.equal(true);
    expect(second.created).to.equal(false);
    expect(second.message.id).to.equal(first.message.id);
    expect(await OutboxMessages.count()).to.equal(1);
  });

  it('given pending messages, when delivered through the log sender, then each is sent once and logged', async () => {
    await enqueueNotification(request('a'), { now: T0 });
    await enqueueNotification(request('b', 'app'), { now: T0 });
    const log = memoryLog();
    const summary = await deliverPending({ '*': new LogSender(log) }, T0);
    expect(summary).to.deep.equal({ sent: 2, retrying: 0, failed: 0 });
    expect(log.lines.map((l) => l.msg)).to.have.length(2);
    expect(await deliverPending({ '*': new LogSender(log) }, at(60_000))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });
    const sent = await OutboxMessages.findAll();
    expect(sent.every((m) => m.status === 'sent' && m.attempts === 1 && m.sentAt?.getTime() === T0.getTime())).to.equal(true);
  });

  it('given a sender that fails twice, when delivery runs on, then it backs off 30 s then 60 s and succeeds on the third attempt', async () => {
    await enqueueNotification(request('c'), { now: T0 });
    const sender = flakySender(2);
    expect(await deliverPending({ sms: sender }, T0)).to.deep.include({ retrying: 1 });
    let m = (await OutboxMessages.findOne())!;
    expect(m.attempts).to.equal(1);
    expect(m.lastError).to.contain('gateway down');
    expect(m.nextAttemptAt.getTime()).to.equal(at(30_000).getTime());
    expect(await deliverPending({ sms: sender }, at(29_000))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 }); // not due yet
    await deliverPending({ sms: sender }, at(30_000));
    m = (await OutboxMessages.findOne())!;
    expect(m.nextAttemptAt.getTime()).to.equal(at(30_000 + 60_000).getTime());
    expect(await deliverPending({ sms: sender }, at(90_000))).to.deep.include({ sent: 1 });
    m = (await OutboxMessages.findOne())!;
    expect([m.status, m.attempts, m.lastError]).to.deep.equal(['sent', 3, null]);
  });

  it('given a sender that never works, when the attempts run out, then the message is failed and left alone', async () => {
    await enqueueNotification(request('d'), { now: T0 });
    const sender = flakySender(100);
    let now = T0;
    for (let i = 0; i < 3; i++) {
      await deliverPending({ sms: sender }, now, { maxAttempts: 3, baseBackoffMs: 1000 });
      now = at(3_600_000 * (i + 1));
    }
    const m = (await OutboxMessages.findOne())!;
    expect([m.status, m.attempts]).to.deep.equal(['failed', 3]);
    expect(await deliverPending({ sms: sender }, at(10 * 3_600_000))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });
    expect(backoffMs(1)).to.equal(30_000);
    expect(backoffMs(20)).to.equal(3_600_000);
  });

  it('given a channel without a sender, when delivered, then it is retried rather than lost', async () => {
    await enqueueNotification(request('e', 'wechat'), { now: T0 });
    expect(await deliverPending({ sms: new LogSender(memoryLog()) }, T0)).to.deep.include({ retrying: 1 });
    expect((await OutboxMessages.findOne())!.lastError).to.contain('no sender for channel wechat');
  });

  it('given two dispatchers running at once, when both look at the same message, then it is sent once', async () => {
    await enqueueNotification(request('f'), { now: T0 });
    const sender = flakySender(0);
    const slow: NotificationSender = {
      name: 'slow',
      send: async (m) => {
        await new Promise((r) => setTimeout(r, 50));
        await sender.send(m);
      },
    };
    await Promise.all([deliverPending({ sms: slow }, T0), deliverPending({ sms: slow }, T0)]);
    expect(sender.calls).to.equal(1);
  });

  describe('HttpWebhookSender against a real local server', () => {
    let server: Server;
    let url: string;
    const received: Array<{ headers: IncomingMessage['headers']; body: unknown }> = [];
    let answer = 200;

    before(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => {
          body += String(d);
        });
        req.on('end', () => {
          received.push({ headers: req.headers, body: JSON.parse(body) });
          res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'gateway busy');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('given a webhook channel, when delivered, then the gateway receives the message as JSON with an idempotency key', async () => {
      received.length = 0;
      answer = 200;
      await enqueueNotification({ ...request('g', 'webhook'), body: '案卷 ZY-1 已派遣至西平街道' }, { now: T0 });
      const summary = await deliverPending({ webhook: new HttpWebhookSender({ url, headers: { authorization: 'Bearer t' } }) }, T0);
      expect(summary.sent).to.equal(1);
      expect(received).to.have.length(1);
      expect(received[0]!.headers['idempotency-key']).to.equal('g');
      expect(received[0]!.headers['authorization']).to.equal('Bearer t');
      expect(received[0]!.body).to.deep.include({ channel: 'webhook', recipient: '13800000001', body: '案卷 ZY-1 已派遣至西平街道', attempt: 1 });
    });

    it('given the gateway answers 503, when delivered, then the status and text are kept and it is retried', async () => {
      answer = 503;
      await enqueueNotification(request('h', 'webhook'), { now: T0 });
      expect(await deliverPending({ webhook: new HttpWebhookSender({ url }) }, T0)).to.deep.include({ retrying: 1 });
      expect((await OutboxMessages.findOne())!.lastError).to.match(/503: gateway busy/);
    });

    it('given nobody listens, when delivered, then the network error is a retry', async () => {
      await enqueueNotification(request('i', 'webhook'), { now: T0 });
      const dead = new HttpWebhookSender({ url: 'http://127.0.0.1:9/nothing', timeoutMs: 2000 });
      expect(await deliverPending({ webhook: dead }, T0)).to.deep.include({ retrying: 1 });
    });
  });
});
