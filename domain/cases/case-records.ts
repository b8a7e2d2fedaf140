import type { Selectable } from 'kysely';
import { type Category, type Clock, type ExtraStage, type RoutingRule } from '../../db/vocabulary.js';
import { type CaseStatus, type Channel, type WarningLight } from '../../db/vocabulary.js';
import { type Polygon } from '../../db/vocabulary.js';
import { type UnitKind } from '../../db/vocabulary.js';
import { appDialect, appSql, type Tx } from '../../db/sql/current.js';
import type { CasesTable, EventTypesTable, GridsTable, UnitsTable } from '../../db/sql/schema.js';

/**
 * Rows of `cases` and of the registry tables a case refers to, read through db/sql: the columns as
 * the models declared them (the status and channel unions; JSON kept in TEXT parsed).
 */
export type CaseRecord = Omit<Selectable<CasesTable>, 'status' | 'channel' | 'warningLight'> & {
  status: CaseStatus;
  channel: Channel;
  warningLight: WarningLight;
};
export type UnitRecord = Omit<Selectable<UnitsTable>, 'kind'> & { kind: UnitKind };
export type GridRecord = Omit<Selectable<GridsTable>, 'polygon'> & { polygon: Polygon | null };
export type EventTypeRecord = Omit<Selectable<EventTypesTable>, 'kind' | 'category' | 'routingRule' | 'clock' | 'extraStages' | 'keywords'> & {
  kind: '部件' | '事件';
  category: Category;
  routingRule: RoutingRule;
  clock: Clock;
  extraStages: ExtraStage[] | null;
  keywords: string[] | null;
};

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** The case with this id (inside `tx`; `lock`: FOR UPDATE on MySQL/MariaDB, SQLite's writer holds the whole database). */
export async function readCaseRecord(caseId: string, tx?: Tx | null, lock = false): Promise<CaseRecord | null> {
  const row = await appSql(tx)
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .$if(lock && appDialect() === 'mysql', (q) => q.forUpdate())
    .executeTakeFirst();
  return (row as CaseRecord | undefined) ?? null;
}

export async function readUnitRecord(id: number, tx?: Tx | null): Promise<UnitRecord | null> {
  return ((await appSql(tx).selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst()) as UnitRecord | undefined) ?? null;
}

export async function readGridRecord(id: number, tx?: Tx | null): Promise<GridRecord | null> {
  const row = await appSql(tx).selectFrom('grids').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...row, polygon: json<Polygon>(row.polygon) } : null;
}

export const eventTypeRecord = (row: Selectable<EventTypesTable>): EventTypeRecord =>
  ({ ...row, extraStages: json<ExtraStage[]>(row.extraStages), keywords: json<string[]>(row.keywords) }) as EventTypeRecord;

export async function readEventTypeRecord(where: { id: number } | { code: string }, tx?: Tx | null): Promise<EventTypeRecord | null> {
  const q = appSql(tx).selectFrom('event_types').selectAll();
  const row = await ('id' in where ? q.where('id', '=', where.id) : q.where('code', '=', where.code)).executeTakeFirst();
  return row ? eventTypeRecord(row) : null;
}
