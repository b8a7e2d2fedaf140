import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, EventTypes, Grids, query, type Row } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/** The element that has the focus, by id (the tests drive the page with the keyboard only). */
async function focusedId(page: Page): Promise<string> {
  return page.locator(':focus').evaluate((el) => (el as unknown as { id: string }).id);
}

describe('web: 来电登记, the hotline operator registers calls without the mouse', function () {
  this.timeout(120_000);
  let web: WebWorld;
  let grid: Row<'grids'>;
  let earlier: { id: string; caseNo: string };
  before(async () => {
    web = await openWebWorld();
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const operator = await web.api.login('operator');
    const filed = await web.api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: operator,
      body: { description: '小区门口垃圾堆放多日无人清运', reporterPhone: '13911112222', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status).to.equal(201);
    earlier = filed.body;
  });
  after(() => web?.close());

  it('given a caller who called before, when the operator types the call, picks the second suggestion with Alt+2 and presses Ctrl+Enter, then a hotline case is filed with that type, grid and caller', async () => {
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/hotline/'));
    await page.locator('#caller-name').waitFor();
    expect(await focusedId(page), "the caller's name has the focus").to.equal('caller-name');

    // when: caller, phone (Tab shows the earlier case), complaint, where
    await page.keyboard.type('张先生');
    await page.keyboard.press('Tab');
    await page.keyboard.type('13911112222');
    await page.keyboard.press('Tab');
    await page.locator('[data-testid=caller-cases] [data-case]').first().waitFor();
    expect(await page.locator('[data-testid=caller-cases]').textContent()).to.contain(earlier.caseNo);
    expect(await focusedId(page)).to.equal('kind-case');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).to.equal('call-content');
    await page.keyboard.type('垃圾没人清运，污水井冒水');
    await page.keyboard.press('Tab');
    await page.keyboard.type('西平街道文昌社区');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).to.equal('grid-search');
    await page.keyboard.type(grid.code);
    await eventually('the grid picked', async () => (await page.locator('#grid-code').inputValue()) === grid.code, 10_000);
    await page.locator('[data-testid=suggestions] input[data-suggestion]').first().waitFor();
    await page.locator(`[data-testid=nearby] [data-nearby="${earlier.caseNo}"]`).waitFor();
    const codes = await page
      .locator('[data-testid=suggestions] input[data-suggestion]')
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(codes.length, 'the classifier offers more than one type').to.be.greaterThan(1);
    await page.keyboard.press('Alt+2');
    expect(await page.locator(`input[data-suggestion="${codes[1]}"]`).isChecked()).to.equal(true);
    await web.screenshot(page, 'hotline-call');
    await page.keyboard.press('Control+Enter');

    // then
    await page.locator('[data-testid=hotline-done]').waitFor();
    const caseNo = /ZY\d{8}-\d+/.exec((await page.locator('[data-testid=hotline-done]').textContent())!)![0];
    const c = (await Cases.findOne({ where: { caseNo } }))!;
    const type = (await EventTypes.findOne({ where: { code: codes[1]! } }))!;
    expect([c.channel, c.reporterName, c.reporterPhone, c.address, c.gridId, c.eventTypeId]).to.deep.equal([
      'hotline',
      '张先生',
      '13911112222',
      '西平街道文昌社区',
      grid.id,
      type.id,
    ]);
    expect(await focusedId(page), 'ready for the next call').to.equal('caller-name');
    web.expectNoErrors(page);
  });

  it('given a consultation, when the operator switches the kind with the arrow key, types the answer and presses Ctrl+Enter, then it is recorded as 直办 and no case is filed', async () => {
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/hotline/'));
    await page.locator('#caller-name').waitFor();
    const before = await Cases.count();
    await page.keyboard.type('李女士');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#kind-consultation').isChecked()).to.equal(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('居住证在哪里办理？');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).to.equal('answer');
    await page.keyboard.type('到所在街道便民服务中心办理，带身份证和租房合同。');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid=hotline-done]').waitFor();
    expect(await Cases.count()).to.equal(before);
    const rows = await query<{ kind: string; answer: string }>("SELECT kind, answer FROM hotline_calls WHERE content = '居住证在哪里办理？'");
    expect(rows).to.deep.equal([{ kind: 'consultation', answer: '到所在街道便民服务中心办理，带身份证和租房合同。' }]);
    await page.locator('[data-testid=recent-calls] li').first().waitFor();
    web.expectNoErrors(page);
  });

  it('given an open case at the same place, when the operator joins the call to it from the keyboard (并单), then the case counts one more report and no case is filed', async () => {
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/hotline/'));
    await page.locator('#caller-name').waitFor();
    const before = await Cases.count();
    const count = (await Cases.findByPk(earlier.id))!.duplicateCount;
    await page.locator('#call-content').focus();
    await page.keyboard.type('门口那堆垃圾还在');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type(grid.code);
    const join = page.locator(`[data-testid=nearby] [data-nearby="${earlier.caseNo}"] button[data-join]`);
    await join.waitFor();
    await join.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=hotline-done]').waitFor();
    expect(await page.locator('[data-testid=hotline-done]').textContent()).to.contain(earlier.caseNo);
    expect((await Cases.findByPk(earlier.id))!.duplicateCount).to.equal(count + 1);
    expect(await Cases.count()).to.equal(before);
    web.expectNoErrors(page);
  });
});
