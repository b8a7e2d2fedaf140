import type { AppConfig } from '../config/schema.js';
import { deliverPending, type SenderMap } from '../domain/outbox/dispatcher.js';
import { HttpWebhookSender, LogSender } from '../domain/outbox/senders.js';
import type { Log } from '../domain/shared/log.js';

/** The senders per channel: the configured webhook for SMS and WeChat, the log otherwise. */
export function notificationSenders(config: Pick<AppConfig, 'NOTIFY_WEBHOOK_URL'>, log: Log): SenderMap {
  const logSender = new LogSender(log);
  const external = config.NOTIFY_WEBHOOK_URL ? new HttpWebhookSender({ url: config.NOTIFY_WEBHOOK_URL }) : logSender;
  return { sms: external, wechat: external, app: logSender, log: logSender };
}

/** Drains the notification outbox every few seconds; returns the stopper. */
export function startOutboxDelivery(senders: SenderMap, log: Log, everyMs = 3000): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = deliverPending(senders, new Date(), { log })
      .catch((err: unknown) => log.error({ err }, 'notification delivery failed'))
      .finally(() => (running = null));
  }, everyMs);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    if (running) await running;
  };
}
