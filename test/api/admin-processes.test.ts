import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditRecords, FormVersions, ProcessDrafts, ProcessVersions } from '../support/tables.js';
import { processXmlOfDefinition } from '../../domain/processes/index.js';
import { deployProduct } from '../../domain/processes/product-resources.js';
import { createJobHandlers } from '../../workers/registry.js';
import { testDeps } from '../support/case-fixtures.js';
import { openProcessWorld } from '../processes/support/process-harness.js';
import { BPMN_NS, probeProcess } from '../support/probe-process.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const GENERIC_XML = readFileSync(new URL('../../processes/case-generic.bpmn', import.meta.url), 'utf8');

/**
 * A small process that passes every lint: start → `task` → end, with a diagram. `task` is a manual task (the
 * engine completes it at once), so an instance of it runs to its end without any worker.
 */
function probe(processId: string, options: { taskName?: string; taskXml?: string; taskType?: string; extra?: string } = {}): string {
  return probeProcess({
    processId,
    processName: '探针流程',
    names: { start: '开始', task: options.taskName ?? '处理', end: '结束' },
    taskType: options.taskType ?? 'bpmn:manualTask',
    ...(options.taskXml !== undefined ? { taskXml: options.taskXml } : {}),
    ...(options.extra !== undefined ? { extra: options.extra } : {}),
  });
}

/**
 * The product folder as it was deployed at start, rebuilt from the recorded versions: a "restart" redeploys
 * exactly that (the files themselves may be edited while the suite runs).
 */
const tempRoots: string[] = [];
after(() => {
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

async function productAsDeployed(): Promise<URL> {
  const root = mkdtempSync(join(tmpdir(), 'h3-product-'));
  tempRoots.push(root);
  mkdirSync(join(root, 'processes'));
  mkdirSync(join(root, 'forms'));
  for (const v of await ProcessVersions.findAll({ where: { deployedBy: 'system' } })) writeFileSync(join(root, 'processes', v.resourceName), v.xml);
  for (const f of await FormVersions.findAll({ where: { deployedBy: 'system' } })) writeFileSync(join(root, 'forms', `${f.formId}.form`), f.schema);
  return pathToFileURL(`${root}/`);
}

/** What a refused process/form request must leave untouched, beside the API snapshot (audit included). */
async function adminSnapshot(): Promise<string> {
  const versions = await ProcessVersions.findAll({ attributes: ['processId', 'version', 'checksum'], order: [['id', 'ASC']] });
  const drafts = await ProcessDrafts.findAll({ order: [['processId', 'ASC']] });
  const forms = await FormVersions.count();
  return JSON.stringify({ api: await snapshot(), versions: versions.map((v) => v), drafts: drafts.map((d) => d), forms });
}

describe('api / admin: process definitions (versions, drafts, lint, deploy, diff, element templates)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let admin: string;
  let auditor: string;

  /** GET returning text (the XML endpoints answer application/xml). */
  async function getText(path: string, token: string | null): Promise<{ status: number; type: string; text: string }> {
    const res = await fetch(`${api.base}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    auditor = await api.login('auditor');
  });
  after(() => api.close());

  describe('the product deploy at start', () => {
    it('given the system started, when an admin lists processes, then every product process is there as version 1 deployed by system', async () => {
      const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/processes', { token: admin });
      expect(res.status).to.equal(200);
      const generic = res.body.find((p) => p['processId'] === 'case-generic');
      expect(generic).to.deep.include({ latestVersion: 1, versionCount: 1, hasDraft: false });
      expect(res.body.map((p) => p['processId'])).to.include.members([
        'case-generic',
        'case-handling',
        'case-emergency',
        'case-dispute',
        'case-illegal-building',
      ]);
      const versions = await api.call<Array<Record<string, unknown>>>('GET', '/admin/processes/case-generic/versions', { token: auditor });
      expect(versions.status).to.equal(200);
      expect(versions.body).to.have.length(1);
      expect(versions.body[0]).to.deep.include({ version: 1, deployedBy: 'system', checksum: sha256(GENERIC_XML) });
      expect(versions.body[0]!['processDefinitionKey']).to.match(/^[0-9]+$/);
      expect(await AuditRecords.count({ where: { action: 'process.deployed', actor: 'system' } })).to.equal(res.body.length);
    });

    it('given the product deployed once, when it is deployed again unchanged (a restart), then no version and no audit record is added', async () => {
      const before = await adminSnapshot();
      const result = await deployProduct(api.world.port, await productAsDeployed());
      expect(result.processes.find((p) => p.bpmnProcessId === 'case-generic')?.version).to.equal(1);
      expect(await adminSnapshot()).to.equal(before);
    });

    it('given a deployed version, when its XML is read (by number and as latest), then it is the file as deployed, as application/xml', async () => {
      for (const v of ['1', 'latest']) {
        const res = await getText(`/admin/processes/case-generic/versions/${v}/xml`, auditor);
        expect(res.status, v).to.equal(200);
        expect(res.type).to.match(/^application\/xml/);
        expect(res.text).to.equal(GENERIC_XML);
      }
    });

    it("given the engine key of a version, when processXmlOfDefinition is asked, then it returns that version's XML (null for an unknown key)", async () => {
      const row = await ProcessVersions.findOne({ where: { processId: 'case-generic', version: 1 } });
      expect(await processXmlOfDefinition(row!.processDefinitionKey)).to.equal(GENERIC_XML);
      expect(await processXmlOfDefinition('999999999999')).to.equal(null);
    });

    it('given an unknown process or version, when read, then 404 with process_not_found / version_not_found', async () => {
      expect((await api.call('GET', '/admin/processes/no-such-process/versions', { token: admin })).body).to.deep.include({ code: 'process_not_found' });
      const missing = await api.call('GET', '/admin/processes/case-generic/versions/99/xml', { token: admin });
      expect([missing.status, missing.body['code']]).to.deep.equal([404, 'version_not_found']);
      const bad = await api.call('GET', '/admin/processes/case-generic/versions/0/xml', { token: admin });
      expect([bad.status, bad.body['code']]).to.deep.equal([400, 'invalid_input']);
    });
  });

  describe('lint', () => {
    it('given a diagram that satisfies every rule, when linted, then no problem is reported', async () => {
      const res = await api.call<{ problems: unknown[]; rulesOff: Array<{ rule: string }> }>('POST', '/admin/lint', {
        token: admin,
        body: { xml: probe('h3-lint-ok') },
      });
      expect(res.status).to.equal(200);
      expect(res.body.problems).to.deep.equal([]);
      expect(res.body.rulesOff.map((r) => r.rule)).to.deep.equal(['no-inclusive-gateway']);
    });

    it('given a diagram with problems of every source, when an auditor lints it, then each problem names element, severity, rule and source', async () => {
      const xml = probe('h3-lint-bad', { taskType: 'bpmn:complexGateway', taskName: '' });
      const res = await api.call<{ problems: Array<Record<string, unknown>> }>('POST', '/admin/lint', { token: auditor, body: { xml } });
      expect(res.status).to.equal(200);
      const rows = res.body.problems.map((p) => `${p['source']}|${p['rule']}|${p['elementId']}|${p['severity']}`);
      expect(rows).to.include('recommended|no-complex-gateway|task|warning');
      expect(rows).to.include('camunda-compat|camunda-compat/element-type|task|error');
      expect(
        rows.some((r) => r.startsWith('engine|engine/supported|task|error')),
        rows.join('\n'),
      ).to.equal(true);
      for (const p of res.body.problems) expect(p['message']).to.be.a('string').and.not.equal('');
    });

    it('given a call activity to a process that is not deployed, when linted, then the engine source reports it on the call activity', async () => {
      const xml = probe('h3-lint-call', {
        taskType: 'bpmn:callActivity',
        taskXml: '<bpmn:extensionElements><zeebe:calledElement processId="nowhere-process" propagateAllChildVariables="false" /></bpmn:extensionElements>',
      });
      const res = await api.call<{ problems: Array<Record<string, unknown>> }>('POST', '/admin/lint', { token: admin, body: { xml } });
      expect(res.body.problems.filter((p) => p['source'] === 'engine').map((p) => [p['elementId'], p['rule']])).to.deep.equal([
        ['task', 'engine/called-process'],
      ]);
      const ok = await api.call<{ problems: unknown[] }>('POST', '/admin/lint', {
        token: admin,
        body: { xml: xml.replace('nowhere-process', 'case-handling') },
      });
      expect(ok.body.problems).to.deep.equal([]);
    });

    it('given what is no diagram (text, DOCTYPE with entities, 2 MB+), when linted, then 400/413 with a code', async () => {
      const cases: Array<[string, string, number, string]> = [
        ['plain text', 'hello world', 400, 'not_bpmn'],
        ['other XML', '<note><to>x</to></note>', 400, 'not_bpmn'],
        [
          'a DOCTYPE with an entity',
          `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${probe('h3-x').replace(/^<\?xml[^>]*>/, '')}`,
          400,
          'xml_doctype',
        ],
        ['an external entity', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d>&xxe;</d>`, 400, 'xml_doctype'],
        ['XML over 2 MB', probe('h3-big').replace('<bpmn:process', `<!--${'x'.repeat(2 * 1024 * 1024)}--><bpmn:process`), 413, 'xml_too_large'],
      ];
      for (const [what, xml, status, code] of cases) {
        const res = await api.call('POST', '/admin/lint', { token: admin, body: { xml } });
        expect([res.status, res.body['code']], what).to.deep.equal([status, code]);
      }
    });
  });

  describe('deploy and diff', () => {
    let v1Key: string;

    it('given a new diagram that passes lint, when an admin deploys it, then 201 version 1, recorded with who, audited, and the engine runs it', async () => {
      const auditBefore = await AuditRecords.count();
      const res = await api.call<Record<string, unknown>>('POST', '/admin/processes/deploy', { token: admin, body: { xml: probe('h3-probe') } });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.include({ processId: 'h3-probe', version: 1, isNew: true });
      v1Key = String(res.body['processDefinitionKey']);
      expect(v1Key).to.match(/^[0-9]+$/);
      const versions = await api.call<Array<Record<string, unknown>>>('GET', '/admin/processes/h3-probe/versions', { token: admin });
      expect(versions.body).to.have.length(1);
      expect(versions.body[0]).to.deep.include({ version: 1, deployedBy: 'admin', processDefinitionKey: v1Key, checksum: sha256(probe('h3-probe')) });
      const audit = await AuditRecords.findAll({ where: { action: 'process.deployed', actor: 'admin' } });
      expect(audit.map((a) => a.detail)).to.deep.equal([
        { processId: 'h3-probe', version: 1, processDefinitionKey: v1Key, resource: 'h3-probe.bpmn', checksum: sha256(probe('h3-probe')) },
      ]);
      expect(audit[0]!.actorRole).to.equal('admin');
      expect(await AuditRecords.count()).to.equal(auditBefore + 1);
      const started = await api.world.port.createInstance({ bpmnProcessId: 'h3-probe' });
      expect([started.processDefinitionKey, started.version]).to.deep.equal([v1Key, 1]);
      const list = await api.call<Array<Record<string, unknown>>>('GET', '/admin/processes', { token: admin });
      expect(list.body.find((p) => p['processId'] === 'h3-probe')).to.deep.include({ name: '探针流程', latestVersion: 1, versionCount: 1 });
    });

    it('given the same XML again, when deployed, then 200 with the existing version and no new version row (the deploy is still audited)', async () => {
      const rows = await ProcessVersions.count();
      const res = await api.call<Record<string, unknown>>('POST', '/admin/processes/deploy', { token: admin, body: { xml: probe('h3-probe') } });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ processId: 'h3-probe', version: 1, processDefinitionKey: v1Key, isNew: false });
      expect(await ProcessVersions.count()).to.equal(rows);
      expect(await AuditRecords.count({ where: { action: 'process.deploy_unchanged', actor: 'admin' } })).to.equal(1);
    });

    it('given a changed diagram, when deployed, then version 2; the diff of 1 → 2 names what was added, removed, changed and moved', async () => {
      // v2: the task renamed, a second task between it and the end (f2 retargeted, f3 new), the end moved right
      const v2 = probe('h3-probe', { taskName: '核实处理' })
        .replace(
          '<bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />',
          '<bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="task2" /><bpmn:manualTask id="task2" name="复核"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:manualTask><bpmn:sequenceFlow id="f3" sourceRef="task2" targetRef="end" />',
        )
        .replace('<bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>', '<bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>')
        .replace('<dc:Bounds x="400" y="100" width="36"', '<dc:Bounds x="500" y="100" width="36"')
        .replace(
          '</bpmndi:BPMNPlane>',
          '<bpmndi:BPMNShape id="task2_di" bpmnElement="task2"><dc:Bounds x="350" y="100" width="100" height="80" /></bpmndi:BPMNShape>' +
            '<bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="450" y="118" /><di:waypoint x="500" y="118" /></bpmndi:BPMNEdge></bpmndi:BPMNPlane>',
        )
        .replace('<di:waypoint x="300" y="118" /><di:waypoint x="400" y="118" />', '<di:waypoint x="300" y="118" /><di:waypoint x="350" y="118" />');
      const res = await api.call<Record<string, unknown>>('POST', '/admin/processes/deploy', { token: admin, body: { xml: v2 } });
      expect([res.status, res.body['version']]).to.deep.equal([201, 2]);
      expect(res.body['processDefinitionKey']).to.not.equal(v1Key);
      const diff = await api.call<Record<string, Array<Record<string, unknown>>>>('GET', '/admin/processes/h3-probe/diff?from=1&to=2', { token: auditor });
      expect(diff.status).to.equal(200);
      expect(diff.body['added']!.map((a) => [a['id'], a['type'], a['name']]).sort()).to.deep.equal([
        ['f3', 'bpmn:SequenceFlow', null],
        ['task2', 'bpmn:ManualTask', '复核'],
      ]);
      expect(diff.body['removed']).to.deep.equal([]);
      const changed = diff.body['changed']!.find((c) => c['id'] === 'task');
      expect(changed).to.deep.include({ type: 'bpmn:ManualTask', name: '核实处理' });
      expect((changed!['attrs'] as Record<string, unknown>)['name']).to.deep.equal({ oldValue: '处理', newValue: '核实处理' });
      expect(diff.body['layoutChanged']!.map((l) => l['id'])).to.include('end');
      const back = await api.call<Record<string, Array<Record<string, unknown>>>>('GET', '/admin/processes/h3-probe/diff?from=latest&to=1', { token: admin });
      expect(back.body['removed']!.map((r) => r['id']).sort()).to.deep.equal(['f3', 'task2']);
      const f2 = diff.body['changed']!.find((c) => c['id'] === 'f2');
      expect((f2!['attrs'] as Record<string, unknown>)['targetRef']).to.deep.equal({ oldValue: 'end', newValue: 'task2' });
    });

    it("given a changed job type inside a service task, when two versions are diffed, then the change shows in the task's extensionElements", async () => {
      const job = (type: string) => `<bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="3" /></bpmn:extensionElements>`;
      for (const type of ['case-record', 'case-close']) {
        const res = await api.call('POST', '/admin/processes/deploy', {
          token: admin,
          body: { xml: probe('h3-jobs', { taskType: 'bpmn:serviceTask', taskXml: job(type) }) },
        });
        expect(res.status, type).to.equal(201);
      }
      const diff = await api.call<{ changed: Array<{ id: string; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }> }>(
        'GET',
        '/admin/processes/h3-jobs/diff?from=1&to=2',
        { token: admin },
      );
      const ext = diff.body.changed.find((c) => c.id === 'task')?.attrs['extensionElements'];
      expect(JSON.stringify(ext?.oldValue)).to.contain('"type":"case-record"');
      expect(JSON.stringify(ext?.newValue)).to.contain('"type":"case-close"');
    });

    it('given a diagram with lint errors, when deployed, then 422 lint_failed with the problems, and nothing is deployed or written', async () => {
      const before = await adminSnapshot();
      const xml = probe('h3-probe', { taskType: 'bpmn:serviceTask', taskName: '新版' });
      const res = await api.call<{ code: string; details: { problems: Array<Record<string, unknown>> } }>('POST', '/admin/processes/deploy', {
        token: admin,
        body: { xml },
      });
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('lint_failed');
      expect(res.body.details.problems.map((p) => [p['elementId'], p['rule']])).to.deep.include(['task', 'camunda-compat/implementation']);
      expect(await adminSnapshot()).to.equal(before);
      const started = await api.world.port.createInstance({ bpmnProcessId: 'h3-probe' });
      expect(started.version, 'the engine still runs version 2').to.equal(2);
    });

    it('given diff versions that do not exist or are malformed, when asked, then 404 / 400', async () => {
      const missing = await api.call('GET', '/admin/processes/h3-probe/diff?from=1&to=9', { token: admin });
      expect([missing.status, missing.body['code']]).to.deep.equal([404, 'version_not_found']);
      const noDraft = await api.call('GET', '/admin/processes/h3-probe/diff?from=1&to=draft', { token: admin });
      expect([noDraft.status, noDraft.body['code']]).to.deep.equal([404, 'draft_not_found']);
      for (const q of ['from=1', 'from=x&to=1', 'from=1&to=2&extra=1']) {
        const res = await api.call('GET', `/admin/processes/h3-probe/diff?${q}`, { token: admin });
        expect([res.status, res.body['code']], q).to.deep.equal([400, 'invalid_input']);
      }
    });
  });

  describe('drafts', () => {
    it('given a draft saved by an admin, when read, then it is there with who and when; the list shows hasDraft; saving again replaces it', async () => {
      const xml = probe('h3-draft', { taskName: '草稿' });
      const put = await api.call<Record<string, unknown>>('PUT', '/admin/processes/h3-draft/draft', { token: admin, body: { xml } });
      expect(put.status).to.equal(200);
      expect(put.body).to.deep.include({ processId: 'h3-draft', xml, savedBy: 'admin' });
      const got = await api.call<Record<string, unknown>>('GET', '/admin/processes/h3-draft/draft', { token: auditor });
      expect(got.body['xml']).to.equal(xml);
      const list = await api.call<Array<Record<string, unknown>>>('GET', '/admin/processes', { token: admin });
      expect(list.body.find((p) => p['processId'] === 'h3-draft')).to.deep.include({ latestVersion: null, versionCount: 0, hasDraft: true });
      const xml2 = probe('h3-draft', { taskName: '草稿二' });
      await api.call('PUT', '/admin/processes/h3-draft/draft', { token: admin, body: { xml: xml2 } });
      expect((await ProcessDrafts.findAll({ where: { processId: 'h3-draft' } })).map((d) => d.xml)).to.deep.equal([xml2]);
      expect(await AuditRecords.count({ where: { action: 'process.draft_saved' } })).to.equal(2);
    });

    it('given a draft, when it is diffed against nothing deployed, then 404; when the draft is deployed as is, then the draft is gone', async () => {
      const diff = await api.call('GET', '/admin/processes/h3-draft/diff?from=latest&to=draft', { token: admin });
      expect([diff.status, diff.body['code']]).to.deep.equal([404, 'process_not_found']);
      const draft = await api.call<Record<string, string>>('GET', '/admin/processes/h3-draft/draft', { token: admin });
      const res = await api.call('POST', '/admin/processes/deploy', { token: admin, body: { xml: draft.body['xml'] } });
      expect(res.status).to.equal(201);
      expect(await ProcessDrafts.findByPk('h3-draft')).to.equal(null);
    });

    it('given a draft, when an admin deletes it, then 204 and it is gone; deleting again 404', async () => {
      await api.call('PUT', '/admin/processes/h3-draft/draft', { token: admin, body: { xml: probe('h3-draft', { taskName: '再改' }) } });
      const diff = await api.call<{ changed: Array<{ id: string }> }>('GET', '/admin/processes/h3-draft/diff?from=latest&to=draft', { token: admin });
      expect(diff.body.changed.map((c) => c.id)).to.deep.equal(['task']);
      const del = await fetch(`${api.base}/admin/processes/h3-draft/draft`, { method: 'DELETE', headers: { Authorization: `Bearer ${admin}` } });
      expect(del.status).to.equal(204);
      expect(await ProcessDrafts.findByPk('h3-draft')).to.equal(null);
      const again = await api.call('DELETE', '/admin/processes/h3-draft/draft', { token: admin });
      expect([again.status, again.body['code']]).to.deep.equal([404, 'draft_not_found']);
    });

    it("given a draft whose process id is not the path's, or no BPMN at all, when saved, then 400 with a code and nothing saved", async () => {
      const before = await adminSnapshot();
      const cases: Array<[string, unknown, string]> = [
        ['another process id', { xml: probe('someone-else') }, 'process_id_mismatch'],
        ['not XML', { xml: 'not xml at all' }, 'not_bpmn'],
        ['no xml field', { diagram: probe('h3-draft') }, 'invalid_input'],
        ['xml not a string', { xml: 42 }, 'invalid_input'],
        ['empty xml', { xml: '' }, 'invalid_input'],
      ];
      for (const [what, body, code] of cases) {
        const res = await api.call('PUT', '/admin/processes/h3-draft/draft', { token: admin, body });
        expect([res.status, res.body['code']], what).to.deep.equal([400, code]);
      }
      expect(await adminSnapshot()).to.equal(before);
    });
  });

  describe('bad input on deploy', () => {
    it('given malformed bodies and documents, when deployed, then 4xx with a code, no 5xx, nothing written or deployed', async () => {
      const before = await adminSnapshot();
      const two = probe('h3-two').replace(
        '</bpmn:definitions>',
        '<bpmn:process id="h3-two-b" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process></bpmn:definitions>',
      );
      const cases: Array<[string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string]> = [
        ['no body', { body: {} }, 400, 'invalid_input'],
        ['xml is a number', { body: { xml: 1 } }, 400, 'invalid_input'],
        ['an unknown field', { body: { xml: probe('h3-bad'), force: true } }, 400, 'invalid_input'],
        ['malformed JSON', { raw: '{"xml": "<a>' }, 400, 'bad_json'],
        ['not JSON', { raw: probe('h3-bad'), headers: { 'Content-Type': 'application/xml' } }, 415, 'unsupported_media_type'],
        ['not XML', { body: { xml: '{"json": true}' } }, 400, 'not_bpmn'],
        ['truncated XML', { body: { xml: probe('h3-bad').slice(0, 400) } }, 400, 'not_bpmn'],
        ['a DOCTYPE', { body: { xml: `<!DOCTYPE bpmn>${probe('h3-bad')}` } }, 400, 'xml_doctype'],
        ['two processes', { body: { xml: two } }, 400, 'one_process'],
        ['no process', { body: { xml: `<bpmn:definitions ${BPMN_NS} id="d" targetNamespace="x"></bpmn:definitions>` } }, 400, 'one_process'],
        ['a process id that is no XML name', { body: { xml: probe('h3 bad id') } }, 400, 'bad_process_id'],
        ['a process without an id', { body: { xml: probe('h3-noid').replace('<bpmn:process id="h3-noid"', '<bpmn:process') } }, 400, 'bad_process_id'],
        ['a process id over 191 characters', { body: { xml: probe(`h3${'a'.repeat(200)}`) } }, 400, 'bad_process_id'],
        ['SQL in the process id', { body: { xml: probe("x'; DROP TABLE process_versions; --") } }, 400, 'bad_process_id'],
        [
          'XML over 2 MB',
          { body: { xml: probe('h3-big').replace('<bpmn:process', `<!--${'y'.repeat(2 * 1024 * 1024 + 10)}--><bpmn:process`) } },
          413,
          'xml_too_large',
        ],
        ['a body over 4 MB', { body: { xml: 'z'.repeat(4 * 1024 * 1024 + 100) } }, 413, 'payload_too_large'],
      ];
      for (const [what, options, status, code] of cases) {
        const res = await api.call('POST', '/admin/processes/deploy', { token: admin, ...options });
        expect([res.status, res.body['code']], what).to.deep.equal([status, code]);
      }
      expect(await adminSnapshot()).to.equal(before);
      for (const id of ['h3-bad', 'h3-two', 'h3-big']) {
        let refused = false;
        try {
          await api.world.port.createInstance({ bpmnProcessId: id });
        } catch {
          refused = true;
        }
        expect(refused, `${id} is not deployed`).to.equal(true);
      }
    });

    it('given Accept-Language: en, when a deploy is refused, then the message is English', async () => {
      const res = await api.call('POST', '/admin/processes/deploy', { token: admin, body: { xml: 'nope' }, headers: { 'Accept-Language': 'en' } });
      expect(res.body).to.deep.equal({ code: 'not_bpmn', message: 'Not a valid BPMN 2.0 XML document' });
      const zh = await api.call('POST', '/admin/processes/deploy', { token: admin, body: { xml: 'nope' } });
      expect(zh.body['message']).to.equal('不是合法的 BPMN 2.0 XML 文档');
    });
  });

  describe('roles', () => {
    const READS: Array<[string, string]> = [
      ['GET', '/admin/processes'],
      ['GET', '/admin/processes/case-generic/versions'],
      ['GET', '/admin/processes/case-generic/versions/latest/xml'],
      ['GET', '/admin/processes/h3-probe/draft'],
      ['GET', '/admin/processes/case-generic/diff?from=1&to=latest'],
      ['GET', '/admin/element-templates'],
    ];
    const WRITES: Array<[string, string, unknown]> = [
      ['POST', '/admin/processes/deploy', { xml: '' }],
      ['PUT', '/admin/processes/h3-probe/draft', { xml: '' }],
      ['DELETE', '/admin/processes/h3-probe/draft', undefined],
    ];

    before(async () => {
      // a draft to delete and a valid document to deploy, so a refusal is the role's doing, not the input's
      await api.call('PUT', '/admin/processes/h3-probe/draft', { token: admin, body: { xml: probe('h3-probe', { taskName: '角色' }) } });
      const valid = { xml: probe('h3-roles') };
      WRITES[0]![2] = valid;
      WRITES[1]![2] = { xml: probe('h3-probe', { taskName: '越权' }) };
    });

    it('given no token or a bad one, when any endpoint is called, then 401 and nothing changes', async () => {
      const before = await adminSnapshot();
      for (const [method, path] of READS) expect((await api.call(method, path, { token: null })).status, path).to.equal(401);
      for (const [method, path, body] of WRITES) {
        expect((await api.call(method, path, { token: null, body })).status, `${method} ${path}`).to.equal(401);
        expect((await api.call(method, path, { token: 'not-a-real-token-at-all', body })).status, `${method} ${path}`).to.equal(401);
      }
      expect((await api.call('POST', '/admin/lint', { token: null, body: { xml: probe('x') } })).status).to.equal(401);
      expect(await adminSnapshot()).to.equal(before);
    });

    it('given every role but admin and auditor, when any endpoint is called, then 403 and nothing changes', async () => {
      const users = ['operator', 'clerk', 'dept_leader', 'gridworker', 'leader'];
      const tokens = new Map<string, string>();
      for (const user of users) tokens.set(user, await api.login(user));
      const before = await adminSnapshot();
      for (const user of users) {
        const token = tokens.get(user)!;
        for (const [method, path] of READS) expect((await api.call(method, path, { token })).status, `${user} ${path}`).to.equal(403);
        for (const [method, path, body] of WRITES) expect((await api.call(method, path, { token, body })).status, `${user} ${method} ${path}`).to.equal(403);
        expect((await api.call('POST', '/admin/lint', { token, body: { xml: probe('x') } })).status, `${user} lint`).to.equal(403);
      }
      expect(await adminSnapshot()).to.equal(before);
    });

    it('given an auditor, when reading, then allowed; when writing, then 403 and nothing changes', async () => {
      const before = await adminSnapshot();
      for (const [method, path] of READS)
        expect(
          (await api.call(method, path.replace('/admin/processes/case-generic/versions/latest/xml', '/admin/processes'), { token: auditor })).status,
          path,
        ).to.equal(200);
      for (const [method, path, body] of WRITES) {
        const res = await api.call(method, path, { token: auditor, body });
        expect([res.status, res.body['code']], `${method} ${path}`).to.deep.equal([403, 'forbidden']);
      }
      expect(await adminSnapshot()).to.equal(before);
      let refused = false;
      try {
        await api.world.port.createInstance({ bpmnProcessId: 'h3-roles' });
      } catch {
        refused = true;
      }
      expect(refused, 'h3-roles was never deployed').to.equal(true);
    });
  });

  describe('element templates', () => {
    it('given the worker registry, when the templates are read, then there is one valid Camunda 8 template per job type, bound to it', async () => {
      const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/element-templates', { token: admin });
      expect(res.status).to.equal(200);
      const types = createJobHandlers(testDeps().deps).map((s) => s.type);
      expect(res.body).to.have.length(types.length);
      for (const [i, template] of res.body.entries()) {
        const result = validateZeebe(template as never);
        expect(result.errors ?? [], `${String(template['id'])}: ${JSON.stringify(result.errors)}`).to.deep.equal([]);
        expect(result.valid).to.equal(true);
        expect(template['$schema']).to.equal('https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json');
        expect(template['elementType']).to.deep.equal({ value: 'bpmn:ServiceTask' });
        const props = template['properties'] as Array<{ binding: Record<string, string>; value?: string; choices?: Array<{ value: string }> }>;
        expect(props.find((p) => p.binding['type'] === 'zeebe:taskDefinition' && p.binding['property'] === 'type')?.value).to.equal(types[i]);
      }
      const deadline = res.body.find((t) => t['id'] === 'ywtg.worker.case-deadline')!;
      const props = deadline['properties'] as Array<{ binding: Record<string, string>; choices?: Array<{ value: string }> }>;
      expect(props.find((p) => p.binding['type'] === 'zeebe:taskHeader' && p.binding['key'] === 'stage')?.choices?.map((c) => c.value)).to.include.members([
        'accept',
        'handle',
        'extra',
      ]);
      expect(props.filter((p) => p.binding['type'] === 'zeebe:input').map((p) => p.binding['name'])).to.deep.equal(['caseId', 'extensionHours']);
      const classify = res.body.find((t) => t['id'] === 'ywtg.worker.case-classify')!;
      expect(
        (classify['properties'] as Array<{ binding: Record<string, string> }>)
          .filter((p) => p.binding['type'] === 'zeebe:output')
          .map((p) => p.binding['source']),
      ).to.deep.equal(['=eventTypeCode', '=category', '=classifyConfidence', '=needsManualAccept']);
    });

    it('given a template broken on purpose, when validated, then the validator refuses it (the check above can fail)', async () => {
      const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/element-templates', { token: admin });
      const broken = structuredClone(res.body.find((t) => t['id'] === 'ywtg.worker.case-deadline')!);
      for (const p of broken['properties'] as Array<Record<string, unknown>>) if (p['type'] === 'Dropdown') delete p['choices'];
      expect(validateZeebe(broken as never).valid).to.equal(false);
    });

    it('given a service task from a template, when its XML is linted and deployed, then it passes and deploys', async () => {
      const res = await api.call<Array<Record<string, unknown>>>('GET', '/admin/element-templates', { token: admin });
      const template = res.body.find((t) => t['id'] === 'ywtg.worker.case-escalate')!;
      const props = template['properties'] as Array<{ binding: Record<string, string>; value?: string }>;
      const type = props.find((p) => p.binding['property'] === 'type')!.value!;
      const level = props.find((p) => p.binding['key'] === 'level')!.value!;
      const xml = probe('h3-template', {
        taskType: 'bpmn:serviceTask',
        taskXml: `<bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="3" /><zeebe:taskHeaders><zeebe:header key="level" value="${level}" /></zeebe:taskHeaders></bpmn:extensionElements>`,
      });
      expect((await api.call<{ problems: unknown[] }>('POST', '/admin/lint', { token: admin, body: { xml } })).body.problems).to.deep.equal([]);
      expect((await api.call('POST', '/admin/processes/deploy', { token: admin, body: { xml } })).status).to.equal(201);
    });
  });

  describe('OpenAPI', () => {
    it('given the API document, when read, then it lists the process administration paths', async () => {
      const res = await api.call<{ paths: Record<string, unknown> }>('GET', '/docs');
      expect(Object.keys(res.body.paths)).to.include.members([
        '/admin/processes',
        '/admin/processes/deploy',
        '/admin/processes/{processId}/versions',
        '/admin/processes/{processId}/versions/{version}/xml',
        '/admin/processes/{processId}/draft',
        '/admin/processes/{processId}/diff',
        '/admin/lint',
        '/admin/element-templates',
      ]);
    });
  });
});

describe("api / admin: versions recorded from the Camunda 8 adapter's deploy result (against the simulation)", function () {
  this.timeout(60_000);

  it('given the product deployed through the Camunda 8 adapter, when deployed again unchanged, then each process and form is recorded once as version 1', async () => {
    const world = await openProcessWorld(new Date(), 'camunda');
    try {
      const versions = await ProcessVersions.findAll({ attributes: ['processId', 'version', 'processDefinitionKey', 'xml'] });
      expect(versions.map((v) => v.processId)).to.include.members(['case-generic', 'case-handling']);
      for (const v of versions) expect(v.version, v.processId).to.equal(1);
      expect(versions.find((v) => v.processId === 'case-generic')?.xml).to.equal(GENERIC_XML);
      expect(await FormVersions.count()).to.be.greaterThan(0);
      const before = await adminSnapshot();
      const again = await deployProduct(world.port, await productAsDeployed());
      expect(await adminSnapshot()).to.equal(before);
      const generic = again.processes.find((p) => p.bpmnProcessId === 'case-generic')!;
      expect(generic.version).to.equal(1);
      expect(await processXmlOfDefinition(generic.processDefinitionKey)).to.equal(GENERIC_XML);
    } finally {
      await world.close();
    }
  });
});
