import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, EventTypes, Grids, InboxTasks } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openTaskOf } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe("web: 受理 shows the classifier's suggestions (top three, confidence, deciding words, place)", function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  /** A 随手拍 report filed through the API, waited for in the operator's 受理. */
  async function reported(description: string): Promise<{ caseId: string; caseNo: string; acceptKey: string }> {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', { body: { description, lat: grid.centroidLat, lng: grid.centroidLng } });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    const accept = await openTaskOf(web.api, 'operator', row.id, ['accept']);
    return { caseId: row.id, caseNo: row.caseNo, acceptKey: accept.userTaskKey };
  }

  async function openAccept(page: Page, caseNo: string): Promise<void> {
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    await page.waitForSelector('[data-testid=suggestions]:not([hidden])');
  }

  it('given a report the classifier is not sure of, when the operator takes the second suggestion with one click, then the form is filled with it and the case is filed under it', async () => {
    const c = await reported('小区里的灯坏了，垃圾也没人收');
    const page = await web.newPage();
    await web.login(page, 'operator');
    await openAccept(page, c.caseNo);

    const items = page.locator('[data-testid=suggest-candidates] li');
    expect(await items.count()).to.equal(3);
    for (const text of await items.allTextContents()) expect(text).to.match(/（[A-Z]{2}-\d{4}）.*置信度 \d+%/);
    expect(await items.first().locator('mark').count()).to.be.greaterThan(0); // the words that decided
    const second = (await items.nth(1).getAttribute('data-code'))!;
    const type = (await EventTypes.findOne({ where: { code: second } }))!;
    await page.screenshot({ path: 'test-results/accept-suggestions.png' });

    await items.nth(1).locator('[data-accept]').click();
    await page.waitForSelector(`[data-testid=suggest-chosen]:has-text("${type.name}")`);
    expect(await page.inputValue('[data-testid=task-form] .fjs-form-field-select input')).to.equal(`${type.name}（${type.code}）`);
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed]');
    expect((await InboxTasks.findOne({ where: { userTaskKey: c.acceptKey } }))!.state).to.equal('completed');
    await eventually('the case accepted', async () => (await Cases.findByPk(c.caseId))!.status !== 'reported', 20_000);
    expect((await Cases.findByPk(c.caseId))!.eventTypeId).to.equal(type.id);
    web.expectNoErrors(page);
  });

  it('given a 咨询 call, when the operator opens 受理, then it is said not to be a case, and one click sets 不予立案 for the reason to be written', async () => {
    const c = await reported('请问办居住证需要带什么材料');
    const page = await web.newPage();
    await web.login(page, 'operator');
    await openAccept(page, c.caseNo);
    expect(await page.textContent('[data-testid=suggest-not-dispatchable]')).to.match(/咨询/);
    await page.click('[data-testid=suggest-not-dispatchable] [data-reject]');
    await page.waitForSelector('[data-testid=task-form] textarea');
    await page.fill('[data-testid=task-form] textarea', '咨询类诉求，已电话答复办理居住证所需材料');
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed]');
    await eventually('the case closed as not filed', async () => !['reported'].includes((await Cases.findByPk(c.caseId))!.status), 20_000);
    web.expectNoErrors(page);
  });
});
