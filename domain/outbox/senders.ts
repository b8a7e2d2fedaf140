import type { Log } from '../shared/log.js';

/** What a sender gets: one notification from the outbox. */
export interface OutgoingNotification {
  id: string;
  dedupKey: string;
  kind: string;
  channel: string;
  recipient: string;
  caseId: string | null;
  subject: string | null;
  body: string;
  attempt: number;
}

/**
 * Delivers notifications of one or more channels. Throwing means "not delivered, try again
 * later"; SMS and WeChat gateways are adapters behind this same interface.
 */
export interface NotificationSender {
  readonly name: string;
  send(message: OutgoingNotification): Promise<void>;
}

/** The default sender: writes the notification to the log, so a demo or a test sees every message. */
export class LogSender implements NotificationSender {
  readonly name = 'log';
  constructor(private readonly log: Log) {}

  async send(message: OutgoingNotification): Promise<void> {
    this.log.info({ notification: message }, `notify ${message.channel} ${message.recipient}: ${message.subject ?? message.kind}`);
  }
}

export interface HttpWebhookOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * POSTs the notification as JSON to a configured URL (an SMS or WeChat gateway, a chat bot).
 * Any 2xx is delivered; anything else, a network error or a timeout throws, so the dispatcher
 * retries with back-off. The outbox id goes in `Idempotency-Key` so a gateway can drop repeats.
 */
export class HttpWebhookSender implements NotificationSender {
  readonly name = 'webhook';
  constructor(private readonly options: HttpWebhookOptions) {
    new URL(options.url); // a bad URL fails at configuration, not at the first message
  }

  async send(message: OutgoingNotification): Promise<void> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': message.dedupKey, ...this.options.headers },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`webhook ${this.options.url} answered ${response.status}${text ? `: ${text}` : ''}`);
    }
    await response.arrayBuffer().catch(() => undefined); // drain so the connection is reused
  }
}
