import { CompiledQuery, type Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type {
  CaseStatus,
  Category,
  Channel,
  Clock,
  ExtraStage,
  RoutingRule,
  InboxTaskState,
  OutboxStatus,
  Polygon,
  Role,
  UnitKind,
  WarningLight,
} from '../../db/vocabulary.js';
import { COLUMN_KINDS, type Tables } from '../../db/sql/schema.js';
import { tableWritten } from '../../db/sql/table-writes.js';

/**
 * The rows the tests set up and read back, on the application's own SQL (Kysely): a table's rows found
 * by key or by a `where` of column values, counted, created, updated and deleted. Tests write
 * `Cases.findByPk(id)` where the code under test writes its own queries; rows are plain objects with
 * the columns in camelCase and JSON kept in TEXT already parsed.
 */
type Name = keyof Tables;

/** JSON kept in TEXT columns, parsed on read and serialised on write (as the code that writes them does) */
const JSON_COLUMNS = {
  audit_log: ['detail'],
  camera_devices: ['eventTypeCodes'],
  case_events: ['detail'],
  event_types: ['extraStages', 'keywords'],
  governance_items: ['assistingUnitCodes'],
  evaluations: ['metrics'],
  grids: ['polygon'],
  inbox_tasks: ['candidateGroups'],
  open311_requests: ['attributes'],
  operation_batches: ['filter', 'plan'],
  operation_intents: ['detail'],
} as const satisfies Partial<Record<Name, readonly string[]>>;
type JsonColumn<T extends Name> = T extends keyof typeof JSON_COLUMNS ? (typeof JSON_COLUMNS)[T][number] : never;

/** what a new row holds unless the test says otherwise: the values the application writes when it makes one */
const DEFAULTS: Partial<Record<Name, Record<string, unknown>>> = {
  camera_cases: { repeatCount: 0 },
  camera_devices: { enabled: true },
  cases: { priority: 50, warningLight: 'green', escalationLevel: 0, duplicateCount: 0, reworkCount: 0, extensionCount: 0, returnCount: 0 },
  classify_examples: { channel: 'other' },
  classify_models: { active: false },
  event_types: { emergency: false, active: true },
  grids: { gridKind: '综合', active: true },
  inbox_tasks: { priority: 50, warningLight: 'green' },
  notification_outbox: { status: 'pending', attempts: 0 },
  open311_clients: { enabled: true },
  operation_batch_items: { done: 0 },
  operation_batches: { processed: 0, failed: 0, resumed: 0 },
  units: { active: true },
  users: { active: true },
};

/** the primary key of the tables whose key is not `id` */
const KEYS: Partial<Record<Name, readonly string[]>> = {
  case_instances: ['processInstanceKey'],
  calendar_days: ['date'],
  open311_requests: ['caseId'],
  operation_batch_items: ['batchId', 'position'],
  operation_intents: ['processInstanceKey'],
  process_drafts: ['processId'],
  user_grids: ['userId', 'gridId'],
};

/** A comparison other than equality in a `where`: `{ status: { [Op.ne]: 'closed' } }`. */
export const Op = {
  ne: Symbol('<>'),
  gt: Symbol('>'),
  gte: Symbol('>='),
  lt: Symbol('<'),
  lte: Symbol('<='),
  like: Symbol('like'),
  notLike: Symbol('not like'),
  in: Symbol('in'),
  notIn: Symbol('not in'),
  between: Symbol('between'),
} as const;

const OPERATORS = new Map<symbol, string>(Object.values(Op).map((s) => [s, s.description!]));

// A JSON column's value is whatever the test stored there; the tests read into it freely.
type Json = any;
/** columns whose values the schema's vocabulary names (db/vocabulary.ts), and JSON lists, typed as the domain types them */
interface Vocabulary {
  camera_devices: { eventTypeCodes: string[] };
  event_types: {
    kind: '部件' | '事件';
    category: Category;
    routingRule: RoutingRule;
    clock: Clock;
    extraStages: ExtraStage[] | null;
    keywords: string[] | null;
  };
  governance_items: { assistingUnitCodes: string[] | null };
  grids: { polygon: Polygon | null };
  cases: { status: CaseStatus; channel: Channel; warningLight: WarningLight };
  inbox_tasks: { state: InboxTaskState; warningLight: WarningLight; candidateGroups: string[] | null };
  notification_outbox: { status: OutboxStatus };
  units: { kind: UnitKind };
  users: { role: Role };
}
type Named<T extends Name, K> = T extends keyof Vocabulary ? (K extends keyof Vocabulary[T] ? Vocabulary[T][K] : never) : never;
export type Row<T extends Name> = {
  [K in keyof Selectable<Tables[T]>]: [Named<T, K>] extends [never] ? (K extends JsonColumn<T> ? Json : Selectable<Tables[T]>[K]) : Named<T, K>;
};
type Values<T extends Name> = { [K in keyof Selectable<Tables[T]>]?: unknown };
type Condition = unknown;
export type Where<T extends Name> = { [K in keyof Selectable<Tables[T]>]?: Condition };
export interface Find<T extends Name> {
  where?: Where<T>;
  /** only these columns (all when not given) */
  attributes?: ReadonlyArray<keyof Selectable<Tables[T]> & string>;
  order?: ReadonlyArray<readonly [keyof Selectable<Tables[T]> & string, 'ASC' | 'DESC' | 'asc' | 'desc']>;
  limit?: number;
  offset?: number;
}

/**
 * A statement written out, with `?` for each of `params`, on the application's database: rows come back
 * as the database names the columns (snake_case), with keys, times and flags converted as every query's.
 */
export async function query<R = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<R[]> {
  return (
    await appSql()
      .withoutPlugins()
      .executeQuery<R>(CompiledQuery.raw(text, [...params]))
  ).rows;
}

export class Table<T extends Name> {
  private readonly table: string;
  private readonly json: readonly string[];
  private readonly key: readonly string[];
  private readonly stamped: { created: boolean; updated: boolean };

  constructor(readonly name: T) {
    this.json = (JSON_COLUMNS as Partial<Record<Name, readonly string[]>>)[name] ?? [];
    this.table = name;
    this.key = KEYS[name] ?? ['id'];
    const kinds = COLUMN_KINDS[name] ?? {};
    this.stamped = { created: kinds['created_at'] === 'date', updated: kinds['updated_at'] === 'date' };
  }

  private parse(row: Record<string, unknown>): Row<T> {
    for (const column of this.json) {
      const raw = row[column];
      if (typeof raw === 'string') row[column] = JSON.parse(raw);
    }
    return row as Row<T>;
  }

  private serialise(values: Values<T>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...values };
    for (const column of this.json) {
      const v = out[column];
      if (v !== undefined && v !== null && typeof v !== 'string') out[column] = JSON.stringify(v);
    }
    return out;
  }

  // Kysely's builder types follow the table; these queries are built for any table, so they go untyped.
  private query() {
    return appSql() as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
  }

  private filter<Q>(q: Q, where: Where<T> | undefined): Q {
    let out = q as unknown as { where(column: string, op: string, value: unknown): typeof out };
    for (const [column, condition] of Object.entries(where ?? {})) {
      if (condition === undefined) throw new Error(`where ${column}: undefined (say null for NULL)`);
      if (condition === null) out = out.where(column, 'is', null);
      else if (Array.isArray(condition)) out = out.where(column, 'in', condition.length ? condition : [null]);
      else if (typeof condition === 'object' && !(condition instanceof Date)) {
        for (const op of Object.getOwnPropertySymbols(condition)) {
          const sqlOp = OPERATORS.get(op);
          if (!sqlOp) throw new Error(`where ${column}: unknown operator`);
          const value = (condition as Record<symbol, unknown>)[op];
          if (sqlOp === 'between') {
            const [from, to] = value as [unknown, unknown];
            out = out.where(column, '>=', from).where(column, '<=', to);
          } else if (value === null && (sqlOp === '<>' || sqlOp === 'not in')) out = out.where(column, 'is not', null);
          else out = out.where(column, sqlOp, value);
        }
      } else out = out.where(column, '=', condition);
    }
    return out as unknown as Q;
  }

  /** a new row as the application would write it: defaults, times, JSON as text, copied columns */
  private async prepare(values: Values<T>, now: Date): Promise<Record<string, unknown>> {
    const row: Record<string, unknown> = { ...DEFAULTS[this.name], ...this.serialise(values) };
    if (this.stamped.created && row['createdAt'] === undefined) row['createdAt'] = now;
    if (this.stamped.updated && row['updatedAt'] === undefined) row['updatedAt'] = now;
    // a task carries its case's filing time for the inbox's keyset order (as domain/inbox writes it)
    if (this.name === 'inbox_tasks' && row['caseCreatedAt'] === undefined) {
      row['caseCreatedAt'] = row['caseId'] ? ((await Cases.findByPk(row['caseId']))?.createdAt ?? null) : null;
    }
    return row;
  }

  async findAll(options: Find<T> = {}): Promise<Array<Row<T>>> {
    const from = this.query().selectFrom(this.table);
    let q = this.filter(options.attributes ? from.select([...options.attributes] as string[]) : from.selectAll(), options.where);
    for (const [column, direction] of options.order ?? []) q = q.orderBy(column, direction.toLowerCase() as 'asc' | 'desc');
    if (options.limit !== undefined) q = q.limit(options.limit);
    if (options.offset !== undefined) q = q.offset(options.offset);
    return (await q.execute()).map((row) => this.parse(row));
  }

  async findOne(options: Find<T> = {}): Promise<Row<T> | null> {
    return (await this.findAll({ ...options, limit: 1 }))[0] ?? null;
  }

  /** by primary key (for a two-column key, `[first, second]`) */
  async findByPk(key: unknown): Promise<Row<T> | null> {
    if (key === null || key === undefined) return null;
    const parts = this.key.length > 1 ? (key as unknown[]) : [key];
    const where: Record<string, unknown> = {};
    this.key.forEach((column, i) => (where[column] = parts[i]));
    return this.findOne({ where: where as Where<T> });
  }

  async count(options: { where?: Where<T> } = {}): Promise<number> {
    const q = this.filter(
      this.query()
        .selectFrom(this.table)
        .select((eb) => eb.fn.countAll<number | string>().as('n')),
      options.where,
    );
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  /** inserts one row (created/updated times now unless given) and returns it as stored */
  async create(values: Values<T>): Promise<Row<T>> {
    const [row] = await this.bulkCreate([values]);
    return row!;
  }

  async bulkCreate(rows: ReadonlyArray<Values<T>>): Promise<Array<Row<T>>> {
    const now = new Date();
    const made: Array<Row<T>> = [];
    for (const values of rows) {
      const row = await this.prepare(values, now);
      const result = await this.query().insertInto(this.table).values(row).executeTakeFirst();
      const key = this.key.length > 1 || row[this.key[0]!] !== undefined ? this.key.map((c) => row[c]) : [result.insertId?.toString()];
      made.push((await this.findByPk(this.key.length > 1 ? key : key[0]))!);
    }
    tableWritten(this.name);
    return made;
  }

  /** many rows, 250 to an INSERT, not read back: for a test that needs thousands */
  async insertMany(rows: ReadonlyArray<Values<T>>): Promise<void> {
    const now = new Date();
    const all: Array<Record<string, unknown>> = [];
    for (const values of rows) all.push(await this.prepare(values, now));
    for (let from = 0; from < all.length; from += 250) {
      await this.query()
        .insertInto(this.table)
        .values(all.slice(from, from + 250))
        .execute();
    }
    tableWritten(this.name);
  }

  /** sets `values` on the rows `where` matches (the updated time too, unless given); returns how many */
  async update(values: Values<T>, options: { where: Where<T> }): Promise<number> {
    const row = this.serialise(values);
    if (this.stamped.updated && row['updatedAt'] === undefined) row['updatedAt'] = new Date();
    const result = await this.filter(this.query().updateTable(this.table).set(row), options.where).executeTakeFirst();
    tableWritten(this.name);
    return Number(result.numUpdatedRows);
  }

  private keyOf(row: Row<T>): Where<T> {
    const where: Record<string, unknown> = {};
    for (const column of this.key) where[column] = (row as Record<string, unknown>)[column];
    return where as Where<T>;
  }

  /** sets `values` on this one row, in the database and on the object (what a model instance's `update` did) */
  async updateRow(row: Row<T>, values: Values<T>): Promise<Row<T>> {
    await this.update(values, { where: this.keyOf(row) });
    return this.reload(row);
  }

  /** reads the row again into the same object */
  async reload(row: Row<T>): Promise<Row<T>> {
    const fresh = await this.findOne({ where: this.keyOf(row) });
    if (!fresh) throw new Error(`${this.name}: the row is gone`);
    return Object.assign(row, fresh);
  }

  async destroyRow(row: Row<T>): Promise<void> {
    await this.destroy({ where: this.keyOf(row) });
  }

  async destroy(options: { where: Where<T> }): Promise<number> {
    const result = await this.filter(this.query().deleteFrom(this.table), options.where).executeTakeFirst();
    tableWritten(this.name);
    return Number(result.numDeletedRows);
  }
}

export const Attachments = new Table('attachments');
export const AuditRecords = new Table('audit_log');
export const CalendarDays = new Table('calendar_days');
export const CameraCases = new Table('camera_cases');
export const CameraDevices = new Table('camera_devices');
export const CameraEvents = new Table('camera_events');
export const CaseEvents = new Table('case_events');
export const CaseInstances = new Table('case_instances');
export const Cases = new Table('cases');
export const ClassifyExamples = new Table('classify_examples');
export const ClassifyModels = new Table('classify_models');
export const Evaluations = new Table('evaluations');
export const EventTypes = new Table('event_types');
export const FormVersions = new Table('form_versions');
export const DecisionVersions = new Table('decision_versions');
export const GovernanceItems = new Table('governance_items');
export const Grids = new Table('grids');
export const IdempotencyRecords = new Table('idempotency_keys');
export const InboxTasks = new Table('inbox_tasks');
export const Open311Clients = new Table('open311_clients');
export const Open311Requests = new Table('open311_requests');
export const OperationBatches = new Table('operation_batches');
export const OperationBatchItems = new Table('operation_batch_items');
export const OperationIntents = new Table('operation_intents');
export const OutboxMessages = new Table('notification_outbox');
export const ProcessDrafts = new Table('process_drafts');
export const ProcessVersions = new Table('process_versions');
export const Sessions = new Table('sessions');
export const Units = new Table('units');
export const UserGrids = new Table('user_grids');
export const Users = new Table('users');
