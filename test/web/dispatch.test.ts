import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { AuditRecords, Cases, Grids, InboxTasks, Units, type Row } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openTaskOf } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/**
 * 派遣 and 改派 in the operator's /tasks/ (issue #14 item 2): a 属地 case waits at 派遣 with the township proposed;
 * the operator confirms it, or picks a community from the unit picker; later the operator re-dispatches a case
 * a unit is handling, with a reason, and the unit's task ends.
 */
describe("web: the centre operator's 派遣 and 改派", function () {
  this.timeout(180_000);
  let web: WebWorld;
  let township: Row<'units'>;
  before(async () => {
    web = await openWebWorld();
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    township = (await Units.findByPk(grid.townshipId))!;
  });
  after(() => web?.close());

  /** A hotline case filed and accepted as 暴露垃圾 (属地) through the API: it waits at the operator's 派遣. */
  async function caseAtDispatch(description: string, where: 'first grid' | 'last grid' = 'first grid'): Promise<{ caseId: string; caseNo: string }> {
    const operator = await web.api.login('operator');
    // two reports of one kind at one spot within the hour are one case (并单): a second case goes elsewhere
    const grid = (await Grids.findOne({ order: [['id', where === 'first grid' ? 'ASC' : 'DESC']] }))!;
    const filed = await web.api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: operator,
      body: { description, lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13900005555' },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    // the first report of a fresh world waits for the classifier's first model: longer than openTaskOf allows on a busy machine
    const accept = await eventually(
      'the 受理 task',
      async () => InboxTasks.findOne({ where: { caseId: filed.body.id, elementId: 'accept', state: 'created' } }),
      60_000,
    );
    const done = await web.api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: 'SJ-0101' } },
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    await openTaskOf(web.api, 'operator', filed.body.id, ['dispatch']);
    return { caseId: filed.body.id, caseNo: filed.body.caseNo };
  }

  async function openCaseTask(page: Page, caseNo: string): Promise<void> {
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
  }

  const handleAt = (caseId: string, code: string) =>
    eventually(
      `the 处置 task at ${code}`,
      async () => {
        const unit = (await Units.findOne({ where: { code } }))!;
        return InboxTasks.findOne({ where: { caseId, elementId: 'handle', state: 'created', unitId: unit.id } });
      },
      30_000,
    );

  it('given a 属地 case at 派遣, when the operator opens it, then the township is proposed and preselected, and submitting confirms it', async () => {
    const c = await caseAtDispatch('文昌社区路边暴露垃圾，气味很大');
    const page = await web.newPage();
    await web.login(page, 'operator');
    await openCaseTask(page, c.caseNo);
    const form = page.locator('[data-testid=task-form]');
    expect(await form.textContent())
      .to.contain('属地案件')
      .and.contain(township.name);
    // the picker shows the proposal by name, not a code box
    expect(await form.locator('input[id$=Field_unitCode]').inputValue()).to.contain(township.name);
    await web.screenshot(page, 'dispatch-confirm');
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed]');
    await handleAt(c.caseId, township.code);
    expect((await Cases.findByPk(c.caseId))!.unitId).to.equal(township.id);
    web.expectNoErrors(page);
  });

  it('given a 属地 case at 派遣, when the operator picks the community in the unit picker, then the community handles it', async () => {
    const c = await caseAtDispatch('小区楼下垃圾桶满溢', 'last grid');
    const page = await web.newPage();
    await web.login(page, 'operator');
    await openCaseTask(page, c.caseNo);
    const picker = page.locator('[data-testid=task-form] input[id$=Field_unitCode]');
    await picker.click();
    await picker.fill('文昌社区');
    await page.locator('.fjs-dropdownlist-item', { hasText: '文昌社区' }).first().click();
    expect(await picker.inputValue()).to.contain('文昌社区');
    await page.getByLabel('派遣意见').fill('请社区先行清理');
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed]');
    const community = (await Units.findOne({ where: { shortName: '文昌社区' } }))!;
    await handleAt(c.caseId, community.code);
    web.expectNoErrors(page);
  });

  it("given the township handling a case, when the operator re-dispatches it to 城管局 from the task page, then the township's task ends and 城管局 has it; the unit's staff are not offered 改派", async () => {
    const c = await caseAtDispatch('路口堆放建筑垃圾');
    const operator = await web.api.login('operator');
    const dispatch = await openTaskOf(web.api, 'operator', c.caseId, ['dispatch']);
    expect(
      (await web.api.call('POST', `/tasks/${dispatch.userTaskKey}/complete`, { token: operator, body: { data: { unitCode: township.code } } })).status,
    ).to.equal(200);
    const first = await handleAt(c.caseId, township.code);

    // the township's staff see their task without the centre's action
    const staffPage = await web.newPage();
    await web.login(staffPage, 'township');
    await openCaseTask(staffPage, c.caseNo);
    expect(await staffPage.locator('[data-testid=redispatch]').count()).to.equal(0);

    const page = await web.newPage();
    await web.login(page, 'operator');
    await openCaseTask(page, c.caseNo);
    const panel = page.locator('[data-testid=redispatch]');
    await panel.waitFor();
    await page.locator('#rd-unit option[value="D-CGJ"]').waitFor({ state: 'attached' });
    expect(await panel.textContent()).to.contain(township.name);
    // the unit's own township is not offered; units come grouped by kind
    expect(await page.locator(`#rd-unit option[value="${township.code}"]`).count()).to.equal(0);
    expect(await page.locator('#rd-unit optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).to.include.members([
      '乡镇（街道）',
      '社区（村）',
      '职能部门',
    ]);
    // no reason: the page says so and sends nothing
    await page.selectOption('#rd-unit', 'D-CGJ');
    await page.click('[data-testid=redispatch-submit]');
    expect(await page.locator('[data-testid=redispatch-message] [role=alert]').textContent()).to.contain('改派理由');
    await page.getByLabel('改派理由').fill('属建筑垃圾，由城管局负责清运');
    await web.screenshot(page, 'redispatch');
    await page.click('[data-testid=redispatch-submit]');
    expect(await page.locator('[data-testid=redispatched]').textContent())
      .to.contain(c.caseNo)
      .and.contain('城市管理局');

    await handleAt(c.caseId, 'D-CGJ');
    expect((await InboxTasks.findOne({ where: { userTaskKey: first.userTaskKey } }))!.state).to.equal('cancelled');
    const ordered = (await AuditRecords.findOne({ where: { caseId: c.caseId, action: 'redispatch_ordered' } }))!;
    expect(ordered.actor).to.equal('operator');
    expect(ordered.detail).to.deep.include({ unitCode: 'D-CGJ', reason: '属建筑垃圾，由城管局负责清运' });
    web.expectNoErrors(page);
    web.expectNoErrors(staffPage);
  });
});
