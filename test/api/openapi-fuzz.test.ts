import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attachments, CalendarDays, Cases, EventTypes, GovernanceItems, Grids, InboxTasks, Units } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { testJpeg } from '../support/test-images.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { changedTables, closeDigestReader, commitCounter, databaseDigest, tableNames, type TableDigest } from './support/database-checksum.js';
import { DEEP_OBJECT, rarely, textFor, valueFor } from './support/openapi-arbitraries.js';

/**
 * Property-based fuzzing of the whole HTTP API from its OpenAPI document (#16): for every operation,
 * generated path parameters, queries and bodies (fitting the schema or hostile), sent as each role or
 * none, must never be answered 5xx, and every refusal (4xx) must leave every table as it was (row count
 * and a checksum over all columns). Runs per operation are bounded (FUZZ_RUNS, default 3) so the whole
 * file stays under a minute on SQLite; FUZZ_SEED replays a run.
 */
type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  base: string;
  parameters: Parameter[];
  json?: Schema;
  multipart?: Schema;
  form?: Schema;
  security: boolean;
}
interface Sent {
  role: string | null;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  status?: number;
}

const ROLES = ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor'] as const;
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3);
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Date.now() % 2 ** 31;
/** Malformed %-encodings put into paths and queries as they are (not re-encoded). */
const RAW_PATH_PIECES = ['%E0%A4%A', '%', '%zz', '%C0%AF', '..%2F..%2Fetc', '%00'];

/** A path piece as a URL carries it: a lone surrogate cannot be %-encoded and travels as U+FFFD. */
const encodePiece = (t: string) => encodeURIComponent(t.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, '\uFFFD'));

/** The operations of the document: path-level `servers` (Open311) decide the base. */
function operations(doc: { servers?: Array<{ url: string }>; paths: Record<string, Record<string, unknown>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const base = (item['servers'] as Array<{ url: string }> | undefined)?.[0]?.url ?? doc.servers?.[0]?.url ?? '/api';
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: Schema }> }; security?: unknown[] };
      const content = op.requestBody?.content ?? {};
      out.push({
        method: method.toUpperCase(),
        path,
        base,
        parameters: op.parameters ?? [],
        security: Boolean(op.security?.length),
        json: content['application/json']?.schema,
        multipart: content['multipart/form-data']?.schema,
        form: content['application/x-www-form-urlencoded']?.schema,
      });
    }
  }
  return out;
}

describe('OpenAPI fuzz: every route with generated input as every role: no 5xx, refusals change nothing (#16)', function () {
  this.timeout(Math.max(240_000, RUNS * 120_000));
  let api: ApiWorld;
  let dataDir: string;
  let origin: string;
  const tokens = new Map<string, string>();
  /** known real values per path/query parameter name, so requests reach the handlers, not only the 404s */
  const known: Record<string, string[]> = {};
  let tables: string[];

  let cached: { version: number; digest: Record<string, TableDigest> } | null = null;
  /** Row counts and checksums of every table; on SQLite reused while no commit happened since. */
  async function digest(): Promise<Record<string, TableDigest>> {
    const version = commitCounter(api.world.db);
    if (version !== null && cached?.version === version) return cached.digest;
    const d = await databaseDigest(api.world.db, tables);
    if (version !== null) cached = { version, digest: d };
    return d;
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** The database once background work (processes, inbox sync, history) stopped moving for `still` ms. */
  async function quiet(still: number): Promise<Record<string, TableDigest>> {
    const sq = api.world.db;
    if (commitCounter(sq) !== null) {
      for (let i = 0; i < 400; i++) {
        const v = commitCounter(sq);
        await sleep(still);
        if (commitCounter(sq) === v) return digest();
      }
      throw new Error('the database did not settle within the fuzz step');
    }
    let last = await digest();
    for (let i = 0; i < 60; i++) {
      await sleep(still);
      const now = await digest();
      if (changedTables(last, now).length === 0) return now;
      last = now;
    }
    throw new Error('the database did not settle within the fuzz step');
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ywtg-fuzz-'));
    api = await openApiWorld({ dataDir });
    origin = new URL(api.base).origin;
    for (const r of ROLES) tokens.set(r, await api.login(r));
    tables = await tableNames(api.world.db);
    // a little real data to aim at: a hotline case with its open task, a public report with a photo, a camera, an Open311 client
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: tokens.get('operator')!,
      body: { description: '热线：路灯不亮', address: '沾益区西平街道' },
    });
    const task = await eventually('accept task', () => InboxTasks.findOne({ where: { caseId: filed.body.id, state: 'created' } }), 60_000);
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const fd = new FormData();
    fd.append('description', '路面塌陷');
    fd.append('lat', String(grid.centroidLat));
    fd.append('lng', String(grid.centroidLng));
    fd.append('photos', new Blob([testJpeg()], { type: 'image/jpeg' }), 'a.jpg');
    const report = (await (await fetch(`${api.base}/public/reports`, { method: 'POST', body: fd })).json()) as { trackingToken: string };
    const camera = await api.call<{ code: string }>('POST', '/admin/cameras', {
      token: tokens.get('admin')!,
      body: { code: 'CAM-FUZZ', name: '模糊测试', gridCode: grid.code, eventTypeCodes: ['SJ-0101'] },
    });
    const client = await api.call<{ id: number; apiKey?: string; key?: string }>('POST', '/admin/open311-clients', {
      token: tokens.get('admin')!,
      body: { name: '模糊测试客户端' },
    });
    const defs = await api.call('GET', '/operations/processes', { token: tokens.get('admin')! });
    const caseRow = (await Cases.findByPk(filed.body.id))!;
    const units = (await Units.findAll({ limit: 3 })).map((u) => u.code);
    const eventTypes = (await EventTypes.findAll({ limit: 3 })).map((e) => e.code);
    Object.assign(known, {
      caseId: [filed.body.id],
      key: [task.userTaskKey],
      token: [report.trackingToken, caseRow.trackingToken],
      attachmentId: (await Attachments.findAll()).map((a) => a.id),
      processId: ['case-generic', 'case-camera'],
      version: ['1', 'latest'],
      formId: ['case-accept', 'case-handle'],
      code: [camera.body.code ?? 'CAM-FUZZ'],
      date: (await CalendarDays.findAll({ limit: 2 })).map((d) => String(d.date)),
      processInstanceKey: caseRow.processInstanceKey ? [caseRow.processInstanceKey] : [],
      processDefinitionKey: [...JSON.stringify(defs.body).matchAll(/"processDefinitionKey":"?(\d+)/gu)].map((m) => m[1]!).slice(0, 3),
      service_code: eventTypes,
      service_request_id: [caseRow.caseNo, filed.body.id],
      format: ['json', 'xml'],
      api_key: [client.body.apiKey ?? client.body.key ?? ''].filter(Boolean),
      // the registry's {id}: codes of units, grids, event types, items; users other than the fuzzing accounts (a PATCH must not lock them out)
      registryId: [...units, grid.code, ...eventTypes, String((await GovernanceItems.findOne())?.id ?? '1'), 'township', 'community', String(client.body.id)],
    });
  });
  after(async () => {
    if (api) closeDigestReader(api.world.db);
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const knownFor = (op: Operation, name: string): string[] => {
    if (name === 'id')
      return op.path.startsWith('/admin/') ? known['registryId']! : op.path.startsWith('/attachments') ? known['attachmentId']! : known['caseId']!;
    return known[name] ?? [];
  };

  /** One request for `op`: role, path, query, headers and body, all generated. */
  function requestFor(op: Operation): fc.Arbitrary<{ role: string | null; url: string; init: RequestInit; shown: Sent }> {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const segment = (p: Parameter) =>
      fc.oneof(
        { weight: 8, arbitrary: textFor(p.schema, knownFor(op, p.name)).map(encodePiece) },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH_PIECES) },
      );
    const query = fc
      .tuple(
        fc.tuple(...queryParams.map((p) => fc.option(textFor(p.schema, knownFor(op, p.name)), { freq: 2 }))),
        rarely(fc.constantFrom('page=Infinity', 'pageSize=1e309', 'unitId=1e309', 'days=-1', 'x=%E0%A4%A', 'after=%ZZ', 'page=1&page=2'), 8),
      )
      .map(([values, extra]) => {
        const q = new URLSearchParams();
        queryParams.forEach((p, i) => {
          if (values[i] !== null && values[i] !== undefined) q.append(p.name, values[i]!);
        });
        const text = q.toString();
        return [text, extra].filter(Boolean).join('&');
      });
    const role = fc.constantFrom<string | null>(null, ...ROLES);
    const body: fc.Arbitrary<{ body?: string | FormData; contentType?: string; shown?: string }> = (() => {
      const alts: Array<fc.Arbitrary<{ body?: string | FormData; contentType?: string; shown?: string }>> = [];
      if (op.json) {
        alts.push(valueFor(op.json, 0, 12).map((v) => ({ body: JSON.stringify(v), contentType: 'application/json', shown: JSON.stringify(v)?.slice(0, 300) })));
        alts.push(
          fc
            .constantFrom('{', '{"a":', 'null', '[]', '"x"', JSON.stringify(DEEP_OBJECT))
            .map((raw) => ({ body: raw, contentType: 'application/json', shown: raw.slice(0, 60) })),
        );
        if (/\/forms\/|deploy|draft|lint/u.test(op.path))
          alts.push(fc.constant({ body: JSON.stringify({ schema: DEEP_OBJECT, xml: DEEP_OBJECT }), contentType: 'application/json', shown: 'deep' }));
      }
      if (op.form)
        alts.push(
          valueFor(op.form, 0, 6).map((v) => {
            const q = new URLSearchParams();
            if (v && typeof v === 'object' && !Array.isArray(v))
              for (const [k, x] of Object.entries(v)) q.append(k, typeof x === 'string' ? x : JSON.stringify(x));
            return { body: q.toString(), contentType: 'application/x-www-form-urlencoded', shown: q.toString().slice(0, 300) };
          }),
        );
      if (op.multipart)
        alts.push(
          fc.tuple(valueFor(op.multipart, 0, 8), fc.constantFrom('none', 'jpeg', 'garbage', 'html-as-jpeg')).map(([v, file]) => {
            const fd = new FormData();
            if (v && typeof v === 'object' && !Array.isArray(v))
              for (const [k, x] of Object.entries(v)) if (typeof x !== 'object' || x === null) fd.append(k, String(x));
            const field = op.path.includes('/attachments') ? 'file' : 'photos';
            if (file === 'jpeg') fd.append(field, new Blob([testJpeg()], { type: 'image/jpeg' }), 'a.jpg');
            if (file === 'garbage') fd.append(field, new Blob([Buffer.from('MZ\x90\x00garbage')]), 'x.bin');
            if (file === 'html-as-jpeg')
              fd.append(field, new Blob([Buffer.concat([testJpeg().subarray(0, 20), Buffer.from('<html></html>')])], { type: 'image/jpeg' }), 'a.jpg');
            return { body: fd, shown: `multipart ${JSON.stringify(v)?.slice(0, 200)} + ${file}` };
          }),
        );
      // fitting bodies most of the time (weight 6), malformed or deep ones now and then
      const weighted = alts.map((arbitrary, i) => ({ weight: i === 0 ? 6 : 1, arbitrary }));
      if (alts.length === 0)
        return rarely(fc.constant({ body: '{"unexpected":true}', contentType: 'application/json', shown: 'unexpected body' }), 6).map((b) => b ?? {});
      return fc.oneof(...weighted);
    })();
    return fc
      .tuple(role, fc.tuple(...pathParams.map(segment)), query, body, rarely(fc.string({ minLength: 1, maxLength: 12 }), 4))
      .map(([who, segs, q, b, idem]) => {
        let path = op.path;
        pathParams.forEach((p, i) => {
          path = path.replace(`{${p.name}}`, segs[i]!);
        });
        const url = `${origin}${op.base}${path}${q ? `?${q}` : ''}`;
        const headers: Record<string, string> = { 'Accept-Language': 'en' };
        if (who) headers['Authorization'] = `Bearer ${tokens.get(who)}`;
        if (b.contentType) headers['Content-Type'] = b.contentType;
        if (idem && op.method === 'POST') headers['Idempotency-Key'] = idem;
        const init: RequestInit = { method: op.method, headers, ...(b.body !== undefined && op.method !== 'GET' ? { body: b.body } : {}) };
        return { role: who, url, init, shown: { role: who, method: op.method, url: url.replace(origin, ''), ...(b.shown ? { body: b.shown } : {}) } };
      });
  }

  it('given the OpenAPI document, when every operation is driven with generated input as every role, then no answer is 5xx and no refusal writes', async () => {
    const doc = await api.call<{ servers?: Array<{ url: string }>; paths: Record<string, Record<string, unknown>> }>('GET', '/docs');
    const ops = operations(doc.body).filter((op) => !(op.method === 'POST' && op.path === '/auth/logout')); // would end the fuzzing roles' sessions; covered anonymously below
    expect(ops.length).to.be.greaterThan(100);
    const failures: string[] = [];
    const started = Date.now();
    let requests = 0;
    const statuses: Record<number, number> = {};
    // after a write was accepted, processes and the inbox may go on writing for a while: wait longer then
    let still = 300;
    for (const [i, op] of ops.entries()) {
      // a seed per operation: one seed for all would send each operation's n-th request as the same role
      const run = await fc.check(
        fc.asyncProperty(requestFor(op), async (req) => {
          const before = await quiet(still);
          const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(20_000), redirect: 'manual' });
          requests++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          // an event stream never ends: its status is the answer
          if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) await res.body?.cancel();
          const text = res.bodyUsed ? '' : await res.text().catch(() => '');
          still = res.status < 400 && req.init.method !== 'GET' ? 400 : 30;
          const shown = JSON.stringify({ ...req.shown, status: res.status, answer: text.slice(0, 200) });
          if (process.env['FUZZ_LOG']) console.log(shown.slice(0, 400));
          if (res.status >= 500) throw new Error(`5xx: ${shown}`);
          if (res.status >= 400) {
            const changed = changedTables(before, await digest());
            if (changed.length) throw new Error(`refusal wrote to ${changed.join(', ')}: ${shown}`);
          }
        }),
        { numRuns: RUNS, seed: SEED + i, endOnFailure: true },
      );
      if (run.failed)
        failures.push(
          `${op.method} ${op.path} (FUZZ_SEED=${SEED}): ${run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance)}`,
        );
    }
    // logout: anonymous and with a bearer that is not a session
    for (const auth of [undefined, 'Bearer not-a-session']) {
      const res = await fetch(`${api.base}/auth/logout`, { method: 'POST', headers: auth ? { Authorization: auth } : {} });
      if (res.status >= 500) failures.push(`POST /auth/logout: ${res.status}`);
    }
    console.log(
      `      fuzz: ${ops.length} operations, ${requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED} (FUZZ_SEED=${SEED} replays), answers ${JSON.stringify(statuses)}`,
    );
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
