import { expect } from 'chai';
import { Cases, Grids } from '../support/tables.js';
import { appendAudit } from '../../domain/audit/audit-log.js';
import { testJpeg } from '../support/test-images.js';
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
    it(`given a report whose description, address, photo name and the unit's result hold ${name}, when read through Open311 (JSON, XML, single and list), the tracking page and its photos, then the number cannot be read back`, async () => {
      // given: a 随手拍 with a photo named by the number, and the unit's 办结 result quoting it
      const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
      const fd = new FormData();
      fd.append('description', `井盖缺失，联系我 ${number} 谢谢`);
      fd.append('address', `龙华路 12 号（${number}）`);
      fd.append('lat', String(grid.centroidLat));
      fd.append('lng', String(grid.centroidLng));
      fd.append('photos', new Blob([testJpeg()], { type: 'image/jpeg' }), `井盖缺失${number}.jpg`);
      const res = await fetch(`${api.base}/public/reports`, { method: 'POST', body: fd });
      const filed = { status: res.status, body: (await res.json()) as { caseNo: string; trackingToken: string } };
      expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
      const c = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
      await appendAudit({
        caseId: c.id,
        actor: 'clerk',
        action: 'task_completed',
        detail: { elementId: 'handle', data: { handleOutcome: 'done', handleResult: `龙华路井盖已补装，已回电 ${number}` } },
      });
      await Cases.updateRow(c, { status: 'handled' });
      const root = api.base.replace(/\/api$/, '');

      // when
      const { token } = { token: filed.body.trackingToken };
      const photos = (await api.call<Array<{ id: string; fileName: string }>>('GET', `/public/reports/${token}/photos`)).body;
      const photo = await fetch(`${api.base}/public/reports/${token}/photos/${photos[0]!.id}`);
      const answers: Array<[string, string]> = [
        ['Open311 request JSON', await (await fetch(`${root}/open311/v2/requests/${filed.body.caseNo}.json`)).text()],
        ['Open311 request XML', await (await fetch(`${root}/open311/v2/requests/${filed.body.caseNo}.xml`)).text()],
        ['Open311 list JSON', await (await fetch(`${root}/open311/v2/requests.json?service_request_id=${filed.body.caseNo}`)).text()],
        ['Open311 list XML', await (await fetch(`${root}/open311/v2/requests.xml?service_request_id=${filed.body.caseNo}`)).text()],
        ['the tracking page', JSON.stringify((await api.call('GET', `/public/reports/${token}`)).body)],
        ["the tracking page's photo list", JSON.stringify(photos)],
        ["the photo's Content-Disposition", decodeURIComponent(photo.headers.get('content-disposition') ?? '')],
      ];

      // then
      const secret = digitsOf(number).slice(-11); // the number without a country prefix
      for (const [where, answer] of answers) {
        expect(answer, where).to.contain(where.startsWith('the photo') || where.includes('photo list') ? '井盖缺失' : '井盖');
        const fields = answer.match(/井盖缺失[^"<;]*|龙华路[^"<]*/g) ?? [];
        expect(fields, where).to.not.be.empty;
        for (const field of fields) {
          expect(digitsOf(field), `${where}: ${field}`).to.not.contain(secret);
          expect(field, `${where}: ${field}`).to.contain('****');
        }
      }
      const page = (await api.call<{ handleResult: string }>('GET', `/public/reports/${token}`)).body;
      expect(page.handleResult, 'the unit result is shown').to.match(/^龙华路井盖已补装/);
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
