import type { Selectable } from 'kysely';
import { type Category, type Clock, type ExtraStage, type RoutingRule } from '../../db/vocabulary.js';
import type { Tx } from '../../db/sql/current.js';
import { appSql } from '../../db/sql/current.js';
import type { EventTypesTable } from '../../db/sql/schema.js';
import { parseJson } from './row-changes.js';

/** An event type (小类) of the catalogue as the code uses it: its JSON columns parsed. */
export interface EventTypeRecord extends Omit<Selectable<EventTypesTable>, 'kind' | 'category' | 'routingRule' | 'clock' | 'extraStages' | 'keywords'> {
  kind: '部件' | '事件';
  category: Category;
  routingRule: RoutingRule;
  clock: Clock;
  extraStages: ExtraStage[] | null;
  keywords: string[] | null;
}

export const eventTypeRecord = (row: Selectable<EventTypesTable>): EventTypeRecord => ({
  ...(row as Omit<EventTypeRecord, 'extraStages' | 'keywords'> & { extraStages: string | null; keywords: string | null }),
  extraStages: parseJson<ExtraStage[]>(row.extraStages),
  keywords: parseJson<string[]>(row.keywords),
});

/** The event type with this code (active or not), or null. */
export async function eventTypeByCode(code: string, transaction?: Tx): Promise<EventTypeRecord | null> {
  const row = await appSql(transaction).selectFrom('event_types').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? eventTypeRecord(row) : null;
}
