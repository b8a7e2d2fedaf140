import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.js';
import { createLogger } from '../../config/logger.js';
import { loadConfig } from '../../config/load.js';
import { AuditRecords, Cases, EventTypes, Grids, IdempotencyRecords, Open311Clients, Open311Requests, Sessions, Op, query } from '../support/tables.js';
import { CATEGORIES } from '../../db/vocabulary.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) checked field by field, in JSON and
 * XML, against the spec: service list, service definitions, POST/GET requests, tokens, errors.
 */
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const DEFINITION_FIELDS = ['service_code', 'attributes'];
const ATTRIBUTE_FIELDS = ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'];
const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
// the spec answers service_request_id OR token (the case is filed at once: the id); account_id only when sent
const POSTED_FIELDS = ['service_request_id', 'service_notice', 'account_id'];
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const TOKEN_FIELDS = ['service_request_id', 'token'];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value'].includes(name),
});

interface Reply {
  status: number;
  /** the Link header (the paging extension's rel="next"), if any */
  link: string | null;
  type: string;
  text: string;
  json: unknown;
  xml: Record<string, unknown> | null;
}

type Row = Record<string, unknown>;

/** The XML twin of a JSON value: every scalar as text, null as an empty element. */
function asXmlText(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asXmlText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, asXmlText(v)]));
  return String(value);
}

/** XML lists of attributes/values nest one level deeper (`<attributes><attribute>…`): flatten them like JSON. */
function flattenXml(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattenXml);
  if (value && typeof value === 'object') {
    const out: Row = {};
    for (const [k, v] of Object.entries(value as Row)) {
      if (k === 'attributes') out[k] = v === '' ? [] : flattenXml((v as Row)['attribute']);
      else if (k === 'values') out[k] = v === '' ? [] : flattenXml((v as Row)['value']);
      else out[k] = flattenXml(v);
    }
    return out;
  }
  return value;
}

describe('Open311 GeoReport v2', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let root: string;
  let admin: string;
  let apiKey: string;
  let clientId: number;

  async function call(
    method: string,
    path: string,
    o: { form?: Record<string, string | string[]>; json?: unknown; raw?: string; type?: string; lang?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (o.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(o.form)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
      body = p.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['Content-Type'] = 'application/json';
    } else if (o.raw !== undefined) {
      body = o.raw;
    }
    if (o.type) headers['Content-Type'] = o.type;
    if (o.lang) headers['Accept-Language'] = o.lang;
    const res = await fetch(`${root}/open311/v2${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      link: res.headers.get('link'),
      type,
      text,
      json: type.startsWith('application/json') ? JSON.parse(text) : null,
      xml: type.startsWith('text/xml') ? (xml.parse(text) as Record<string, unknown>) : null,
    };
  }

  const goodForm = (over: Record<string, string | string[]> = {}) => ({
    api_key: apiKey,
    service_code: 'BJ-0101',
    lat: '25.6006',
    long: '103.8217',
    description: '西平街道振兴路井盖缺失',
    'attribute[facility_code]': 'ZY-JG-0042',
    'attribute[safety_hazard]': 'yes',
    email: 'citizen@example.cn',
    device_id: 'dev-1',
    account_id: 'acct-77',
    first_name: '小明',
    last_name: '王',
    phone: '13812345678',
    media_url: 'https://img.example.cn/a.jpg',
    ...over,
  });

  /**
   * What a refusal must leave untouched. The engine's workers keep moving earlier cases along (status,
   * their own audit records), so this counts what a request could have written rather than snapshotting
   * case states: cases and their texts, Open311 rows, clients, sessions, idempotency answers and the
   * audit records of people and API clients.
   */
  async function counts(): Promise<string> {
    const cases = await Cases.findAll({ order: [['id', 'ASC']], attributes: ['id', 'caseNo', 'description', 'channel'] });
    return JSON.stringify({
      cases: cases.map((c) => c),
      open311: await Open311Requests.count(),
      clients: await Open311Clients.findAll({ order: [['id', 'ASC']], attributes: ['id', 'enabled'] }),
      sessions: await Sessions.count(),
      idem: await IdempotencyRecords.count(),
      audit: await AuditRecords.count({ where: { actor: { [Op.notLike]: 'worker:%' } } }),
    });
  }

  function expectErrors(reply: Reply, status: number, format: 'json' | 'xml' = 'json'): string {
    expect(reply.status, reply.text).to.equal(status);
    let list: Row[];
    if (format === 'json') {
      expect(reply.type).to.match(/^application\/json/);
      list = reply.json as Row[];
    } else {
      expect(reply.type).to.match(/^text\/xml/);
      expect(reply.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).to.equal(true);
      list = (reply.xml!['errors'] as Row)['error'] as Row[];
    }
    expect(list).to.be.an('array').with.length(1);
    expect(Object.keys(list[0]!)).to.deep.equal(['code', 'description']);
    expect(String(list[0]!['code'])).to.equal(String(status));
    expect(list[0]!['description']).to.be.a('string').and.not.equal('');
    return list[0]!['description'] as string;
  }

  before(async () => {
    api = await openApiWorld();
    root = api.base.replace(/\/api$/, '');
    admin = await api.login('admin');
    const created = await api.call<{ id: number; apiKey: string }>('POST', '/admin/open311-clients', { token: admin, body: { name: '城市服务 App' } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    apiKey = created.body.apiKey;
    clientId = created.body.id;
  });
  after(() => api.close());

  describe('API clients (admin)', () => {
    it('given an admin, when a client is registered, then the key is shown once, stored only hashed, and the act is audited', async () => {
      const audit = await AuditRecords.count();
      const res = await api.call<Row>('POST', '/admin/open311-clients', { token: admin, body: { name: '12345 热线对接' } });
      expect(res.status).to.equal(201);
      expect(Object.keys(res.body).sort()).to.deep.equal(['apiKey', 'createdAt', 'createdBy', 'disabledAt', 'enabled', 'id', 'name']);
      expect(res.body['apiKey']).to.match(/^o311_[A-Za-z0-9_-]{43}$/);
      expect(res.body).to.include({ name: '12345 热线对接', enabled: true, createdBy: 'admin', disabledAt: null });
      const row = await Open311Clients.findByPk(res.body['id'] as number);
      expect(row!.keyHash)
        .to.match(/^[0-9a-f]{64}$/)
        .and.not.contain(res.body['apiKey'] as string);
      expect(await AuditRecords.count()).to.equal(audit + 1);
      const list = await api.call<Row[]>('GET', '/admin/open311-clients', { token: await api.login('auditor') });
      expect(list.status).to.equal(200);
      expect(JSON.stringify(list.body))
        .to.not.contain(res.body['apiKey'] as string)
        .and.not.contain('keyHash');
      expect(list.body.map((c) => c['name'])).to.include('12345 热线对接');
    });

    for (const [who, method, path, status] of [
      [null, 'GET', '/admin/open311-clients', 401],
      ['operator', 'GET', '/admin/open311-clients', 403],
      [null, 'POST', '/admin/open311-clients', 401],
      ['auditor', 'POST', '/admin/open311-clients', 403],
      ['operator', 'POST', '/admin/open311-clients', 403],
      ['auditor', 'POST', '/admin/open311-clients/1/disable', 403],
      ['leader', 'POST', '/admin/open311-clients/1/disable', 403],
    ] as const) {
      it(`given ${who ?? 'no login'}, when ${method} ${path}, then ${status} and nothing changes`, async () => {
        const token = who ? await api.login(who) : null;
        const before = await counts();
        const res = await api.call(method, path, { token, ...(method === 'POST' ? { body: { name: 'x' } } : {}) });
        expect(res.status).to.equal(status);
        expect(res.body['code']).to.equal(status === 401 ? 'unauthenticated' : 'forbidden');
        expect(await counts()).to.equal(before);
      });
    }

    for (const [name, path, body, status] of [
      ['a blank name', '/admin/open311-clients', { name: '   ' }, 400],
      ['no name', '/admin/open311-clients', {}, 400],
      ['an unknown key', '/admin/open311-clients', { name: 'a', enabled: false }, 400],
      ['a name too long', '/admin/open311-clients', { name: 'x'.repeat(101) }, 400],
      ['an id that is not a number', '/admin/open311-clients/abc/disable', undefined, 400],
      ['an unknown id', '/admin/open311-clients/999999/disable', undefined, 404],
    ] as const) {
      it(`given ${name}, when POST ${path}, then ${status} and nothing written`, async () => {
        const before = await counts();
        const res = await api.call('POST', path, { token: admin, ...(body ? { body } : {}) });
        expect(res.status).to.equal(status);
        expect(res.body['code']).to.equal(status === 404 ? 'not_found' : 'invalid_input');
        expect(await counts()).to.equal(before);
      });
    }

    it('given a disabled client, when it posts a request, then 403 and nothing is written; disabling again changes nothing', async () => {
      const created = await api.call<{ id: number; apiKey: string }>('POST', '/admin/open311-clients', { token: admin, body: { name: 'to be disabled' } });
      const disabled = await api.call<Row>('POST', `/admin/open311-clients/${created.body.id}/disable`, { token: admin });
      expect(disabled.status).to.equal(200);
      expect(disabled.body['enabled']).to.equal(false);
      expect(disabled.body['disabledAt']).to.match(W3C);
      const audit = await AuditRecords.count();
      expect((await api.call('POST', `/admin/open311-clients/${created.body.id}/disable`, { token: admin })).status).to.equal(200);
      expect(await AuditRecords.count()).to.equal(audit);
      const before = await counts();
      expectErrors(await call('POST', '/requests.json', { form: goodForm({ api_key: created.body.apiKey }) }), 403);
      expect(await counts()).to.equal(before);
    });
  });

  describe('GET services', () => {
    it('given the catalogue, when services.json is read, then one realtime service per active event type with every spec field', async () => {
      const res = await call('GET', '/services.json');
      expect(res.status).to.equal(200);
      expect(res.type).to.equal('application/json; charset=utf-8');
      const list = res.json as Row[];
      const types = await EventTypes.findAll({ where: { active: true }, order: [['code', 'ASC']] });
      expect(list.map((s) => s['service_code'])).to.deep.equal(types.map((t) => t.code));
      for (const s of list) {
        expect(Object.keys(s)).to.deep.equal(SERVICE_FIELDS);
        expect(s['service_code']).to.be.a('string').and.not.equal('');
        expect(s['service_name']).to.be.a('string').and.not.equal('');
        expect(s['description']).to.be.a('string').and.not.equal('');
        expect(s['metadata']).to.equal(true);
        expect(s['type']).to.equal('realtime');
        expect(s['keywords']).to.be.a('string');
        expect(CATEGORIES as readonly string[]).to.include(s['group']);
      }
      const t = types.find((x) => x.code === 'BJ-0101')!;
      expect(list.find((s) => s['service_code'] === 'BJ-0101')).to.deep.equal({
        service_code: 'BJ-0101',
        service_name: t.name,
        description: `${t.major}（${t.kind}）：${t.filingCondition}`,
        metadata: true,
        type: 'realtime',
        keywords: t.keywords!.join(','),
        group: t.category,
      });
    });

    it('given the same list, when services.xml is read, then <services><service> carries the same fields as text', async () => {
      const [j, x] = [await call('GET', '/services.json'), await call('GET', '/services.xml')];
      expect(x.status).to.equal(200);
      expect(x.type).to.equal('text/xml; charset=utf-8');
      expect(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services>')).to.equal(true);
      const services = (x.xml!['services'] as Row)['service'] as Row[];
      for (const s of services) expect(Object.keys(s)).to.deep.equal(SERVICE_FIELDS);
      expect(services).to.deep.equal(asXmlText(j.json));
    });

    it('given a retired event type, when services are listed, then it is not offered and its definition is 404', async () => {
      const t = await EventTypes.findOne({ where: { code: 'BJ-0203' } });
      await EventTypes.updateRow(t!, { active: false });
      try {
        expect(((await call('GET', '/services.json')).json as Row[]).map((s) => s['service_code'])).to.not.include('BJ-0203');
        expectErrors(await call('GET', '/services/BJ-0203.json'), 404);
      } finally {
        await EventTypes.updateRow(t!, { active: true });
      }
    });
  });

  describe('GET service definition', () => {
    it('given a 部件 type, when its definition is read (JSON and XML), then the attributes follow the spec field by field', async () => {
      const t = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!;
      const j = await call('GET', '/services/BJ-0101.json');
      expect(j.status).to.equal(200);
      const def = j.json as Row;
      expect(Object.keys(def)).to.deep.equal(DEFINITION_FIELDS);
      expect(def['service_code']).to.equal('BJ-0101');
      const attrs = def['attributes'] as Row[];
      expect(attrs.map((a) => a['code'])).to.deep.equal(['time_limit', 'facility_code', 'observed_at', 'safety_hazard']);
      attrs.forEach((a, i) => {
        const isList = a['datatype'] === 'singlevaluelist' || a['datatype'] === 'multivaluelist';
        expect(Object.keys(a)).to.deep.equal(isList ? [...ATTRIBUTE_FIELDS, 'values'] : ATTRIBUTE_FIELDS);
        expect(a['variable']).to.be.a('boolean');
        expect(a['required']).to.be.a('boolean');
        expect(DATATYPES).to.include(a['datatype']);
        expect(a['datatype_description']).to.be.a('string');
        expect(a['order']).to.equal(i + 1);
        expect(a['description']).to.be.a('string').and.not.equal('');
      });
      expect(attrs[0]).to.include({ variable: false, datatype: 'string', required: false });
      expect(attrs[0]!['description']).to.contain(t.handleLimit.replace('h', '小时'));
      expect(attrs[2]).to.include({ variable: true, datatype: 'datetime', required: false });
      expect(attrs[3]).to.deep.include({
        variable: true,
        datatype: 'singlevaluelist',
        required: false,
        values: [
          { key: 'yes', name: '是' },
          { key: 'no', name: '否' },
        ],
      });
      const x = await call('GET', '/services/BJ-0101.xml');
      expect(x.status).to.equal(200);
      expect(x.text).to.contain('<service_definition>').and.contain('<attributes>\n    <attribute>').and.contain('<values>\n        <value>');
      expect(flattenXml(x.xml!['service_definition'])).to.deep.equal(asXmlText(def));
    });

    it('given an emergency 事件 type, when its definition is read, then it has no facility number and the hazard answer is required', async () => {
      const t = (await EventTypes.findOne({ where: { emergency: true, kind: '事件' } }))!;
      const def = (await call('GET', `/services/${t.code}.json`)).json as Row;
      const attrs = def['attributes'] as Row[];
      expect(attrs.map((a) => a['code'])).to.deep.equal(['time_limit', 'observed_at', 'safety_hazard']);
      expect(attrs[2]!['required']).to.equal(true);
      expect(attrs.map((a) => a['order'])).to.deep.equal([1, 2, 3]);
    });

    it('given an unknown service code, when its definition is read, then 404 in the spec error format (JSON and XML)', async () => {
      expectErrors(await call('GET', '/services/NOPE-1.json'), 404);
      const d = expectErrors(await call('GET', '/services/NOPE-1.xml', { lang: 'en' }), 404, 'xml');
      expect(d).to.equal('service_code provided was not found');
    });

    it('given an unsupported format or path, when requested, then 404 in the spec error format', async () => {
      expectErrors(await call('GET', '/services/BJ-0101.csv'), 404, 'xml');
      expectErrors(await call('GET', '/services.html'), 404, 'xml');
      expectErrors(await call('GET', '/nothing.json'), 404);
    });

    it('given an unknown query parameter, when services are listed, then 400', async () => {
      expectErrors(await call('GET', '/services.json?sql=1'), 400);
    });
  });

  describe('POST requests', () => {
    it('given a form-encoded request with coordinates and attributes, when posted, then a case is filed on the open311 channel and the reply follows the spec', async () => {
      const res = await call('POST', '/requests.json', { form: goodForm() });
      expect(res.status, res.text).to.equal(201);
      const list = res.json as Row[];
      expect(list).to.have.length(1);
      const posted = list[0]!;
      expect(Object.keys(posted)).to.deep.equal(POSTED_FIELDS);
      expect(posted['service_request_id']).to.match(/^ZY\d{8}-\d{4,}$/);
      expect(posted).to.not.have.property('token');
      expect(posted['service_notice']).to.match(/^受理 .+，派遣 .+，处置 .+（按工作时间计）$/);
      expect(posted['account_id']).to.equal('acct-77');
      const row = (await Cases.findOne({ where: { caseNo: posted['service_request_id'] as string } }))!;
      const type = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!;
      expect(row).to.deep.include({
        channel: 'open311',
        description: '西平街道振兴路井盖缺失',
        eventTypeId: type.id,
        lat: 25.6006,
        lng: 103.8217,
        reporterName: '王小明',
        reporterPhone: '13812345678',
      });
      const extra = (await Open311Requests.findByPk(row.id))!;
      expect(row.trackingToken).to.not.equal(extra.token);
      expect(extra).to.deep.include({
        clientId,
        mediaUrl: 'https://img.example.cn/a.jpg',
        email: 'citizen@example.cn',
        deviceId: 'dev-1',
        accountId: 'acct-77',
      });
      expect(extra.attributes).to.deep.equal({ facility_code: 'ZY-JG-0042', safety_hazard: 'yes' });
      const audit = await AuditRecords.findOne({ where: { caseId: row.id, action: 'open311.received' } });
      expect(audit!.detail).to.deep.include({ clientId, serviceCode: 'BJ-0101' });
    });

    it('given a filed request, when read back by id (JSON and XML), then every spec field is there and no personal data', async () => {
      const posted = ((await call('POST', '/requests.json', { form: goodForm() })).json as Row[])[0]!;
      const id = posted['service_request_id'] as string;
      // the case's own jobs (classify, 并单) may change it meanwhile: read the answer between two equal reads of the row
      let j: Awaited<ReturnType<typeof call>>;
      let row: Awaited<ReturnType<typeof Cases.findOne>>;
      for (let settled = false; !settled;) {
        const before = (await Cases.findOne({ where: { caseNo: id } }))!;
        j = await call('GET', `/requests/${id}.json`);
        row = (await Cases.findOne({ where: { caseNo: id } }))!;
        settled = before.status === row.status && before.updatedAt.getTime() === row.updatedAt.getTime();
      }
      j = j!;
      row = row!;
      expect(j.status).to.equal(200);
      const item = (j.json as Row[])[0]!;
      expect(j.json as Row[]).to.have.length(1);
      expect(Object.keys(item)).to.deep.equal(REQUEST_FIELDS);
      const type = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!;
      const grid = row.gridId ? await Grids.findByPk(row.gridId) : null;
      expect(item['service_request_id']).to.equal(id);
      expect(item['status']).to.equal(['closed', 'rejected', 'shelved', 'merged'].includes(row.status) ? 'closed' : 'open');
      expect(item['status_notes']).to.be.a('string').and.not.equal('');
      expect(item['service_name']).to.equal(type.name);
      expect(item['service_code']).to.equal('BJ-0101');
      expect(item['description']).to.equal('西平街道振兴路井盖缺失');
      expect(item['service_notice']).to.equal(posted['service_notice']);
      expect(item['requested_datetime']).to.match(W3C);
      expect(new Date(item['requested_datetime'] as string).getTime()).to.equal(Math.floor(row.createdAt.getTime() / 1000) * 1000);
      expect(item['updated_datetime']).to.match(W3C);
      expect(item['expected_datetime'] === null || W3C.test(item['expected_datetime'] as string)).to.equal(true);
      expect(item['address']).to.equal(null);
      expect(item['address_id']).to.equal(grid ? grid.code : null);
      expect(item['zipcode']).to.equal(null);
      expect(item['lat']).to.equal(25.6006);
      expect(item['long']).to.equal(103.8217);
      expect(item['media_url']).to.equal('https://img.example.cn/a.jpg');
      expect(item['agency_responsible'] === null || typeof item['agency_responsible'] === 'string').to.equal(true);
      for (const secret of ['13812345678', '王小明', '小明', 'citizen@example.cn', 'acct-77', 'dev-1', row.trackingToken, posted['token'] as string])
        expect(j.text).to.not.contain(secret);
      const x = await call('GET', `/requests/${id}.xml`);
      expect(x.status).to.equal(200);
      const xItems = (x.xml!['service_requests'] as Row)['request'] as Row[];
      expect(Object.keys(xItems[0]!)).to.deep.equal(REQUEST_FIELDS);
      expect(xItems[0]!['service_request_id']).to.equal(id);
      expect(xItems[0]!['lat']).to.equal('25.6006');
      expect(xItems[0]!['zipcode']).to.equal('');
      expect(xItems[0]!['media_url']).to.equal('https://img.example.cn/a.jpg');
      for (const secret of ['13812345678', '王小明', 'citizen@example.cn']) expect(x.text).to.not.contain(secret);
    });

    it('given a JSON request with an address and XML/HTML injection in the description, when posted as .xml, then the XML stays well-formed and the text comes back exactly', async () => {
      const evil = `</description><status>closed</status><![CDATA[x]]> <script>alert("x")</script> & 'q' ]]> \u00e9`;
      const res = await call('POST', '/requests.xml', {
        json: {
          api_key: apiKey,
          service_code: 'SJ-0101',
          address_string: '沾益区西平街道 <b>"振兴路"</b> & 1号',
          description: evil,
          attribute: { safety_hazard: 'no' },
        },
      });
      expect(res.status, res.text).to.equal(201);
      expect(res.type).to.equal('text/xml; charset=utf-8');
      const posted = ((res.xml!['service_requests'] as Row)['request'] as Row[])[0]!;
      expect(Object.keys(posted), 'no account_id sent: none answered').to.deep.equal(POSTED_FIELDS.filter((f) => f !== 'account_id'));
      const x = await call('GET', `/requests/${posted['service_request_id'] as string}.xml`);
      expect(x.text).to.not.contain('<script>').and.not.contain('<b>').and.not.contain('<![CDATA[');
      const item = ((x.xml!['service_requests'] as Row)['request'] as Row[])[0]!;
      expect(item['description']).to.equal(evil);
      expect(item['address']).to.equal('沾益区西平街道 <b>"振兴路"</b> & 1号');
      expect(item['status']).to.not.equal('closed');
      const j = ((await call('GET', `/requests/${posted['service_request_id'] as string}.json`)).json as Row[])[0]!;
      expect(j['description']).to.equal(evil);
    });

    it('given address_id naming a grid, when posted, then the case is placed in that grid and address_id reads back', async () => {
      const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
      const res = await call('POST', '/requests.json', { form: { api_key: apiKey, service_code: 'BJ-0108', address_id: grid.code, description: '路灯不亮' } });
      expect(res.status, res.text).to.equal(201);
      const id = (res.json as Row[])[0]!['service_request_id'] as string;
      expect((await Cases.findOne({ where: { caseNo: id } }))!.gridId).to.equal(grid.id);
      expect(((await call('GET', `/requests/${id}.json`)).json as Row[])[0]!['address_id']).to.equal(grid.code);
    });

    it('given a request without description, when posted, then the case is described by the service name', async () => {
      const res = await call('POST', '/requests.json', { form: { api_key: apiKey, service_code: 'BJ-0108', lat: '25.6', long: '103.82' } });
      expect(res.status, res.text).to.equal(201);
      const row = (await Cases.findOne({ where: { caseNo: (res.json as Row[])[0]!['service_request_id'] as string } }))!;
      expect(row.description).to.equal((await EventTypes.findOne({ where: { code: 'BJ-0108' } }))!.name);
    });

    it('given a description carrying a mobile number, when read back, then the number is masked', async () => {
      const res = await call('POST', '/requests.json', {
        form: { api_key: apiKey, service_code: 'BJ-0108', address_string: '沾益区花山街道', description: '路灯坏了，请联系13912345678或0874-1234567' },
      });
      const id = (res.json as Row[])[0]!['service_request_id'] as string;
      const item = ((await call('GET', `/requests/${id}.json`)).json as Row[])[0]!;
      expect(item['description']).to.equal('路灯坏了，请联系139****5678或0874-****4567'); // a landline is personal too (test/api/public-masking.test.ts has every form)
    });

    const emergency = async () => (await EventTypes.findOne({ where: { emergency: true, kind: '事件' } }))!.code;
    const refusals: Array<[string, () => Promise<Partial<Record<string, unknown>>> | Partial<Record<string, unknown>>, number, string?]> = [
      ['no api_key', () => ({ api_key: undefined }), 403],
      ['a wrong api_key', () => ({ api_key: 'o311_not-a-real-key' }), 403],
      ['no service_code', () => ({ service_code: undefined }), 400],
      ['an unknown service_code', () => ({ service_code: 'NOPE-9' }), 404],
      ['an injection string as service_code', () => ({ service_code: "' OR 1=1 --" }), 400],
      ['lat 91', () => ({ lat: '91' }), 400],
      ['long -181', () => ({ long: '-181' }), 400],
      ['lat that is not a number', () => ({ lat: 'abc' }), 400],
      ['lat without long', () => ({ long: undefined }), 400],
      ['no location at all', () => ({ lat: undefined, long: undefined }), 400],
      ['an unknown address_id', () => ({ lat: undefined, long: undefined, address_id: 'NO-SUCH-GRID' }), 400],
      ['an unknown attribute', () => ({ 'attribute[colour]': 'red' }), 400],
      ['a value outside the list', () => ({ 'attribute[safety_hazard]': 'maybe' }), 400],
      ['two values for a single-value list', () => ({ 'attribute[safety_hazard]': ['yes', 'no'] }), 400],
      ['a value for an informational attribute', () => ({ 'attribute[time_limit]': '1h' }), 400],
      ['a date-time without a time zone', () => ({ 'attribute[observed_at]': '2026-11-28 09:30' }), 400],
      ['a facility number too long', () => ({ 'attribute[facility_code]': 'x'.repeat(65) }), 400],
      [
        'an emergency without the required hazard answer',
        async () => ({ service_code: await emergency(), 'attribute[facility_code]': undefined, 'attribute[safety_hazard]': undefined }),
        400,
      ],
      ['a bad email', () => ({ email: 'not-an-email' }), 400],
      ['a javascript: media_url', () => ({ media_url: 'javascript:alert(1)' }), 400],
      ['a bad phone', () => ({ phone: '<script>' }), 400],
      ['a description over 4000 characters', () => ({ description: '很'.repeat(4001) }), 400],
      ['a control character in the description', () => ({ description: 'a\u0000b' }), 400],
      ['an unknown field', () => ({ is_admin: 'true' }), 400],
      ['a repeated field', () => ({ description: ['a', 'b'] }), 400],
    ];
    for (const [name, change, status] of refusals) {
      it(`given ${name}, when posted, then ${status} in the spec format and nothing is written`, async () => {
        const form: Record<string, string | string[]> = goodForm();
        for (const [k, v] of Object.entries(await change())) {
          if (v === undefined) delete form[k];
          else form[k] = v as string | string[];
        }
        const before = await counts();
        expectErrors(await call('POST', '/requests.json', { form }), status);
        expect(await counts()).to.equal(before);
      });
    }

    it('given a bad api_key, when posted as .xml, then 403 as <errors><error> with the English description on request', async () => {
      const before = await counts();
      const d = expectErrors(await call('POST', '/requests.xml', { form: goodForm({ api_key: 'nope' }), lang: 'en' }), 403, 'xml');
      expect(d).to.equal('api_key was not provided or is invalid');
      expect(await counts()).to.equal(before);
    });

    for (const [name, o, status] of [
      ['malformed JSON', { raw: '{"service_code": "BJ', type: 'application/json' }, 400],
      ['a JSON array', { raw: '[1]', type: 'application/json' }, 400],
      // the spec's statuses are 400, 403 and 404: a body we cannot read is its 400 "general service error"
      ['a text/plain body', { raw: 'service_code=BJ-0101', type: 'text/plain' }, 400],
      ['no body', {}, 400],
      ['a body over 64 KB', { raw: `api_key=x&description=${'x'.repeat(70_000)}`, type: 'application/x-www-form-urlencoded' }, 400],
    ] as const) {
      it(`given ${name}, when posted, then ${status} in the spec format and nothing is written`, async () => {
        const before = await counts();
        expectErrors(await call('POST', '/requests.json', o), status);
        expect(await counts()).to.equal(before);
      });
    }
  });

  describe('GET requests', () => {
    let ids: string[] = [];
    before(async () => {
      ids = [];
      for (const code of ['BJ-0102', 'BJ-0103', 'BJ-0103']) {
        const res = await call('POST', '/requests.json', {
          form: { api_key: apiKey, service_code: code, address_string: '沾益区龙华街道', description: `列表测试 ${code}` },
        });
        ids.push((res.json as Row[])[0]!['service_request_id'] as string);
      }
    });

    it('given no filter, when listed (JSON and XML), then the last 90 days newest first, every item with the spec fields', async () => {
      const j = await call('GET', '/requests.json');
      expect(j.status).to.equal(200);
      const list = j.json as Row[];
      expect(list.length).to.be.greaterThan(3);
      for (const item of list) expect(Object.keys(item)).to.deep.equal(REQUEST_FIELDS);
      const got = list.map((r) => r['service_request_id'] as string);
      expect(got.indexOf(ids[2]!)).to.be.lessThan(got.indexOf(ids[0]!));
      const times = list.map((r) => Date.parse(r['requested_datetime'] as string));
      expect([...times].sort((a, b) => b - a)).to.deep.equal(times);
      const x = await call('GET', '/requests.xml');
      const xList = (x.xml!['service_requests'] as Row)['request'] as Row[];
      expect(xList.map((r) => r['service_request_id'])).to.deep.equal(got);
      for (const item of xList) expect(Object.keys(item)).to.deep.equal(REQUEST_FIELDS);
      // no reporter data anywhere in the list
      const phones = (await Cases.findAll({ attributes: ['reporterPhone', 'reporterName'] }))
        .flatMap((c) => [c.reporterPhone, c.reporterName])
        .filter((v): v is string => !!v && v.length > 2);
      for (const p of phones) expect(j.text).to.not.contain(p);
    });

    it('given service_request_id as a comma list, when listed, then exactly those requests', async () => {
      const res = await call('GET', `/requests.json?service_request_id=${ids[0]},${ids[2]}`);
      expect((res.json as Row[]).map((r) => r['service_request_id']).sort()).to.deep.equal([ids[0], ids[2]].sort());
    });

    it('given service_code, when listed, then only that service', async () => {
      const list = (await call('GET', '/requests.json?service_code=BJ-0103')).json as Row[];
      expect(list.length).to.be.at.least(2);
      expect(new Set(list.map((r) => r['service_code']))).to.deep.equal(new Set(['BJ-0103']));
    });

    it('given cases in every state, when listed by status, then the states map to open and closed', async () => {
      // rows without a process, so no worker moves them while the test reads them
      const template = (await Cases.findOne({ where: { caseNo: ids[1]! } }))! as Record<string, unknown>;
      const states = {
        closed: ['closed', '已结案'],
        rejected: ['closed', '不予立案'],
        shelved: ['closed', '挂账（暂不具备处置条件）'],
        merged: ['closed', '与其他案卷重复，已并单处理'],
        handling: ['open', '责任单位处置中'],
        returned: ['open', '责任单位申请退单，指挥中心审核中'],
      } as const;
      const made: Record<string, string> = {};
      let n = 0;
      for (const status of Object.keys(states)) {
        const caseNo = `ZY20000102-${String(++n).padStart(4, '0')}`;
        await Cases.create({ ...template, id: undefined, caseNo, status, trackingToken: `state-${status}-${Date.now()}`, processInstanceKey: null } as never);
        made[status] = caseNo;
      }
      const closed = (await call('GET', '/requests.json?status=closed')).json as Row[];
      const open = (await call('GET', '/requests.json?status=open')).json as Row[];
      for (const r of closed) expect(r['status']).to.equal('closed');
      for (const r of open) expect(r['status']).to.equal('open');
      for (const [status, [want, notes]] of Object.entries(states)) {
        const found = (want === 'closed' ? closed : open).find((r) => r['service_request_id'] === made[status]);
        expect(found, status).to.not.equal(undefined);
        expect(found!['status_notes']).to.equal(notes);
        expect((want === 'closed' ? open : closed).map((r) => r['service_request_id'])).to.not.include(made[status]);
      }
      const both = (await call('GET', '/requests.json?status=open,closed')).json as Row[];
      expect(both.length).to.equal(open.length + closed.length);
    });

    it('given a request older than 90 days, when listed without dates, then it is left out; a date range that covers it finds it', async () => {
      const row = (await Cases.findOne({ where: { caseNo: ids[0]! } }))!;
      const old = new Date(Date.now() - 100 * 86_400_000);
      await query('UPDATE cases SET created_at = ? WHERE id = ?', [old, row.id]);
      try {
        const recent = (await call('GET', '/requests.json')).json as Row[];
        expect(recent.map((r) => r['service_request_id'])).to.not.include(ids[0]);
        const start = new Date(old.getTime() - 86_400_000).toISOString();
        const end = new Date(old.getTime() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
        const range = (await call('GET', `/requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`)).json as Row[];
        expect(range.map((r) => r['service_request_id'])).to.deep.equal([ids[0]]);
        const fromStart = (await call('GET', `/requests.json?start_date=${encodeURIComponent(start)}`)).json as Row[];
        expect(fromStart.map((r) => r['service_request_id'])).to.include(ids[0]);
      } finally {
        await query('UPDATE cases SET created_at = ? WHERE id = ?', [row.createdAt, row.id]);
      }
    });

    for (const [name, query] of [
      ['a date without a time zone', 'start_date=2026-11-01T00:00:00'],
      ['a date that is not a date', 'end_date=yesterday'],
      ['an impossible date', 'start_date=2026-13-45T00:00:00Z'],
      ['end before start', 'start_date=2026-11-10T00:00:00Z&end_date=2026-11-01T00:00:00Z'],
      ['a range over 90 days', 'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'],
      ['an unknown status', 'status=pending'],
      ['an injection string as service_request_id', "service_request_id=1'%20OR%20'1'='1"],
      ['an unknown parameter', 'page=2'],
    ] as const) {
      it(`given ${name}, when listed, then 400 in the spec format`, async () => {
        expectErrors(await call('GET', `/requests.json?${query}`), 400);
        expectErrors(await call('GET', `/requests.xml?${query}`), 400, 'xml');
      });
    }

    it('given page_size (extension), when every page is followed by its Link rel="next" (JSON and XML), then each request comes once, newest first, in the spec\'s schema', async () => {
      const whole = ((await call('GET', '/requests.json')).json as Row[]).map((r) => r['service_request_id']);
      expect(whole.length).to.be.greaterThan(4);
      for (const format of ['json', 'xml'] as const) {
        const seen: unknown[] = [];
        let path: string | null = `/requests.${format}?page_size=2`;
        let pages = 0;
        while (path) {
          const page = await call('GET', path);
          expect(page.status, page.text).to.equal(200);
          const list = format === 'json' ? (page.json as Row[]) : ([(page.xml!['service_requests'] as Row)['request'] ?? []].flat() as Row[]);
          for (const item of list) expect(Object.keys(item)).to.deep.equal(REQUEST_FIELDS);
          seen.push(...list.map((r) => r['service_request_id']));
          const next = page.link ? /^<\/open311\/v2(\/requests\.(?:json|xml)\?[^>]*)>; rel="next"$/.exec(page.link) : null;
          if (page.link) expect(next, page.link).to.not.equal(null);
          path = next ? next[1]! : null;
          if (path) expect(path).to.contain('page_size=2').and.contain('after=');
          expect(++pages).to.be.below(100);
        }
        expect(seen, format).to.deep.equal(whole);
        expect(pages).to.equal(Math.ceil(whole.length / 2));
      }
      // the filters ride along: a status-filtered walk lists exactly the status-filtered whole
      const open = ((await call('GET', '/requests.json?status=open')).json as Row[]).map((r) => r['service_request_id']);
      const walked: unknown[] = [];
      for (let path: string | null = '/requests.json?status=open&page_size=1'; path;) {
        const page = await call('GET', path);
        walked.push(...(page.json as Row[]).map((r) => r['service_request_id']));
        path = page.link ? /^<\/open311\/v2([^>]*)>/.exec(page.link)![1]! : null;
      }
      expect(walked).to.deep.equal(open);
    });

    it('given a malformed after, when listed, then 400 in the spec format naming the cursor, and nothing changes', async () => {
      const before = await counts();
      for (const after of [
        '!!!',
        'AAAA',
        Buffer.from(JSON.stringify(['cases', '2026-01-01T00:00:00.000Z', '1'])).toString('base64url'),
        Buffer.from(JSON.stringify(['open311', 'yesterday', '1'])).toString('base64url'),
      ]) {
        expect(expectErrors(await call('GET', `/requests.json?after=${encodeURIComponent(after)}`, { lang: 'en' }), 400)).to.match(/cursor/);
        expectErrors(await call('GET', `/requests.xml?after=${encodeURIComponent(after)}`), 400, 'xml');
      }
      expectErrors(await call('GET', '/requests.json?page_size=1001'), 400);
      expectErrors(await call('GET', '/requests.json?page_size=0'), 400);
      expect(await counts()).to.equal(before);
    });

    it('given an unknown request id, when read, then 404; a malformed id 400', async () => {
      expectErrors(await call('GET', '/requests/ZY20000101-9999.json'), 404);
      expectErrors(await call('GET', '/requests/ZY20000101-9999.xml'), 404, 'xml');
      expectErrors(await call('GET', "/requests/1'%20OR%201=1.json"), 400);
    });
  });

  describe('GET tokens', () => {
    it('given the token of a filed request, when read (JSON and XML), then it names the request', async () => {
      const filed = ((await call('POST', '/requests.json', { form: goodForm() })).json as Row[])[0]!;
      const row = (await Cases.findOne({ where: { caseNo: filed['service_request_id'] as string } }))!;
      const posted: Row = { ...filed, token: (await Open311Requests.findByPk(row.id))!.token };
      const j = await call('GET', `/tokens/${posted['token'] as string}.json`);
      expect(j.status).to.equal(200);
      expect(j.json).to.deep.equal([{ service_request_id: posted['service_request_id'], token: posted['token'] }]);
      const x = await call('GET', `/tokens/${posted['token'] as string}.xml`);
      const item = ((x.xml!['service_requests'] as Row)['request'] as Row[])[0]!;
      expect(Object.keys(item)).to.deep.equal(TOKEN_FIELDS);
      expect(item).to.deep.equal({ service_request_id: posted['service_request_id'], token: posted['token'] });
    });

    it('given an unknown or malformed token, when read, then 404 or 400', async () => {
      expectErrors(await call('GET', '/tokens/AAAAAAAAAAAAAAAAAAAAAAAA.json'), 404);
      expectErrors(await call('GET', '/tokens/a%20b.json'), 400);
    });
  });

  describe('jurisdiction and rate limit', () => {
    let server: Server;
    let other: string;
    before(async () => {
      const app = createApp({
        config: loadConfig({ OPEN311_JURISDICTION_ID: 'zhanyi.qujing.gov.cn' }),
        log: createLogger('silent'),
        database: api.world.db,
        version: '0.0.0-test',
        workflow: api.world.port,
        rateLimits: { open311PerMinute: 2 },
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      other = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('given a configured jurisdiction, when another jurisdiction_id is named, then 404 and nothing is written; the right one or none is accepted', async () => {
      expect((await fetch(`${other}/services.json?jurisdiction_id=zhanyi.qujing.gov.cn`)).status).to.equal(200);
      expect((await fetch(`${other}/services.json`)).status).to.equal(200);
      const wrong = await fetch(`${other}/services.xml?jurisdiction_id=elsewhere.gov`);
      expect(wrong.status).to.equal(404);
      expect(await wrong.text()).to.contain('<errors>');
      const before = await counts();
      const posted = await fetch(`${other}/requests.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...goodForm(), jurisdiction_id: 'elsewhere.gov' } as Record<string, string>).toString(),
      });
      expect(posted.status).to.equal(404);
      expect(await counts()).to.equal(before);
    });

    it('given the POST rate limit, when exceeded, then 429 in the spec format with Retry-After', async () => {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 3; i++) {
        last = await fetch(`${other}/requests.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'api_key=wrong',
        });
        statuses.push(last.status);
      }
      // 2 a minute: the jurisdiction test may have used one of this window's
      expect(statuses[2]).to.equal(429);
      expect(statuses[0]).to.equal(403);
      expect(statuses.filter((x) => x === 403).length).to.be.within(1, 2);
      const body = (await last!.json()) as Row[];
      expect(body[0]).to.include({ code: 429 });
      expect(Number(last!.headers.get('retry-after'))).to.be.greaterThan(0);
    });
  });

  describe('OpenAPI', () => {
    it('given the docs route, when fetched, then the Open311 paths are described with their own server and the client endpoints are listed', async () => {
      const res = await api.call<{ paths: Record<string, Row> }>('GET', '/docs');
      for (const p of [
        '/services.{format}',
        '/services/{service_code}.{format}',
        '/requests.{format}',
        '/requests/{service_request_id}.{format}',
        '/tokens/{token}.{format}',
      ]) {
        expect(res.body.paths[p], p).to.not.equal(undefined);
        expect(res.body.paths[p]!['servers']).to.deep.equal([
          { url: '/open311/v2', description: 'Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2)' },
        ]);
      }
      expect(Object.keys(res.body.paths['/requests.{format}']!).sort()).to.deep.equal(['get', 'post', 'servers']);
      const list = res.body.paths['/requests.{format}']!['get'] as {
        parameters: Array<{ name: string }>;
        responses: Record<string, { headers?: Record<string, unknown> }>;
      };
      expect(list.parameters.map((p) => p.name)).to.include.members(['start_date', 'end_date', 'status', 'service_code', 'after', 'page_size']);
      expect(list.responses['200']!.headers).to.have.key('Link');
      expect(res.body.paths).to.include.keys('/admin/open311-clients', '/admin/open311-clients/{id}/disable');
    });
  });

  describe('the 1000-result cap', () => {
    it('given more than 1000 requests in the window, when listed, then 1000 are returned', async () => {
      const template = (await Cases.findOne({ order: [['id', 'DESC']] }))! as Record<string, unknown>;
      const rows = Array.from({ length: 1001 }, (_, i) => ({
        ...template,
        id: undefined,
        caseNo: `ZY19990101-${String(i).padStart(4, '0')}`,
        trackingToken: `bulk-${i}-${Date.now()}`,
        processInstanceKey: null,
      }));
      await Cases.bulkCreate(rows as never[]);
      const first = await call('GET', '/requests.json');
      const list = first.json as Row[];
      expect(list).to.have.length(1000);
      const xml1000 = (await call('GET', '/requests.xml')).xml!;
      expect(((xml1000['service_requests'] as Row)['request'] as Row[]).length).to.equal(1000);
      // the rest is one Link away (paging extension): every request of the window once
      expect(first.link).to.match(/^<\/open311\/v2\/requests\.json\?after=[A-Za-z0-9_-]+>; rel="next"$/);
      const second = await call('GET', /^<\/open311\/v2([^>]*)>/.exec(first.link!)![1]!);
      const rest = second.json as Row[];
      expect(rest.length).to.be.greaterThan(0);
      const all = [...list, ...rest].map((r) => r['service_request_id']);
      expect(new Set(all).size).to.equal(all.length);
      expect(all.length).to.equal(await Cases.count({ where: { createdAt: { [Op.gte]: new Date(Date.now() - 90 * 86_400_000) } } }));
    });
  });
});
