import { expect } from 'chai';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

interface Problem {
  path: string;
  keyword: string;
  message: string;
  property?: string;
}
type Refusal = { code: string; message: string; details: { errors: Problem[] } };

/**
 * ajv's refusals in the caller's language: the message beside a field is Chinese unless Accept-Language
 * asks for English; the path, the keyword and the property named stay the same either way (clients act on those).
 */
describe("REST API: schema refusals speak the caller's language", function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let admin: string;
  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
  });
  after(() => api.close());

  const refuse = async (lang: string | null) => {
    const res = await api.call<Refusal>('POST', '/admin/units', {
      token: admin,
      body: { code: 'bad code!', kind: 'department', extra: 1 },
      headers: lang ? { 'Accept-Language': lang } : {},
    });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('invalid_input');
    return res.body;
  };
  const shape = (errors: Problem[]) =>
    errors.map(({ path, keyword, property }) => ({ path, keyword, property })).sort((a, b) => `${a.path}${a.keyword}`.localeCompare(`${b.path}${b.keyword}`));

  it('given a unit with a bad code, a missing name and an unknown field, when no language or Chinese is asked for, then each problem is worded in Chinese with its keyword kept', async () => {
    for (const lang of [null, 'zh-CN,zh;q=0.9']) {
      const body = await refuse(lang);
      const byKeyword = Object.fromEntries(body.details.errors.map((e) => [e.keyword, e]));
      expect(byKeyword['pattern']).to.include({ path: '/code', message: '格式不符合要求' });
      expect(byKeyword['required']).to.include({ path: '/', property: 'name', message: '缺少必填项 name' });
      expect(byKeyword['additionalProperties']).to.include({ path: '/', property: 'extra', message: '不允许的字段 extra' });
      expect(body.message).to.equal('请求数据不符合要求');
    }
  });

  it("given the same request, when English is asked for, then ajv's English comes back with the same paths, keywords and properties", async () => {
    const zh = await refuse(null);
    const en = await refuse('en');
    expect(en.details.errors.find((e) => e.keyword === 'pattern')?.message).to.match(/^must match pattern/);
    expect(en.details.errors.find((e) => e.keyword === 'required')?.message).to.equal("must have required property 'name'");
    expect(shape(en.details.errors)).to.deep.equal(shape(zh.details.errors));
  });

  it('given a number past 2^53 in a body, when refused, then the message follows the language too', async () => {
    const res = await api.call<Refusal>('POST', '/admin/units', {
      token: admin,
      raw: '{"code":"D-X","name":"某局","kind":"department","sortOrder":9007199254740993}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).to.equal(400);
    expect(res.body.details.errors[0]?.message).to.equal('绝对值不能超过 2^53 - 1');
  });
});
