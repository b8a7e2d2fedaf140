import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { Cases, EventTypes, Open311Requests } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import {
  discoverySchema,
  errorsSchema,
  postAnswerSchema,
  requestsSchema,
  serviceDefinitionSchema,
  serviceListSchema,
  tokenAnswerSchema,
} from './support/georeport-v2-schemas.js';
import { xmlAsJson } from './support/georeport-xml.js';

type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: InstanceType<AjvClass>) => unknown;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

/**
 * Open311 GeoReport v2 to the letter (issue #16): every answer checked against the spec's schemas
 * (support/georeport-v2-schemas.ts), in JSON and, read by support/georeport-xml.ts, in XML; and the
 * deviations the outside tester found.
 */
describe("Open311 GeoReport v2: every answer against the spec's schemas", function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let root: string;
  let apiKey: string;
  const checked: string[] = [];

  /** GETs or POSTs a resource, checks its JSON against `schema`, and returns it. */
  async function answer(method: string, path: string, schema: object, status: number, body?: Record<string, string>): Promise<unknown> {
    const res = await fetch(`${root}/open311/v2${path}`, {
      method,
      ...(body ? { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() } : {}),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text.slice(0, 300)}`).to.equal(status);
    const json: unknown = JSON.parse(text);
    const validate = ajv.compile(schema);
    expect(validate(json), `${method} ${path}: ${JSON.stringify(validate.errors)} in ${text.slice(0, 300)}`).to.equal(true);
    checked.push(`${method} ${path}`);
    // the same resource as XML: the same status, and the answer it stands for matches the same schema
    const xmlPath = path.replace(/\.json(?=\?|$)/, '.xml');
    if (xmlPath !== path) {
      const x = await fetch(`${root}/open311/v2${xmlPath}`, {
        method,
        ...(body ? { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() } : {}),
      });
      const xml = await x.text();
      expect(x.status, `${method} ${xmlPath}: ${xml.slice(0, 300)}`).to.equal(status);
      expect(x.headers.get('content-type'), `${method} ${xmlPath}`).to.match(/^text\/xml|^application\/xml/);
      const read = xmlAsJson(xml, schema);
      expect(validate(read), `${method} ${xmlPath}: ${JSON.stringify(validate.errors)} in ${xml.slice(0, 400)}`).to.equal(true);
      checked.push(`${method} ${xmlPath}`);
    }
    return json;
  }

  const form = (over: Record<string, string> = {}) => ({
    api_key: apiKey,
    service_code: 'BJ-0101',
    lat: '25.6006',
    long: '103.8217',
    description: '井盖缺失',
    ...over,
  });

  before(async () => {
    api = await openApiWorld();
    root = api.base.replace(/\/api$/, '');
    const created = await api.call<{ apiKey: string }>('POST', '/admin/open311-clients', { token: await api.login('admin'), body: { name: '规范测试' } });
    apiKey = created.body.apiKey;
  });
  after(() => api?.close());

  it('given discovery, when read as JSON and XML, then it names this endpoint, the spec and both formats', async () => {
    const d = (await answer('GET', '/discovery.json', discoverySchema, 200)) as { endpoints: Array<{ url: string }> };
    expect(d.endpoints[0]!.url).to.equal(`${root}/open311/v2/`);
    const x = await fetch(`${root}/open311/v2/discovery.xml`);
    expect(x.status).to.equal(200);
    const parsed = new XMLParser().parse(await x.text()) as {
      discovery: { endpoints: { endpoint: { specification: string; formats: { format: string[] } } } };
    };
    expect(parsed.discovery.endpoints.endpoint.specification).to.equal('http://wiki.open311.org/GeoReport_v2');
    expect(parsed.discovery.endpoints.endpoint.formats.format).to.deep.equal(['text/xml', 'application/json']);
  });

  it('given the service list and a definition, when read, then they match the spec', async () => {
    const services = (await answer('GET', '/services.json', serviceListSchema, 200)) as Array<{ service_code: string; metadata: boolean }>;
    const withMetadata = services.find((s) => s.metadata)!;
    await answer('GET', `/services/${withMetadata.service_code}.json`, serviceDefinitionSchema, 200);
    await answer('GET', '/services/NOPE-9.json', errorsSchema, 404);
  });

  it('given a POST, when answered, then it carries service_request_id and not token, and account_id only when sent', async () => {
    const [plain] = (await answer('POST', '/requests.json', postAnswerSchema, 201, form())) as Array<Record<string, unknown>>;
    expect(plain).to.have.property('service_request_id');
    expect(plain).to.not.have.property('account_id');
    const [withAccount] = (await answer('POST', '/requests.json', postAnswerSchema, 201, form({ account_id: 'acct-1' }))) as Array<Record<string, unknown>>;
    expect(withAccount!['account_id']).to.equal('acct-1');
  });

  it('given an unknown service_code, when posted, then 404 (the spec\'s "service_code … not found"); a body we cannot read is 400, not 413/415', async () => {
    await answer('POST', '/requests.json', errorsSchema, 404, form({ service_code: 'NOPE-9' }));
    const plain = await fetch(`${root}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(plain.status).to.equal(400);
    const huge = await fetch(`${root}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `api_key=${apiKey}&description=${'x'.repeat(70_000)}`,
    });
    expect(huge.status).to.equal(400);
    expect(ajv.validate(errorsSchema, await huge.json())).to.equal(true);
  });

  it('given empty optional parameters, when listing, reading and posting, then they are treated as absent', async () => {
    const [posted] = (await answer(
      'POST',
      '/requests.json',
      postAnswerSchema,
      201,
      form({ description: '', email: '', device_id: '', jurisdiction_id: '' }),
    )) as Array<{ service_request_id: string }>;
    const row = (await Cases.findOne({ where: { caseNo: posted!.service_request_id } }))!;
    const type = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!;
    expect(row.description, 'no description: the service name stands in').to.equal(type.name);
    for (const query of [
      'service_code=',
      'status=',
      'start_date=&end_date=',
      'service_request_id=',
      'jurisdiction_id=',
      'service_code=&status=&jurisdiction_id=',
    ]) {
      await answer('GET', `/requests.json?${query}`, requestsSchema, 200);
    }
    await answer('GET', '/services.json?jurisdiction_id=', serviceListSchema, 200);
    await answer('GET', `/requests/${posted!.service_request_id}.json?jurisdiction_id=`, requestsSchema, 200);
  });

  it("given jurisdiction_id in the query contradicting the body's, when posted, then 400 and nothing filed", async () => {
    const before = await Cases.count();
    const res = await fetch(`${root}/open311/v2/requests.json?jurisdiction_id=a.example.gov`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form({ jurisdiction_id: 'b.example.gov' })).toString(),
    });
    expect(res.status).to.equal(400);
    expect(ajv.validate(errorsSchema, await res.json())).to.equal(true);
    expect(await Cases.count()).to.equal(before);
  });

  it('given lists, a single request, a token and errors, when read, then each matches the spec', async () => {
    const [posted] = (await answer('POST', '/requests.json', postAnswerSchema, 201, form({ account_id: 'acct-2' }))) as Array<{ service_request_id: string }>;
    await answer('GET', '/requests.json', requestsSchema, 200);
    await answer('GET', `/requests.json?service_request_id=${posted!.service_request_id}`, requestsSchema, 200);
    await answer('GET', '/requests.json?status=open&service_code=BJ-0101', requestsSchema, 200);
    await answer('GET', `/requests/${posted!.service_request_id}.json`, requestsSchema, 200);
    const row = (await Cases.findOne({ where: { caseNo: posted!.service_request_id } }))!;
    const token = (await Open311Requests.findByPk(row.id))!.token;
    await answer('GET', `/tokens/${token}.json`, tokenAnswerSchema, 200);
    await answer('GET', '/tokens/AAAAAAAAAAAAAAAAAAAAAAAA.json', errorsSchema, 404);
    await answer('GET', '/requests/ZY20000101-9999.json', errorsSchema, 404);
    await answer('GET', '/requests.json?start_date=yesterday', errorsSchema, 400);
    await answer('POST', '/requests.json', errorsSchema, 403, form({ api_key: 'wrong' }));
    await answer('GET', '/requests/%E0%A4%A.json', errorsSchema, 400);
    expect(checked.length).to.be.greaterThan(20);
  });
});
