import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { AuditRecords, FormVersions, ProcessDrafts, ProcessVersions } from '../support/tables.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const FORMS = new URL('../../forms/', import.meta.url);
const productForms = readdirSync(FORMS)
  .filter((f) => f.endsWith('.form'))
  .map((f) => f.replace(/\.form$/, ''))
  .sort();
const ACCEPT_TEXT = readFileSync(new URL('case-accept.form', FORMS), 'utf8');
const accept = () => JSON.parse(ACCEPT_TEXT) as { id: string; components: Array<Record<string, unknown>>; [k: string]: unknown };

/** A small form-js form: a text field and a required radio. */
function smallForm(id: string, label = '处理意见'): Record<string, unknown> {
  return {
    type: 'default',
    id,
    schemaVersion: 19,
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.8.0',
    components: [
      { type: 'textarea', id: 'Field_note', key: 'note', label, validate: { required: true, maxLength: 500 } },
      {
        type: 'radio',
        id: 'Field_ok',
        key: 'ok',
        label: '是否办结',
        values: [
          { label: '是', value: 'yes' },
          { label: '否', value: 'no' },
        ],
      },
    ],
  };
}

async function adminSnapshot(): Promise<string> {
  const forms = await FormVersions.findAll({ attributes: ['formId', 'version', 'checksum'], order: [['id', 'ASC']] });
  return JSON.stringify({
    api: await snapshot(),
    forms: forms.map((f) => f),
    processes: await ProcessVersions.count(),
    drafts: await ProcessDrafts.count(),
  });
}

describe('api / admin: forms (versions, read, deploy)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let admin: string;
  let auditor: string;

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    auditor = await api.login('auditor');
  });
  after(() => api.close());

  it('given the system started, when an admin lists forms, then every product form is there as version 1, deployed by system', async () => {
    const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/forms', { token: admin });
    expect(res.status).to.equal(200);
    expect(res.body.map((f) => f['formId']).sort()).to.deep.equal(productForms);
    for (const f of res.body) expect(f, String(f['formId'])).to.deep.include({ latestVersion: 1, versionCount: 1 });
    const versions = await api.call<Array<Record<string, unknown>>>('GET', '/admin/forms/case-accept/versions', { token: auditor });
    expect(versions.body).to.have.length(1);
    expect(versions.body[0]).to.deep.include({ version: 1, deployedBy: 'system', checksum: sha256(ACCEPT_TEXT) });
    expect(versions.body[0]!['formKey']).to.match(/^[0-9]+$/);
    expect(await AuditRecords.count({ where: { action: 'form.deployed', actor: 'system' } })).to.equal(productForms.length);
  });

  it('given a deployed form, when a version is read (by number and as latest), then it is the form JSON as deployed', async () => {
    for (const v of ['1', 'latest']) {
      const res = await fetch(`${api.base}/admin/forms/case-accept/versions/${v}`, { headers: { Authorization: `Bearer ${auditor}` } });
      expect(res.status, v).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.text()).to.equal(ACCEPT_TEXT);
    }
  });

  it('given an unknown form or version, when read, then 404 form_not_found / version_not_found; a bad version 400', async () => {
    const cases: Array<[string, number, string]> = [
      ['/admin/forms/no-such-form/versions', 404, 'form_not_found'],
      ['/admin/forms/no-such-form/versions/latest', 404, 'form_not_found'],
      ['/admin/forms/case-accept/versions/7', 404, 'version_not_found'],
      ['/admin/forms/case-accept/versions/-1', 400, 'invalid_input'],
      ['/admin/forms/case-accept/versions/first', 400, 'invalid_input'],
    ];
    for (const [path, status, code] of cases) {
      const res = await api.call('GET', path, { token: admin });
      expect([res.status, res.body['code']], path).to.deep.equal([status, code]);
    }
  });

  it('given a changed product form, when an admin deploys it, then 201 version 2, recorded with who, audited; the same again 200 unchanged', async () => {
    const changed = accept();
    (changed.components[1] as Record<string, unknown>)['label'] = '受理意见（新）';
    const res = await api.call<Record<string, unknown>>('POST', '/admin/forms/case-accept/deploy', { token: admin, body: { schema: changed } });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.include({ formId: 'case-accept', version: 2, isNew: true });
    const formKey = String(res.body['formKey']);
    expect(formKey).to.match(/^[0-9]+$/);
    const versions = await api.call<Array<Record<string, unknown>>>('GET', '/admin/forms/case-accept/versions', { token: admin });
    expect(versions.body.map((v) => [v['version'], v['deployedBy']])).to.deep.equal([
      [2, 'admin'],
      [1, 'system'],
    ]);
    const latest = await api.call<Record<string, unknown>>('GET', '/admin/forms/case-accept/versions/latest', { token: admin });
    expect(latest.body).to.deep.equal(changed);
    const audit = await AuditRecords.findAll({ where: { action: 'form.deployed', actor: 'admin' } });
    expect(audit.map((a) => [a.actorRole, a.detail?.['formId'], a.detail?.['version'], a.detail?.['formKey']])).to.deep.equal([
      ['admin', 'case-accept', 2, formKey],
    ]);

    const rows = await FormVersions.count();
    const again = await api.call<Record<string, unknown>>('POST', '/admin/forms/case-accept/deploy', { token: admin, body: { schema: changed } });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal({ formId: 'case-accept', version: 2, formKey, isNew: false });
    expect(await FormVersions.count()).to.equal(rows);
    expect(await AuditRecords.count({ where: { action: 'form.deploy_unchanged' } })).to.equal(1);
    const list = await api.call<Array<Record<string, unknown>>>('GET', '/admin/forms', { token: admin });
    expect(list.body.find((f) => f['formId'] === 'case-accept')).to.deep.include({ latestVersion: 2, versionCount: 2 });
  });

  it('given a new form, when deployed, then it is version 1 of a new form id', async () => {
    const res = await api.call<Record<string, unknown>>('POST', '/admin/forms/h3-new-form/deploy', {
      token: admin,
      body: { schema: smallForm('h3-new-form') },
    });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.include({ formId: 'h3-new-form', version: 1 });
    expect((await api.call<Array<Record<string, unknown>>>('GET', '/admin/forms/h3-new-form/versions', { token: auditor })).body).to.have.length(1);
  });

  it('given forms that are not well-formed, when deployed, then 422 form_definition_invalid naming each problem, nothing written', async () => {
    const before = await adminSnapshot();
    const dupKey = smallForm('h3-bad');
    (dupKey['components'] as Array<Record<string, unknown>>)[1]!['key'] = 'note';
    const dupId = smallForm('h3-bad');
    (dupId['components'] as Array<Record<string, unknown>>)[1]!['id'] = 'Field_note';
    const nested = smallForm('h3-bad');
    (nested['components'] as Array<Record<string, unknown>>).push({
      type: 'group',
      id: 'Group_1',
      label: '组',
      components: [{ type: 'textfield', id: 'Field_inner', key: 'note', label: 'x' }],
    });
    const noType = smallForm('h3-bad');
    delete (noType['components'] as Array<Record<string, unknown>>)[0]!['type'];
    const cases: Array<[string, unknown, string]> = [
      ["an id that is not the path's", smallForm('someone-else'), '/id'],
      ['type not default', { ...smallForm('h3-bad'), type: 'custom' }, '/'],
      ['no components', { type: 'default', id: 'h3-bad', schemaVersion: 19 }, '/'],
      ['components not an array', { ...smallForm('h3-bad'), components: { a: 1 } }, '/'],
      ['no schemaVersion', { type: 'default', id: 'h3-bad', components: [] }, '/'],
      ['two fields on one key', dupKey, '/components/1/key'],
      ['two components with one id', dupId, '/components/1/id'],
      ['a key reused inside a group', nested, '/components/2/components/0/key'],
      ['a component without type', noType, '/components/0/type'],
      ['a component that is no object', { ...smallForm('h3-bad'), components: ['text'] }, '/components/0'],
      [
        'a FEEL max length the server cannot check',
        { ...smallForm('h3-bad'), components: [{ type: 'textfield', id: 'F', key: 'k', label: 'k', validate: { maxLength: '=limit' } }] },
        '/',
      ],
    ];
    for (const [what, schema, path] of cases) {
      const res = await api.call<{ code: string; details?: { errors: Array<{ path: string; message: string }> } }>('POST', '/admin/forms/h3-bad/deploy', {
        token: admin,
        body: { schema },
      });
      expect([res.status, res.body.code], what).to.deep.equal([422, 'form_definition_invalid']);
      expect(
        res.body.details?.errors.map((e) => e.path),
        what,
      ).to.include(path);
    }
    expect(await adminSnapshot()).to.equal(before);
    expect((await api.call('GET', '/admin/forms/h3-bad/versions', { token: admin })).status).to.equal(404);
  });

  it('given malformed requests, when deployed, then 4xx with a code and nothing written', async () => {
    const before = await adminSnapshot();
    const cases: Array<[string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string]> = [
      ['schema missing', 'h3-bad', { body: {} }, 400, 'invalid_input'],
      ['schema a string', 'h3-bad', { body: { schema: JSON.stringify(smallForm('h3-bad')) } }, 400, 'invalid_input'],
      ['schema an array', 'h3-bad', { body: { schema: [] } }, 400, 'invalid_input'],
      ['an extra field', 'h3-bad', { body: { schema: smallForm('h3-bad'), publish: true } }, 400, 'invalid_input'],
      ['malformed JSON', 'h3-bad', { raw: '{"schema": {' }, 400, 'bad_json'],
      ['not JSON', 'h3-bad', { raw: 'schema=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
      ['a form id with a quote', "h3'bad", { body: { schema: smallForm("h3'bad") } }, 400, 'invalid_input'],
      ['a form id with HTML', encodeURIComponent('<script>'), { body: { schema: smallForm('<script>') } }, 400, 'invalid_input'],
      ['a huge form', 'h3-bad', { body: { schema: { ...smallForm('h3-bad'), padding: 'x'.repeat(600 * 1024) } } }, 422, 'form_definition_invalid'],
      ['a body over 4 MB', 'h3-bad', { body: { schema: { ...smallForm('h3-bad'), padding: 'x'.repeat(4 * 1024 * 1024) } } }, 413, 'payload_too_large'],
    ];
    for (const [what, formId, options, status, code] of cases) {
      const res = await api.call('POST', `/admin/forms/${formId}/deploy`, { token: admin, ...options });
      expect([res.status, res.body['code']], what).to.deep.equal([status, code]);
    }
    expect(await adminSnapshot()).to.equal(before);
  });

  describe('roles', () => {
    const READS = ['/admin/forms', '/admin/forms/case-accept/versions', '/admin/forms/case-accept/versions/latest'];

    it('given no token, when any form endpoint is called, then 401 and nothing changes', async () => {
      const before = await adminSnapshot();
      for (const path of READS) expect((await api.call('GET', path, { token: null })).status, path).to.equal(401);
      expect((await api.call('POST', '/admin/forms/h3-roles/deploy', { token: null, body: { schema: smallForm('h3-roles') } })).status).to.equal(401);
      expect(await adminSnapshot()).to.equal(before);
    });

    it('given every role but admin and auditor, when any form endpoint is called, then 403 and nothing changes; an auditor reads but cannot deploy', async () => {
      const users = ['operator', 'clerk', 'dept_leader', 'gridworker', 'leader'];
      const tokens = new Map<string, string>();
      for (const user of users) tokens.set(user, await api.login(user));
      const before = await adminSnapshot();
      for (const user of users) {
        const token = tokens.get(user)!;
        for (const path of READS) expect((await api.call('GET', path, { token })).status, `${user} ${path}`).to.equal(403);
        const res = await api.call('POST', '/admin/forms/h3-roles/deploy', { token, body: { schema: smallForm('h3-roles') } });
        expect([res.status, res.body['code']], user).to.deep.equal([403, 'forbidden']);
      }
      for (const path of READS) expect((await api.call('GET', path, { token: auditor })).status, `auditor ${path}`).to.equal(200);
      const res = await api.call('POST', '/admin/forms/h3-roles/deploy', { token: auditor, body: { schema: smallForm('h3-roles') } });
      expect([res.status, res.body['code']]).to.deep.equal([403, 'forbidden']);
      expect(await adminSnapshot()).to.equal(before);
    });
  });

  it('given the API document, when read, then it lists the form administration paths', async () => {
    const res = await api.call<{ paths: Record<string, unknown> }>('GET', '/docs');
    expect(Object.keys(res.body.paths)).to.include.members([
      '/admin/forms',
      '/admin/forms/{formId}/versions',
      '/admin/forms/{formId}/versions/{version}',
      '/admin/forms/{formId}/deploy',
    ]);
  });
});
