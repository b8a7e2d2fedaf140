import { expect } from 'chai';
import { ClassifyExamples, ClassifyModels } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** What a refused classifier request must leave untouched: the examples and the model versions. */
async function classifierSnapshot(): Promise<string> {
  const examples = await ClassifyExamples.findAll({ attributes: ['code', 'text', 'label', 'channel', 'source'], order: [['id', 'ASC']] });
  const models = await ClassifyModels.findAll({ attributes: ['id', 'active'], order: [['id', 'ASC']] });
  return JSON.stringify({ examples, models });
}

describe('REST API: the intake classifier (POST /api/classify, /api/admin/classify/*)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api.close());

  describe('POST /api/classify', () => {
    for (const username of ['operator', 'leader', 'admin']) {
      it(`given the centre role of ${username}, when a colloquial report is posted, then the top three candidates with confidence and deciding words, the place and whether it files itself are answered`, async () => {
        const token = await api.login(username);
        const res = await api.call<Record<string, any>>('POST', '/classify', { token, body: { text: '文昌社区楼下那个井盖不见了，晚上走路很危险' } });
        expect(res.status).to.equal(200);
        expect(res.body['method']).to.equal('model');
        expect(res.body['candidates']).to.have.length(3);
        for (const c of res.body['candidates']) {
          expect(c).to.include.keys('code', 'name', 'category', 'confidence', 'words');
          expect(c.confidence).to.be.within(0, 1);
        }
        expect(res.body['candidates'].map((c: { code: string }) => c.code).join(' ')).to.match(/BJ-01/);
        expect(res.body['dispatchable']).to.equal(true);
        expect(res.body['auto']).to.be.a('boolean');
        expect(res.body['place']).to.include({ community: '文昌社区' });
      });
    }

    for (const username of ['clerk', 'gridworker', 'auditor']) {
      it(`given ${username} (not a centre role), when posting, then 403 forbidden`, async () => {
        const res = await api.call('POST', '/classify', { token: await api.login(username), body: { text: '井盖不见了' } });
        expect(res.status).to.equal(403);
        expect(res.body['code']).to.equal('forbidden');
      });
    }

    it('given no token, when posting, then 401 unauthenticated', async () => {
      const res = await api.call('POST', '/classify', { body: { text: '井盖不见了' } });
      expect(res.status).to.equal(401);
      expect(res.body['code']).to.equal('unauthenticated');
    });

    const bad: Array<[string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string]> = [
      ['an empty text', { body: { text: '' } }, 400, 'invalid_input'],
      ['no text', { body: {} }, 400, 'invalid_input'],
      ['a text that is a number', { body: { text: 42 } }, 400, 'invalid_input'],
      ['an unknown field', { body: { text: '井盖', extra: 1 } }, 400, 'invalid_input'],
      ['a text over 2,000 characters', { body: { text: '井'.repeat(2001) } }, 400, 'invalid_input'],
      ['malformed JSON', { raw: '{"text":', headers: { 'Content-Type': 'application/json' } }, 400, 'bad_json'],
    ];
    for (const [what, request, status, code] of bad) {
      it(`given ${what}, when posting, then ${status} ${code}`, async () => {
        const res = await api.call('POST', '/classify', { token: await api.login('operator'), ...request });
        expect(res.status).to.equal(status);
        expect(res.body['code']).to.equal(code);
        expect(res.body['message']).to.be.a('string').and.not.empty;
      });
    }
  });

  describe('administration: model versions and examples', () => {
    it('given the administrator, when a version is trained, listed and rolled back, then the list shows each with its accuracy and the previous one is active again', async () => {
      const admin = await api.login('admin');
      const trained = await api.call<Record<string, any>>('POST', '/admin/classify/models', { token: admin });
      expect(trained.status).to.equal(201);
      expect(trained.body['typeTop1']).to.be.within(0.3, 1);
      const again = await api.call<Record<string, any>>('POST', '/admin/classify/models', { token: admin });
      expect(again.status).to.equal(201);
      const list = await api.call<{ items: Array<Record<string, any>> }>('GET', '/admin/classify/models', { token: await api.login('auditor') });
      expect(list.status).to.equal(200);
      expect(list.body.items[0]!['version']).to.equal(again.body['version']);
      expect(list.body.items[0]).to.include.keys('typeTop1', 'typeTop3', 'category', 'notDispatchableRecall', 'examples', 'active', 'reason');
      const activeBefore = list.body.items.find((m) => m['active'])!['version'];
      const back = await api.call<Record<string, any>>('POST', '/admin/classify/rollback', { token: admin });
      expect(back.status).to.equal(200);
      expect(back.body['version']).to.be.below(activeBefore);
      expect((await ClassifyModels.findOne({ where: { active: true } }))!.id).to.equal(back.body['version']);
    });

    it('given no earlier version, when rolling back, then 409 no_earlier_version and nothing changes', async () => {
      const admin = await api.login('admin');
      const oldest = (await ClassifyModels.findOne({ order: [['id', 'ASC']] }))!;
      await ClassifyModels.update({ active: false }, { where: {} });
      await ClassifyModels.updateRow(oldest, { active: true });
      const before = await classifierSnapshot();
      const res = await api.call('POST', '/admin/classify/rollback', { token: admin });
      expect(res.status).to.equal(409);
      expect(res.body['code']).to.equal('no_earlier_version');
      expect(await classifierSnapshot()).to.equal(before);
    });

    for (const [username, method, path] of [
      ['operator', 'GET', '/admin/classify/models'],
      ['operator', 'POST', '/admin/classify/models'],
      ['auditor', 'POST', '/admin/classify/models'],
      ['auditor', 'POST', '/admin/classify/rollback'],
      ['leader', 'GET', '/admin/classify/examples.csv'],
      ['auditor', 'POST', '/admin/classify/examples'],
      ['operator', 'DELETE', '/admin/classify/examples/HL-0001'],
    ] as const) {
      it(`given ${username}, when ${method} ${path}, then 403 forbidden and nothing changes`, async () => {
        const before = await classifierSnapshot();
        const res = await api.call(method, path, {
          token: await api.login(username),
          ...(method === 'POST' ? { body: { text: '井盖丢了', label: 'BJ-0102' } } : {}),
        });
        expect(res.status).to.equal(403);
        expect(res.body['code']).to.equal('forbidden');
        expect(await classifierSnapshot()).to.equal(before);
      });
    }

    it('given the examples, when exported as CSV and imported again, then the same rows come back (nothing created, nothing changed)', async () => {
      const admin = await api.login('admin');
      const csv = await api.call<string>('GET', '/admin/classify/examples.csv', { token: admin });
      expect(csv.status).to.equal(200);
      expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
      expect(csv.body.replace(/^\uFEFF/, '').split('\n')[0]).to.equal('code,text,label,channel,source'); // fetch's text() drops the BOM Excel needs
      expect(csv.body.trim().split('\n')).to.have.length((await ClassifyExamples.count()) + 1);
      const before = await classifierSnapshot();
      const res = await api.call('POST', '/admin/classify/examples.csv', {
        token: admin,
        raw: csv.body,
        headers: { 'Content-Type': 'text/csv; charset=utf-8' },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ created: 0, updated: 0 });
      expect(await classifierSnapshot()).to.equal(before);
    });

    it('given a CSV with an unknown label and a bad channel, when imported, then 400 import_refused names each row and nothing is imported', async () => {
      const before = await classifierSnapshot();
      const csv =
        'code,text,label,channel,source\nT-1,路灯不亮了,BJ-0108,hotline,admin\nT-2,路灯不亮了,XX-9999,hotline,admin\nT-3,路灯不亮了,BJ-0108,fax,admin\n';
      const res = await api.call<Record<string, any>>('POST', '/admin/classify/examples.csv', {
        token: await api.login('admin'),
        raw: csv,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(res.status).to.equal(400);
      expect(res.body['code']).to.equal('import_refused');
      expect(res.body['details'].problems.map((p: { row: number; column: string }) => [p.row, p.column])).to.deep.equal([
        [4, 'channel'],
        [3, 'label'],
      ]);
      expect(await classifierSnapshot()).to.equal(before);
    });

    it('given a JSON body where a CSV is expected, when importing, then 415 unsupported_media_type', async () => {
      const res = await api.call('POST', '/admin/classify/examples.csv', { token: await api.login('admin'), body: { csv: 'x' } });
      expect(res.status).to.equal(415);
      expect(res.body['code']).to.equal('unsupported_media_type');
    });

    it('given the administrator, when an example is added, edited, listed and deleted, then each answers and the table follows', async () => {
      const admin = await api.login('admin');
      const added = await api.call<Record<string, any>>('POST', '/admin/classify/examples', {
        token: admin,
        body: { text: '小区门口的灯一到晚上就灭', label: 'BJ-0108', channel: 'wechat' },
      });
      expect(added.status).to.equal(201);
      expect(added.body).to.include({ text: '小区门口的灯一到晚上就灭', label: 'BJ-0108', channel: 'wechat', source: 'admin' });
      const code = added.body['code'] as string;
      const edited = await api.call<Record<string, any>>('PATCH', `/admin/classify/examples/${code}`, { token: admin, body: { label: 'NONE-VAGUE' } });
      expect(edited.status).to.equal(200);
      expect(edited.body).to.include({ code, label: 'NONE-VAGUE', text: '小区门口的灯一到晚上就灭' });
      const found = await api.call<{ items: Array<{ code: string }>; total: number }>(
        'GET',
        `/admin/classify/examples?q=${encodeURIComponent('门口的灯一到晚上就灭')}`,
        { token: admin },
      );
      expect(found.status).to.equal(200);
      expect(found.body.items.map((e) => e.code)).to.deep.equal([code]);
      const page = await api.call<{ items: Array<{ id: number }>; next: string | null }>('GET', '/admin/classify/examples?limit=2', { token: admin });
      expect(page.body.items).to.have.length(2);
      const second = await api.call<{ items: Array<{ id: number }> }>('GET', `/admin/classify/examples?limit=2&after=${page.body.next}`, { token: admin });
      expect(second.body.items[0]!.id).to.be.below(page.body.items[1]!.id);
      expect((await api.call('DELETE', `/admin/classify/examples/${code}`, { token: admin })).status).to.equal(204);
      expect(await ClassifyExamples.count({ where: { code } })).to.equal(0);
    });

    const badExamples: Array<[string, string, string, unknown, number, string]> = [
      ['an unknown label', 'POST', '/admin/classify/examples', { text: '路灯坏了', label: 'XX-0000' }, 400, 'import_refused'],
      ['an empty text', 'POST', '/admin/classify/examples', { text: '', label: 'BJ-0108' }, 400, 'invalid_input'],
      ['an unknown channel', 'POST', '/admin/classify/examples', { text: '路灯坏了', label: 'BJ-0108', channel: 'fax' }, 400, 'invalid_input'],
      ['a code that exists', 'POST', '/admin/classify/examples', { code: 'EXISTING', text: '路灯坏了', label: 'BJ-0108' }, 409, 'example_exists'],
      ['an edit with nothing in it', 'PATCH', '/admin/classify/examples/EXISTING', {}, 400, 'invalid_input'],
      ['an edit to an unknown label', 'PATCH', '/admin/classify/examples/EXISTING', { label: 'XX-0000' }, 400, 'import_refused'],
      ['an edit of an example that is not there', 'PATCH', '/admin/classify/examples/NO-SUCH', { label: 'BJ-0108' }, 404, 'example_not_found'],
      ['a delete of an example that is not there', 'DELETE', '/admin/classify/examples/NO-SUCH', undefined, 404, 'example_not_found'],
      ['a list with a malformed cursor', 'GET', '/admin/classify/examples?after=abc', undefined, 400, 'invalid_input'],
    ];
    for (const [what, method, path, body, status, code] of badExamples) {
      it(`given ${what}, when ${method} ${path.replace(/\?.*/, '')}, then ${status} ${code} and nothing changes`, async () => {
        const admin = await api.login('admin');
        if (!(await ClassifyExamples.findOne({ where: { code: 'EXISTING' } })))
          await ClassifyExamples.create({ code: 'EXISTING', text: '路灯一直不亮', label: 'BJ-0108', channel: 'other', source: 'admin', caseId: null });
        const before = await classifierSnapshot();
        const res = await api.call('' + method, path, { token: admin, ...(body !== undefined ? { body } : {}) });
        expect(res.status).to.equal(status);
        expect(res.body['code']).to.equal(code);
        expect(await classifierSnapshot()).to.equal(before);
      });
    }
  });
});
