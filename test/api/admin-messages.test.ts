import { expect } from 'chai';
import { CLASSIFY_EXAMPLE_COLUMNS, EVENT_TYPE_COLUMNS, GRID_COLUMNS, ITEM_COLUMNS, UNIT_COLUMNS } from '../../db/import/columns.js';
import { checkCells } from '../../domain/admin/column-checks.js';
import { problemZh } from '../../api/http/problem-messages.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { registrySnapshot, tokensFor } from './admin-registry-support.js';

interface Problem {
  path: string;
  key?: string;
  params?: Record<string, string | number>;
  message: string;
}
type Refusal = { code: string; message: string; details: { errors: Problem[] } };

/** Chinese text: no Latin word but the codes and values the message quotes. */
const chineseOnly = (text: string, quoted: string[]) => quoted.reduce((t, q) => t.split(q).join(''), text);

describe('api: registry refusals speak the caller’s language (domain/admin/registry-messages.ts)', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let admin: string;
  before(async () => {
    api = await openApiWorld();
    admin = (await tokensFor(api))['admin']!;
  });
  after(() => api?.close());

  const refuse = async (method: string, path: string, body: unknown, lang: 'zh-CN' | 'en') => {
    const before = await registrySnapshot();
    const res = await api.call<Refusal>(method, path, { token: admin, body, headers: { 'Accept-Language': lang } });
    expect(await registrySnapshot(), 'nothing changes').to.equal(before);
    return res;
  };

  it('given a unit under an unknown parent, when created, then the field problem is keyed, in Chinese by default and in English on request', async () => {
    const body = { code: 'D-NEW', name: '新局', kind: 'department', parentCode: 'NO-SUCH' };
    const zh = await refuse('POST', '/admin/units', body, 'zh-CN');
    expect(zh.status).to.equal(400);
    expect(zh.body.code).to.equal('unknown_reference');
    expect(zh.body.details.errors).to.deep.equal([
      { path: '/parentCode', key: 'registry.unknown_unit', params: { code: 'NO-SUCH' }, message: '单位 NO-SUCH 不存在' },
    ]);
    const en = await refuse('POST', '/admin/units', body, 'en');
    expect(en.body.details.errors[0]).to.include({ key: 'registry.unknown_unit', message: 'NO-SUCH is not a known unit' });
  });

  it('given a unit other records refer to, when deleted, then each reference is named in Chinese, the kind of record translated', async () => {
    const zh = await refuse('DELETE', '/admin/units/D-CGJ', undefined, 'zh-CN');
    expect(zh.status).to.equal(409);
    const messages = zh.body.details.errors.map((e) => e.message);
    expect(messages.filter((m) => /^仍有 \d+ 个事件类型引用它；请改为停用（enabled: false）$/.test(m))).to.have.length(1);
    for (const m of messages) expect(chineseOnly(m, ['enabled', 'false']), m).not.to.match(/[A-Za-z]/);
    const en = await refuse('DELETE', '/admin/units/D-CGJ', undefined, 'en');
    expect(en.body.details.errors.map((e) => e.message).join(' ')).to.match(/referenced by \d+ event types; switch it off/);
  });

  it('given a grid with an impossible outline, when created, then the importer’s column check comes back keyed and in Chinese', async () => {
    // four points on one line: the schema takes it, the importer's check refuses it
    const point = [103.8, 25.6];
    const body = {
      code: 'G-NEW',
      name: '新网格',
      townshipCode: 'T-XP',
      communityCode: 'C-XP-01',
      centroidLng: 103.8,
      centroidLat: 25.6,
      polygon: [point, [103.81, 25.61], [103.82, 25.62], point],
    };
    const zh = await refuse('POST', '/admin/grids', body, 'zh-CN');
    expect(zh.status).to.equal(400);
    expect(zh.body.details.errors).to.have.length(1);
    expect(zh.body.details.errors[0]).to.include({ path: '/polygon', key: 'registry.column_polygon_area' });
    expect(zh.body.details.errors[0]!.message).to.match(/ 围成的面积为零（各点在一条线上）$/);
    const en = await refuse('POST', '/admin/grids', body, 'en');
    expect(en.body.details.errors[0]!.message).to.match(/ encloses no area$/);
  });

  it('given a grid worker without grids, when created, then the problem is in Chinese', async () => {
    const body = { username: 'new.worker', displayName: '新网格员', role: 'grid_worker', password: 'Good#pass1', gridCodes: [] };
    const zh = await refuse('POST', '/admin/users', body, 'zh-CN');
    expect(zh.status).to.equal(400);
    expect(zh.body.details.errors).to.deep.include({ path: '/gridCodes', key: 'registry.grid_worker_grids', message: '网格员至少负责一个网格' });
  });

  it('given every column check of the importer, when it refuses a value, then its sentence has a key and a Chinese text', () => {
    const bad: Record<string, string> = { polygon: '0 0, 1 1, 0 0, 0 0', extra_stages: 'x', centroid_lng: '999', centroid_lat: '999' };
    const specs = [UNIT_COLUMNS, GRID_COLUMNS, EVENT_TYPE_COLUMNS, ITEM_COLUMNS, CLASSIFY_EXAMPLE_COLUMNS].flat().filter((s) => s.check);
    const refused = specs.flatMap((spec) =>
      [bad[spec.name] ?? '!', 'x'.repeat(3000), '0 0, 200 0, 0 1, 0 0', '0 0, 1 1, 2 2, 0 0'].flatMap((value) =>
        checkCells([spec], { [spec.name]: { path: `/${spec.name}`, value } }, false),
      ),
    );
    expect(refused.length).to.be.greaterThan(20);
    const unkeyed = refused.filter((p) => !p.key || problemZh(p) === null).map((p) => p.message);
    expect(unkeyed, 'column-check sentences without a key').to.deep.equal([]);
    const keys = new Set(refused.map((p) => p.key));
    for (const key of ['registry.column_code', 'registry.column_one_of', 'registry.column_max_length', 'registry.column_number', 'registry.column_polygon'])
      expect(keys, key).to.include(key);
  });
});
