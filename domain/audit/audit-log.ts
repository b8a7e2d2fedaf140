import { sql, type Selectable } from 'kysely';
import { AUDIT_GENESIS_HASH } from '../../db/migrations/0002-audit-chain.js';
import type { AuditLogTable } from '../../db/sql/schema.js';
import { appDialect, appSql, withTransaction, type Tx } from '../../db/sql/current.js';
import { GroupCommit, type LoopBudget } from '../../engine/index.js';
import { canonicalValue } from '../shared/canonical-json.js';
import { auditHash } from './hash.js';

export { AUDIT_GENESIS_HASH };

export interface AuditInput {
  caseId: string | number | null;
  /** user name, or `worker:<job type>` for machine actions */
  actor: string;
  actorRole?: string | null;
  action: string;
  detail?: Record<string, unknown> | null;
  /** once-only key (job key, request id): a second append with it returns the first record */
  dedupKey?: string | null;
  /** when it happened; default now. Stored to the second (MySQL DATETIME has no fractions). */
  at?: Date;
}

export interface AuditEntry {
  id: string;
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  detail: Record<string, unknown> | null;
  dedupKey: string | null;
  prevHash: string;
  hash: string;
  createdAt: string;
}

/** A writer holding the chain inside one transaction; what it appends commits with the caller's other writes. */
export interface AuditChain {
  readonly transaction: Tx;
  /**
   * `dedupChecked`: the caller looked the dedup key up with `find` in this same transaction a moment
   * ago and it was not there (skips a second lookup; nothing else can have written it since).
   */
  append(input: AuditInput, options?: { dedupChecked?: boolean }): Promise<AuditEntry>;
  /**
   * Appends several records in order, with `dedupChecked` in one INSERT (and one read of their ids)
   * instead of one per record: for writers that append a batch (intake).
   */
  appendMany(inputs: AuditInput[], options?: { dedupChecked?: boolean }): Promise<AuditEntry[]>;
  /** the record written earlier with this dedup key, if any */
  find(dedupKey: string): Promise<AuditEntry | null>;
}

/** An `audit_log` row as read. */
export type AuditRow = Selectable<AuditLogTable>;

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    caseId: row.caseId,
    actor: row.actor,
    actorRole: row.actorRole ?? null,
    action: row.action,
    // JSON kept in TEXT (as the model's getter read it)
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
    dedupKey: row.dedupKey ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
    createdAt: row.createdAt.toISOString(),
  };
}

function wholeSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** A record's content as it is hashed and stored. */
function contentOf(input: AuditInput) {
  return {
    caseId: input.caseId === null || input.caseId === undefined ? null : String(input.caseId),
    actor: input.actor,
    actorRole: input.actorRole ?? null,
    action: input.action,
    // stored exactly as hashed: the canonical JSON value
    detail: input.detail ? (canonicalValue(input.detail) as Record<string, unknown>) : null,
    dedupKey: input.dedupKey ?? null,
    createdAt: wholeSecond(input.at ?? new Date()),
  };
}
type AuditContent = ReturnType<typeof contentOf>;

/** The `audit_log` row of a record: the detail stored as the JSON text of what was hashed, created_at to the second. */
function rowOf(content: AuditContent, prevHash: string, hash: string) {
  return {
    caseId: content.caseId,
    actor: content.actor,
    action: content.action,
    actorRole: content.actorRole,
    detail: content.detail === null ? null : JSON.stringify(content.detail),
    dedupKey: content.dedupKey,
    prevHash,
    hash,
    createdAt: content.createdAt,
  };
}

/** most records per multi-row INSERT: well under both databases' limits on bound values */
const ROWS_PER_INSERT = 250;

/**
 * Takes the chain head for this transaction and reads the last hash. MySQL: one locking read. SQLite:
 * a write first, so that the transaction holds the database's write lock from here on (a read first
 * takes a shared lock, which may fail to upgrade); the connection has busy_timeout set where
 * db/sql/sqlite-driver.ts opens it.
 */
async function lockHead(transaction: Tx): Promise<{ lastHash: string } | undefined> {
  const db = appSql(transaction);
  const head = db.selectFrom('audit_chain_head').select('lastHash').where('id', '=', 1);
  if (appDialect() !== 'sqlite') return head.forUpdate().executeTakeFirst();
  // a no-op write takes the write lock; writing a time here would make a chain job that appends nothing
  // (a refused request: a draft that was not there) change the database
  await db
    .updateTable('audit_chain_head')
    .set((eb) => ({ updatedAt: eb.ref('updatedAt') }))
    .where('id', '=', 1)
    .execute();
  return head.executeTakeFirst();
}

interface ChainJob {
  fn: (chain: AuditChain) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Most jobs in one group commit: enough to amortise the transaction (and its fsync) under load, few
 * enough that a job does not wait long behind the others of its group.
 */
const MAX_GROUP = 32;
/**
 * Seats of a group kept for background jobs (the job workers' changes) while they wait. Requests
 * (intake, task completion, camera events) take the rest first — the workers, in this same process,
 * would otherwise fill every group, and a report would wait behind the processing of the reports
 * before it — but the workers are never starved: they get at least this share, and every seat the
 * requests leave free. (Measured: capping background groups at this share as well made them many
 * and small, and camera ingest during a backlog slower; full groups it is.)
 */
const BACKGROUND_SEATS = 8;

const INTERACTIVE = 0;
const BACKGROUND = 1;

function nextGroup(lanes: ChainJob[][]): ChainJob[] {
  const interactive = lanes[INTERACTIVE]!;
  const background = lanes[BACKGROUND]!;
  const seats = Math.min(background.length, Math.max(BACKGROUND_SEATS, MAX_GROUP - interactive.length));
  return [...interactive.splice(0, MAX_GROUP - seats), ...background.splice(0, seats)];
}

/**
 * Runs `fn` in a transaction that holds the audit chain; what `fn` writes with `chain.transaction` and
 * appends commits together or not at all, and the promise settles only after that commit.
 *
 * Group commit: jobs that arrive while a transaction is committing wait and then share the next one,
 * each inside a savepoint of its own (a job that throws rolls back to its savepoint only; its promise
 * rejects, the others commit); requests go before background work (see BACKGROUND_SEATS). Under
 * load this turns N transactions — each a BEGIN, a chain-head read and write, a COMMIT with its
 * fsync, and on SQLite a fresh connection — into one, which is
 * what limited intake and the workers (every case change appends here). A lone job runs without a
 * savepoint, exactly as before. Should the group's transaction itself fail (the COMMIT, a lost
 * connection), every job of the group rejects: nothing of it was written, and nothing acknowledged.
 *
 * Appends are serialised across processes by locking the `audit_chain_head` row first thing (row
 * lock on MySQL, the database write lock on SQLite): whoever holds the head reads the last hash,
 * appends, and moves the head; the next writer waits and then sees the new head, so the chain stays
 * one line however many processes write. Do not call withAuditChain inside `fn`: use the chain it
 * hands you (the inner call would wait for the group the outer one is in).
 */
export function withAuditChain<T>(fn: (chain: AuditChain) => Promise<T>, options: { background?: boolean } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    chainJobs.submit({ fn, resolve: resolve as (value: unknown) => void, reject }, options.background ? BACKGROUND : INTERACTIVE);
  });
}

/**
 * Chain jobs waiting for the next group commit, oldest first, in two lanes: people's requests and
 * background work (job workers). The engine's group-commit utility starts each group on the event
 * loop's next turn, so that the jobs of every request read in this turn join it: on SQLite a transaction
 * runs through without waiting on I/O (db/sql/sqlite-driver.ts), nothing arrives while it
 * commits, and without the pause every group was a group of one — a COMMIT and its fsync per change.
 */
const chainJobs = new GroupCommit<ChainJob>({ name: 'audit', lanes: 2, take: nextGroup, commit: commitGroup });

type Outcome = { ok: true; value: unknown; caseTouched: boolean } | { ok: false; error: unknown };

async function commitGroup(all: ChainJob[], budget: LoopBudget): Promise<ChainJob[]> {
  const outcomes: Outcome[] = [];
  // the jobs left for the next group once this one has held the event loop for its budget (on SQLite a
  // group runs through without a turn of the loop: engine/loop-budget.ts)
  let rest: ChainJob[] = [];
  let group = all;
  try {
    await withTransaction(async (transaction) => {
      const locked = await lockHead(transaction);
      if (!locked) throw new Error('audit log: audit_chain_head row missing (migration 0002 not applied?)');
      const head = { prevHash: locked.lastHash, lastId: null as string | null, appended: 0 };

      for (const [i, job] of all.entries()) {
        if (i > 0 && budget.spent()) {
          group = all.slice(0, i);
          rest = all.slice(i);
          break;
        }
        const before = { ...head };
        let caseTouched = false;
        const chainIn = (tx: Tx): AuditChain => {
          const db = appSql(tx);
          const find = async (dedupKey: string): Promise<AuditEntry | null> => {
            const row = await db.selectFrom('audit_log').selectAll().where('dedupKey', '=', dedupKey).executeTakeFirst();
            return row ? toAuditEntry(row) : null;
          };
          const append = async (input: AuditInput, options?: { dedupChecked?: boolean }): Promise<AuditEntry> => {
            if (input.dedupKey && !options?.dedupChecked) {
              const existing = await find(input.dedupKey);
              if (existing) return existing;
            }
            const content = contentOf(input);
            const hash = auditHash(head.prevHash, content);
            const { insertId } = await db
              .insertInto('audit_log')
              .values(rowOf(content, head.prevHash, hash))
              .executeTakeFirstOrThrow();
            if (insertId === undefined) throw new Error('audit log: the database gave no id for the record');
            const id = String(insertId);
            const entry: AuditEntry = { id, ...content, prevHash: head.prevHash, hash, createdAt: content.createdAt.toISOString() };
            head.prevHash = hash;
            head.lastId = id;
            head.appended++;
            if (content.caseId !== null) caseTouched = true;
            return entry;
          };
          const appendMany = async (inputs: AuditInput[], options?: { dedupChecked?: boolean }): Promise<AuditEntry[]> => {
            if (inputs.length < 2 || !options?.dedupChecked) {
              const entries: AuditEntry[] = [];
              for (const input of inputs) entries.push(await append(input, options));
              return entries;
            }
            const linked: Array<{ content: AuditContent; prevHash: string; hash: string }> = [];
            let prevHash = head.prevHash;
            for (const input of inputs) {
              const content = contentOf(input);
              const hash = auditHash(prevHash, content);
              linked.push({ content, prevHash, hash });
              prevHash = hash;
            }
            for (let from = 0; from < linked.length; from += ROWS_PER_INSERT) {
              await db
                .insertInto('audit_log')
                .values(linked.slice(from, from + ROWS_PER_INSERT).map((r) => rowOf(r.content, r.prevHash, r.hash)))
                .execute();
            }
            // the ids back through the unique hash: a multi-row INSERT reports one id, and MySQL's interleaved
            // auto-increment mode does not promise consecutive ones (they do rise in row order, the chain's order)
            const ids = new Map(
              (
                await db
                  .selectFrom('audit_log')
                  .select(['id', 'hash'])
                  .where(
                    'hash',
                    'in',
                    linked.map((r) => r.hash),
                  )
                  .execute()
              ).map((r) => [r.hash, r.id]),
            );
            const entries = linked.map(({ content, prevHash: prev, hash }): AuditEntry => {
              const id = ids.get(hash);
              if (id === undefined) throw new Error(`audit log: record ${hash} not found right after its INSERT`);
              return { id, ...content, prevHash: prev, hash, createdAt: content.createdAt.toISOString() };
            });
            head.prevHash = prevHash;
            head.lastId = entries[entries.length - 1]!.id;
            head.appended += entries.length;
            if (entries.some((e) => e.caseId !== null)) caseTouched = true;
            return entries;
          };
          return { transaction: tx, find, append, appendMany };
        };
        if (all.length === 1) {
          // alone: no savepoint; a failure rolls the whole transaction back, as it always did
          outcomes.push({ ok: true, value: await job.fn(chainIn(transaction)), caseTouched });
          continue;
        }
        // a plain SAVEPOINT on the group's transaction rather than a Sequelize savepoint transaction (an
        // object, a uuid and its bookkeeping per job: two per report at intake); the job writes with the
        // group's transaction, so what it registers for after the commit runs after the real COMMIT.
        // Never released: the COMMIT releases them all (the names are unique within the group), and a
        // RELEASE was one more round trip per job while the chain is held
        const savepoint = `chain_job_${outcomes.length}`;
        await sql.raw(`SAVEPOINT ${savepoint}`).execute(appSql(transaction));
        try {
          const value = await job.fn(chainIn(transaction));
          outcomes.push({ ok: true, value, caseTouched });
        } catch (error) {
          // the job's own error first: should going back fail too (the whole transaction lost), the job
          // still hears why it failed
          outcomes.push({ ok: false, error });
          // back to the job's savepoint: the chain continues from where it was before the job
          await sql.raw(`ROLLBACK TO SAVEPOINT ${savepoint}`).execute(appSql(transaction));
          Object.assign(head, before);
        }
      }

      if (head.appended > 0) {
        await appSql(transaction)
          .updateTable('audit_chain_head')
          .set({ lastId: head.lastId, lastHash: head.prevHash, records: sql<string>`records + ${head.appended}`, updatedAt: new Date() })
          .where('id', '=', 1)
          .execute();
      }
    });
  } catch (err) {
    // the group's transaction did not commit: nothing of any job was written
    group.forEach((job, i) => {
      const outcome = outcomes[i];
      job.reject(outcome && !outcome.ok ? outcome.error : err);
    });
    return rest;
  }
  let caseTouched = false;
  group.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) {
      caseTouched ||= outcome.caseTouched;
      job.resolve(outcome.value);
    } else job.reject(outcome.error);
  });
  if (caseTouched) for (const listener of caseAuditListeners) listener();
  return rest;
}

const caseAuditListeners = new Set<() => void>();

/**
 * Called after a commit that appended a record about a case — every case change goes through the
 * chain, so this is the cheap "a case changed" signal (the dashboard's live updates). Returns the
 * unsubscribe function. Listeners must be quick and must not throw.
 */
export function onCaseAudited(listener: () => void): () => void {
  caseAuditListeners.add(listener);
  return () => void caseAuditListeners.delete(listener);
}

/** Appends one record (or returns the earlier one with the same dedup key). */
export function appendAudit(input: AuditInput): Promise<AuditEntry> {
  return withAuditChain((chain) => chain.append(input));
}

export async function findAuditByDedupKey(dedupKey: string): Promise<AuditEntry | null> {
  const row = await appSql().selectFrom('audit_log').selectAll().where('dedupKey', '=', dedupKey).executeTakeFirst();
  return row ? toAuditEntry(row) : null;
}

/** Every record of one case, oldest first: what the auditor reads beside the process history. */
export async function caseAuditTrail(caseId: string | number): Promise<AuditEntry[]> {
  const rows = await appSql().selectFrom('audit_log').selectAll().where('caseId', '=', String(caseId)).orderBy('id', 'asc').execute();
  return rows.map(toAuditEntry);
}

/** The latest record of a case with one of the given actions (e.g. the last deadline set for a stage). */
export async function lastCaseAudit(caseId: string | number, actions: string[], transaction?: Tx): Promise<AuditEntry | null> {
  if (!actions.length) return null; // `action IN ()` matches nothing (as the model's empty list did)
  const row = await appSql(transaction)
    .selectFrom('audit_log')
    .selectAll()
    .where('caseId', '=', String(caseId))
    .where('action', 'in', actions)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toAuditEntry(row) : null;
}
