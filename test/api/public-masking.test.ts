import { expect } from 'chai';
import { Grids } from '../support/tables.js';
import { maskPersonalNumbers } from '../../domain/shared/mask-personal.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** ASCII digits only, full-width ones read as ASCII: what a reader could recover of a number, whatever its spacing. */
const digitsOf = (text: string) => text.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\D/g, '');

/** Issue #16, item 3: every form of a phone or ID number is masked in every public answer. */
describe('API: personal numbers are masked in public answers (Open311 feed, tracking page)', function () {
  this.timeout(90_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api?.close());

  const numbers: Array<[string, string]> = [
    ['a mobile', '13912345678'],
    ['a mobile with spaces', '139 1234 5678'],
    ['a mobile with hyphens', '139-1234-5678'],
    ['a mobile with dots', '139.1234.5678'],
    ['a mobile with +86', '+8613912345678'],
    ['a mobile with +86 and spaces', '+86 139 1234 5678'],
    ['a mobile with 0086', '008613912345678'],
    ['a mobile in full-width digits', '１３９１２３４５６７８'],
    ['a mobile in full-width digits and hyphens', '１３９－１２３４－５６７８'],
    ['a landline', '0874-3121234'],
    ['a landline with brackets and spaces', '(0874) 312 1234'],
    ['an 18-digit ID card number', '530302199001011234'],
    ['an 18-digit ID card number ending in X', '53030219900101123X'],
    ['a 15-digit ID card number', '530302900101123'],
    ['an ID card number in full-width digits', '５３０３０２１９９００１０１１２３４'],
  ];

  for (const [name, number] of numbers) {
    it(`given a report whose description and address hold ${name}, when read through Open311 (JSON, XML) and the tracking page, then the number cannot be read back`, async () => {
      // given
      const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
      const filed = await api.call<{ caseNo: string; trackingToken: string }>('POST', '/public/reports', {
        body: { description: `井盖缺失，联系我 ${number} 谢谢`, address: `龙华路 12 号（${number}）`, lat: grid.centroidLat, lng: grid.centroidLng },
      });
      expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
      const root = api.base.replace(/\/api$/, '');

      // when
      const answers = [
        await (await fetch(`${root}/open311/v2/requests/${filed.body.caseNo}.json`)).text(),
        await (await fetch(`${root}/open311/v2/requests/${filed.body.caseNo}.xml`)).text(),
        await (await fetch(`${root}/open311/v2/requests.json?service_request_id=${filed.body.caseNo}`)).text(),
        JSON.stringify((await api.call('GET', `/public/reports/${filed.body.trackingToken}`)).body),
      ];

      // then
      const secret = digitsOf(number).slice(-11); // the number without a country prefix
      for (const answer of answers) {
        expect(answer).to.contain('井盖缺失');
        for (const field of answer.match(/井盖缺失[^"<]*|龙华路[^"<]*/g) ?? []) {
          expect(digitsOf(field), field).to.not.contain(secret);
          expect(field).to.contain('****');
        }
      }
    });
  }

  it('given text with case numbers, dates, times, coordinates and prices, when masked, then it is unchanged', () => {
    for (const text of [
      '编号 ZY20261207-0001',
      '2026-12-07 10:00 发现',
      '坐标 25.123456, 103.123456',
      '罚款 1200 元',
      '第 3 次反映，已等 45 天',
      'G-XP-01-02 网格',
    ]) {
      expect(maskPersonalNumbers(text)).to.equal(text);
    }
  });
});
