/** Notification outbox: queue in the same transaction as the change, deliver later with retries. */
export { enqueueNotification, type NotificationRequest } from './enqueue.js';
export { backoffMs, deliverPending, type DeliveryOptions, type DeliverySummary, type SenderMap } from './dispatcher.js';
export { HttpWebhookSender, LogSender, type HttpWebhookOptions, type NotificationSender, type OutgoingNotification } from './senders.js';
export {
  REPORTER_EVENTS,
  escalationMessage,
  escalationRecipients,
  notificationsFor,
  reminderMessage,
  reminderRecipients,
  reporterMessage,
  reporterRecipient,
  stageName,
  type Recipient,
  type ReporterEvent,
} from './case-notifications.js';
