import type { MessageRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/**
 * SQL of `eng_message` (published messages buffered for their time to live) and
 * `eng_message_correlation` (which processes a buffered message has already correlated to: once each).
 */

/** The oldest buffered message with this name and key that the process has not taken yet. */
export async function firstBuffered(
  db: SqlDriver,
  name: string,
  correlationKey: string,
  now: number,
  processId: string,
): Promise<{ message_key: string; variables: string } | undefined> {
  return db.get<{ message_key: string; variables: string }>(
    `SELECT m.message_key, m.variables FROM eng_message m
      WHERE m.name = ? AND m.correlation_key = ? AND m.expires_at > ?
        AND NOT EXISTS (SELECT 1 FROM eng_message_correlation c WHERE c.message_key = m.message_key AND c.process_id = ?)
      ORDER BY m.message_key LIMIT 1`,
    [name, correlationKey, now, processId],
  );
}

export async function recordCorrelation(db: SqlDriver, messageKey: string, processId: string): Promise<void> {
  await db.write('INSERT INTO eng_message_correlation (message_key, process_id) VALUES (?, ?)', [messageKey, processId]);
}

export async function isBuffered(db: SqlDriver, name: string, correlationKey: string, messageId: string, now: number): Promise<boolean> {
  return Boolean(
    await db.get('SELECT 1 AS x FROM eng_message WHERE name = ? AND correlation_key = ? AND message_id = ? AND expires_at > ?', [
      name,
      correlationKey,
      messageId,
      now,
    ]),
  );
}

export async function insertMessage(db: SqlDriver, m: MessageRow): Promise<void> {
  await db.write('INSERT INTO eng_message (message_key, name, correlation_key, message_id, variables, expires_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    m.message_key,
    m.name,
    m.correlation_key,
    m.message_id,
    m.variables,
    m.expires_at,
    m.published_at,
  ]);
}

/** Committed state: messages whose time to live ended, up to 1,000. */
export async function readExpired(db: SqlDriver, now: number): Promise<string[]> {
  return (await db.read<{ message_key: string }>('SELECT message_key FROM eng_message WHERE expires_at <= ? LIMIT 1000', [now])).map((m) => m.message_key);
}

export async function deleteMessage(db: SqlDriver, key: string): Promise<void> {
  await db.write('DELETE FROM eng_message WHERE message_key = ?', [key]);
  await db.write('DELETE FROM eng_message_correlation WHERE message_key = ?', [key]);
}
