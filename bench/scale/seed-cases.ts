/**
 * The scale benchmark's bulk path: a year of a district's cases written straight through the database
 * driver (better-sqlite3 or mysql2), many rows per statement, with the rollup triggers off while it
 * writes and the rollups rebuilt once at the end (db/rollups: withoutRollupTriggers). Per case: the
 * `cases` row, its case history (`case_events`, about a dozen element events) and its hash-chained
 * audit records (chained in id order exactly as the audit writer chains them, so verification passes);
 * an open case also gets its open task in the inbox. Engine rows are not written: the finished cases'
 * instances would have been pruned by then, and the open ones are there to be read, not worked.
 */
import { randomBytes } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { AUDIT_GENESIS_HASH } from '../../db/migrations/0002-audit-chain.js';
import { auditHash } from '../../domain/audit/hash.js';
import { sqlDialect, type Sql } from '../../db/sql/index.js';
import { withoutRollupTriggers } from '../../db/rollups/index.js';

export interface SeedOptions {
  cases: number;
  /** the end of the seeded year */
  now: Date;
  offsetMinutes: number;
  log?: (line: string) => void;
}

/** One table writer per driver: `rows` in `columns` order, dates as Date. */
interface Sink {
  insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function sqliteSink(file: string): Promise<Sink> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a seed, not acknowledged data: rerun it if the machine dies
  const statements = new Map<string, ReturnType<typeof db.prepare<unknown[]>>>();
  // the SQLite DATE text the application writes (db/sql/values.ts), so the server reads the rows as its own
  const text = (v: unknown) =>
    v instanceof Date ? `${v.toISOString().slice(0, 10)} ${v.toISOString().slice(11, 23)} +00:00` : typeof v === 'boolean' ? Number(v) : v;
  return {
    async insert(table, columns, rows) {
      const key = `${table}:${columns.join(',')}`;
      let st = statements.get(key);
      if (!st) {
        st = db.prepare<unknown[]>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(key, st);
      }
      for (const row of rows) st.run(...row.map(text));
    },
    async transaction(fn) {
      db.exec('BEGIN');
      try {
        const out = await fn();
        db.exec('COMMIT');
        return out;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
    async close() {
      db.close();
    },
  };
}

async function mysqlSink(url: string): Promise<Sink> {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  return {
    async insert(table, columns, rows) {
      for (let i = 0; i < rows.length; i += 1000) {
        await connection.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(i, i + 1000)]);
      }
    },
    async transaction(fn) {
      await connection.query('START TRANSACTION');
      try {
        const out = await fn();
        await connection.query('COMMIT');
        return out;
      } catch (err) {
        await connection.query('ROLLBACK');
        throw err;
      }
    },
    async close() {
      await connection.end();
    },
  };
}

/** A small deterministic generator: the same N gives the same district. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

const H = 3_600_000;
const DAY = 24 * H;
/** how far back open cases reach: with about 3 % of a year open, the last ~20 days' cases are mostly still in the loop */
const OPEN_WINDOW_DAYS = 20;
const OPEN_SHARE = 0.03;
const OPEN_MIX: Array<[string, number]> = [
  ['reported', 0.05],
  ['accepted', 0.05],
  ['dispatched', 0.3],
  ['handling', 0.45],
  ['returned', 0.03],
  ['verifying', 0.12],
];
const FINISHED_MIX: Array<[string, number]> = [
  ['closed', 0.85],
  ['rejected', 0.08],
  ['merged', 0.05],
  ['shelved', 0.02],
];
const PHRASES = [
  '路边有暴露垃圾没人清理',
  '井盖破损了很危险',
  '晚上广场舞噪音太大',
  '小区门口占道经营',
  '路灯不亮好几天了',
  '下水道堵了污水冒出来',
  '有人乱贴小广告',
  '共享单车乱停放堵住人行道',
  '楼下烧烤油烟很大',
  '树枝断了挂在电线上',
];

function mix(rnd: ReturnType<typeof random>, table: Array<[string, number]>): string {
  let x = rnd.next();
  for (const [v, p] of table) if ((x -= p) < 0) return v;
  return table[table.length - 1]![0];
}

const CASE_COLUMNS = [
  'id',
  'case_no',
  'channel',
  'reporter_name',
  'reporter_phone',
  'tracking_token',
  'description',
  'event_type_id',
  'category',
  'lng',
  'lat',
  'address',
  'grid_id',
  'township_id',
  'status',
  'priority',
  'unit_id',
  'accept_due_at',
  'dispatch_due_at',
  'handle_due_at',
  'verify_due_at',
  'due_at',
  'escalation_level',
  'warning_light',
  'process_instance_key',
  'process_id',
  'merged_into_id',
  'duplicate_count',
  'rework_count',
  'extension_count',
  'return_count',
  'satisfaction',
  'accepted_at',
  'dispatched_at',
  'handled_at',
  'closed_at',
  'created_at',
  'updated_at',
] as const;
const EVENT_COLUMNS = [
  'event_key',
  'case_id',
  'process_instance_key',
  'element_instance_key',
  'element_id',
  'element_type',
  'bpmn_process_id',
  'intent',
  'at',
  'detail',
  'created_at',
] as const;
const AUDIT_COLUMNS = ['id', 'case_id', 'actor', 'actor_role', 'action', 'detail', 'dedup_key', 'prev_hash', 'hash', 'created_at'] as const;
const PATH = ['start', 'classify', 'accept', 'dispatch', 'handle', 'verify', 'end'];

/** Writes `options.cases` cases (with history, audit and open tasks) after whatever the database holds. */
export async function seedCases(db: Sql, url: string, options: SeedOptions): Promise<{ seconds: number; rows: Record<string, number> }> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const raw = db.withoutPlugins();
  const q = async <T extends object>(sql: string, params: unknown[] = []) => (await raw.executeQuery<T>(CompiledQuery.raw(sql, params))).rows;
  const departments = (await q<{ id: unknown }>("SELECT id FROM units WHERE kind = 'department' ORDER BY id")).map((u) => Number(u.id));
  const grids = (
    await q<{ id: unknown; township_id: unknown; centroid_lng: unknown; centroid_lat: unknown; name: string }>(
      'SELECT id, township_id, centroid_lng, centroid_lat, name FROM grids ORDER BY id',
    )
  ).map((g) => ({ id: Number(g.id), townshipId: Number(g.township_id), lng: Number(g.centroid_lng), lat: Number(g.centroid_lat), name: g.name }));
  const types = (await q<{ id: unknown; category: string }>('SELECT id, category FROM event_types ORDER BY id')).map((t) => ({
    id: Number(t.id),
    category: t.category,
  }));
  const caseId = Number((await q<{ n: unknown }>('SELECT COALESCE(MAX(id), 0) AS n FROM cases'))[0]!.n);
  const auditId = Number((await q<{ n: unknown }>('SELECT COALESCE(MAX(id), 0) AS n FROM audit_log'))[0]!.n);
  const head = (await q<{ last_hash: string; records: unknown }>('SELECT last_hash, records FROM audit_chain_head WHERE id = 1'))[0];
  const taskColumns = [
    'user_task_key',
    'case_id',
    'process_instance_key',
    'element_id',
    'name',
    'form_id',
    'unit_id',
    'candidate_groups',
    'state',
    'priority',
    'due_at',
    'warning_light',
    'created_at',
    'updated_at',
  ];
  const hasCaseCreatedAt =
    (
      await q<Record<string, unknown>>(
        sqlDialect(db) === 'sqlite'
          ? "SELECT name FROM pragma_table_info('inbox_tasks') WHERE name = 'case_created_at'"
          : "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'inbox_tasks' AND column_name = 'case_created_at'",
      )
    ).length > 0;
  if (hasCaseCreatedAt) taskColumns.push('case_created_at');

  const sink = url.startsWith('sqlite:') ? await sqliteSink(url.slice('sqlite:'.length)) : await mysqlSink(url);
  const rnd = random(options.cases);
  const counts = { cases: 0, case_events: 0, audit_log: 0, inbox_tasks: 0 };
  let prevHash = head?.last_hash ?? AUDIT_GENESIS_HASH;
  let nextAudit = auditId;
  const yearStart = options.now.getTime() - 365 * DAY;
  const openChance = Math.min(1, (OPEN_SHARE * 365) / OPEN_WINDOW_DAYS);
  const BATCH = 2000;
  try {
    await withoutRollupTriggers(db, options.offsetMinutes, async () => {
      for (let from = 0; from < options.cases; from += BATCH) {
        const caseRows: unknown[][] = [];
        const eventRows: unknown[][] = [];
        const auditRows: unknown[][] = [];
        const taskRows: unknown[][] = [];
        for (let i = from; i < Math.min(options.cases, from + BATCH); i++) {
          const id = caseId + i + 1;
          const createdAt = new Date(Math.floor(yearStart + ((i + rnd.next()) / options.cases) * 365 * DAY));
          const at = (hours: number) => new Date(Math.min(createdAt.getTime() + hours * H, options.now.getTime() - 1000));
          const open = createdAt.getTime() > options.now.getTime() - OPEN_WINDOW_DAYS * DAY && rnd.chance(openChance);
          const status = open ? mix(rnd, OPEN_MIX) : mix(rnd, FINISHED_MIX);
          const grid = rnd.chance(0.9) ? rnd.pick(grids) : null;
          const type = rnd.chance(0.85) ? rnd.pick(types) : null;
          // a few departments take most of the work, as 城管局 does in a real district
          const unitId =
            status === 'reported' || status === 'rejected' ? null : rnd.chance(0.5) ? departments[Math.floor(rnd.next() * 4)]! : rnd.pick(departments);
          const reached = (s: string) => !['reported', 'rejected'].includes(status) && (s !== 'dispatched' || status !== 'accepted');
          const handled = ['verifying', 'closed', 'shelved'].includes(status);
          const late = rnd.chance(0.12);
          const closedAt = status === 'closed' || status === 'rejected' ? at(late ? 90 : 40) : null;
          const dueAt = open ? new Date(createdAt.getTime() + (rnd.chance(0.2) ? 24 : 24 * 10) * H) : at(72);
          const caseNo = `S${createdAt.toISOString().slice(0, 10).replaceAll('-', '')}${String(id).padStart(8, '0')}`;
          caseRows.push([
            id,
            caseNo,
            rnd.pick(['hotline', 'hotline', 'photo', 'grid_worker', 'ai_camera']),
            rnd.chance(0.7) ? '王先生' : null,
            rnd.chance(0.7) ? `139${String(10000000 + (i % 89999999)).slice(0, 8)}` : null,
            randomBytes(12).toString('base64url') + id.toString(36),
            `${rnd.pick(PHRASES)}（${grid?.name ?? '位置见地址'}）`,
            type?.id ?? null,
            type?.category ?? null,
            grid ? grid.lng + (rnd.next() - 0.5) * 0.004 : null,
            grid ? grid.lat + (rnd.next() - 0.5) * 0.004 : null,
            grid ? null : '沾益区某路口',
            grid?.id ?? null,
            grid?.townshipId ?? null,
            status,
            50,
            unitId,
            at(0.5),
            at(2),
            at(48),
            at(64),
            dueAt,
            rnd.chance(0.03) ? 1 : 0,
            rnd.chance(0.05) ? 'red' : rnd.chance(0.1) ? 'yellow' : 'green',
            null,
            'case-generic',
            null,
            0,
            rnd.chance(0.04) ? 1 : 0,
            rnd.chance(0.05) ? 1 : 0,
            rnd.chance(0.04) ? 1 : 0,
            status === 'closed' && rnd.chance(0.4) ? rnd.pick(['satisfied', 'satisfied', 'basic', 'unsatisfied']) : null,
            reached('accepted') ? at(0.3) : null,
            reached('dispatched') && status !== 'accepted' ? at(1) : null,
            handled ? at(late ? 60 : 30) : null,
            closedAt,
            createdAt,
            closedAt ?? createdAt,
          ]);
          const instance = String(2251799813685248 + id);
          const steps = open ? 3 + (i % 3) : PATH.length;
          for (let s = 0; s < steps; s++) {
            const element = PATH[s]!;
            for (const intent of ['activated', 'completed']) {
              const when = at(s * 6 + (intent === 'completed' ? 1 : 0));
              eventRows.push([
                `${instance}:${element}:${intent}`,
                id,
                instance,
                `${instance}${s}`,
                element,
                s === 0 ? 'startEvent' : s === PATH.length - 1 ? 'endEvent' : 'serviceTask',
                'case-generic',
                intent,
                when,
                null,
                when,
              ]);
            }
          }
          const actions = open
            ? ['reported', 'accepted', 'dispatched'].slice(0, 1 + (i % 3))
            : status === 'closed'
              ? ['reported', 'accepted', 'dispatched', 'handled', 'closed']
              : ['reported', status];
          actions.forEach((action, k) => {
            const createdAtSecond = new Date(Math.floor(at(k * 8).getTime() / 1000) * 1000);
            const content = {
              caseId: String(id),
              actor: k === 0 ? 'public' : `worker:${action}`,
              actorRole: null,
              action,
              detail: { step: k },
              dedupKey: `seed:${id}:${action}`,
              createdAt: createdAtSecond,
            };
            const hash = auditHash(prevHash, content);
            auditRows.push([++nextAudit, id, content.actor, null, action, JSON.stringify(content.detail), content.dedupKey, prevHash, hash, createdAtSecond]);
            prevHash = hash;
          });
          if (open && status !== 'reported') {
            taskRows.push([
              `seed-${id}`,
              id,
              instance,
              status === 'verifying' ? 'verify' : 'handle',
              status === 'verifying' ? '核查' : '处置',
              'case-handle',
              unitId,
              '[]',
              'created',
              50,
              dueAt,
              'green',
              createdAt,
              createdAt,
              ...(hasCaseCreatedAt ? [createdAt] : []),
            ]);
          }
        }
        await sink.transaction(async () => {
          await sink.insert('cases', CASE_COLUMNS, caseRows);
          await sink.insert('case_events', EVENT_COLUMNS, eventRows);
          await sink.insert('audit_log', AUDIT_COLUMNS, auditRows);
          if (taskRows.length) await sink.insert('inbox_tasks', taskColumns, taskRows);
        });
        counts.cases += caseRows.length;
        counts.case_events += eventRows.length;
        counts.audit_log += auditRows.length;
        counts.inbox_tasks += taskRows.length;
        if ((from / BATCH) % 50 === 0) log(`seeded ${counts.cases.toLocaleString('en-US')} cases (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    });
  } finally {
    await sink.close();
  }
  const records = Number(head?.records ?? 0) + counts.audit_log;
  await q('UPDATE audit_chain_head SET last_id = ?, last_hash = ?, records = ?, updated_at = ? WHERE id = 1', [
    String(nextAudit),
    prevHash,
    records,
    new Date(),
  ]);
  return { seconds: (Date.now() - started) / 1000, rows: counts };
}
