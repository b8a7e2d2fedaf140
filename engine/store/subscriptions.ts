import type { SubscriptionRow } from '../runtime/rows.js';
import type { SqlDriver } from './driver.js';

/**
 * SQL of `eng_subscription` (message and signal catch events waiting in an instance) and
 * `eng_start_subscription` (message and signal start events of the latest version of each process).
 */

export async function insertSubscription(db: SqlDriver, s: Omit<SubscriptionRow, 'created_at'> & { createdAt: number }): Promise<void> {
  await db.write(
    'INSERT INTO eng_subscription (sub_key, kind, name, correlation_key, instance_key, element_key, element_id, process_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [s.sub_key, s.kind, s.name, s.correlation_key, s.instance_key, s.element_key, s.element_id, s.process_id, s.createdAt],
  );
}

export async function selectSubscription(db: SqlDriver, key: string): Promise<SubscriptionRow | undefined> {
  return db.get<SubscriptionRow>('SELECT * FROM eng_subscription WHERE sub_key = ?', [key]);
}

export async function deleteSubscription(db: SqlDriver, key: string): Promise<void> {
  await db.write('DELETE FROM eng_subscription WHERE sub_key = ?', [key]);
}

export async function deleteSubscriptionsOf(db: SqlDriver, elementKey: string): Promise<void> {
  await db.write('DELETE FROM eng_subscription WHERE element_key = ?', [elementKey]);
}

export async function messageSubscriptions(db: SqlDriver, name: string, correlationKey: string): Promise<SubscriptionRow[]> {
  return db.all<SubscriptionRow>("SELECT * FROM eng_subscription WHERE kind = 'message' AND name = ? AND correlation_key = ? ORDER BY sub_key", [
    name,
    correlationKey,
  ]);
}

export async function signalSubscriptions(db: SqlDriver, name: string): Promise<SubscriptionRow[]> {
  return db.all<SubscriptionRow>("SELECT * FROM eng_subscription WHERE kind = 'signal' AND name = ? ORDER BY sub_key", [name]);
}

// ── start subscriptions ──

export interface StartSubscription {
  def_key: string;
  element_id: string;
  process_id: string;
  name: string;
}

export async function insertStartSubscription(
  db: SqlDriver,
  defKey: string,
  elementId: string,
  kind: 'message' | 'signal',
  name: string,
  processId: string,
): Promise<void> {
  await db.run('INSERT INTO eng_start_subscription (def_key, element_id, kind, name, process_id) VALUES (?, ?, ?, ?, ?)', [
    defKey,
    elementId,
    kind,
    name,
    processId,
  ]);
}

export async function deleteStartSubscriptions(db: SqlDriver, defKey: string): Promise<void> {
  await db.run('DELETE FROM eng_start_subscription WHERE def_key = ?', [defKey]);
}

export async function messageStartsByName(db: SqlDriver, name: string): Promise<Array<Omit<StartSubscription, 'name'>>> {
  return db.all("SELECT def_key, element_id, process_id FROM eng_start_subscription WHERE kind = 'message' AND name = ?", [name]);
}

export async function messageStartsOfProcess(db: SqlDriver, processId: string): Promise<Array<Omit<StartSubscription, 'process_id'>>> {
  return db.all("SELECT def_key, element_id, name FROM eng_start_subscription WHERE kind = 'message' AND process_id = ?", [processId]);
}

export async function signalStartsByName(db: SqlDriver, name: string): Promise<Array<Pick<StartSubscription, 'def_key' | 'element_id'>>> {
  return db.all("SELECT def_key, element_id FROM eng_start_subscription WHERE kind = 'signal' AND name = ?", [name]);
}
