/**
 * Cases from report to rating through the pages only (issue 14, "Done means"). The citizen's: a report on /report/,
 * the centre's operator accepts it on /tasks/ (with the classifier's type or picking one) and confirms the 派遣, the
 * unit's staff finish it, the operator verifies it, and the citizen follows the case by its code, reads the result
 * and rates it. The centre's: a call registered on /hotline/ from the keyboard and a consultation answered there
 * (直办), the same loop, the operator's 回访 on /revisit/, the auditor's reading of the story on /history/. The
 * leader's: a 交办 on /assign/ to a named unit, high in the operator's inbox, round the loop, closed in the leader's
 * list; and a grid worker's 自处置 on /field/ on a phone, closed at once. axe-core
 * checks every state on the way (no critical or serious violation). No API call drives a case: the test reads the
 * database only to know whose inbox the case is in next and to check what the pages did.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, EventTypes, Grids, InboxTasks, Units, Users, query } from '../support/tables.js';
import { hashPassword } from '../../domain/auth/password.js';
import { eventually } from '../processes/support/process-harness.js';
import { PASSWORD } from '../api/support/api-world.js';
import { seriousViolations } from './support/axe.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

type TaskRow = { userTaskKey: string; elementId: string; unitId: number | null };

describe("web: a case's whole day through the pages, report to rating", function () {
  this.timeout(300_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  /** The case's open task, as the inbox keeps it (the first report of a fresh world waits for the classifier's first model). */
  const openTaskRow = (caseId: string, elementIds: string[]) =>
    eventually(
      `a ${elementIds.join('/')} task`,
      async () =>
        (await InboxTasks.findAll({ where: { caseId, state: 'created' } })).find((t: TaskRow) => elementIds.includes(t.elementId)) as TaskRow | undefined,
      60_000,
    );

  /** Opens the case's task from the inbox, claims it when it must be claimed first. */
  async function openFromInbox(page: Page, caseNo: string): Promise<void> {
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    if (await page.locator('[data-testid=claim]').count()) {
      await page.click('[data-testid=claim]');
      await page.waitForSelector('[data-testid=unclaim]');
      await page.waitForSelector('[data-testid=task-form] .fjs-form');
    }
  }

  /** where → axe's critical and serious violations there */
  const violations: string[] = [];
  const axe = async (page: Page, where: string) => {
    for (const line of await seriousViolations(page)) violations.push(`${where}: ${line}`);
  };

  async function submit(page: Page, where: string): Promise<void> {
    await axe(page, where);
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed], [data-testid=form-message] [role=alert]');
    expect(await page.locator('[data-testid=form-message] [role=alert]').allTextContents(), 'the page refused the submission').to.deep.equal([]);
  }

  /** A staff account of the unit holding the task: the demo's township or clerk, or one made for the unit. */
  async function staffOf(unitId: number): Promise<string> {
    const existing = (await Users.findAll({ where: { unitId, role: 'dept_staff' } })) as Array<{ username: string }>;
    if (existing[0]) return existing[0].username;
    const username = `staff-${unitId}`;
    await Users.create({ username, displayName: '办事员', role: 'dept_staff', unitId, phone: null, passwordHash: await hashPassword(PASSWORD) });
    return username;
  }

  /**
   * From the report to 结案, each step in its role's page: the operator's 受理 (when the classifier was not sure) and
   * 派遣 (when the route asks the centre), the unit's 处置, the operator's 核查. Answers the unit that handled it.
   */
  async function throughTheLoop(caseId: string, caseNo: string): Promise<number> {
    const operator = await web.newPage();
    await web.login(operator, 'operator');
    let next = await openTaskRow(caseId, ['accept', 'dispatch', 'handle']);
    if (next.elementId === 'accept') {
      await openFromInbox(operator, caseNo);
      await operator.getByText('立案', { exact: true }).click();
      const typeInput = operator.locator('[data-testid=task-form] input[id$=Field_eventTypeCode]');
      if (!(await typeInput.inputValue())) {
        const rubbish = (await EventTypes.findOne({ where: { code: 'SJ-0101' } }))!;
        await operator.click('[data-testid=task-form] .fjs-form-field-select .fjs-input-group');
        await operator.click(`.fjs-dropdownlist-item:has-text("${rubbish.name}（${rubbish.code}）")`);
      }
      await submit(operator, '受理');
      next = await openTaskRow(caseId, ['dispatch', 'handle']);
    }
    if (next.elementId === 'dispatch') {
      await openFromInbox(operator, caseNo);
      // the proposed unit is preselected: confirming is one click
      expect(await operator.locator('[data-testid=task-form] input[id$=Field_unitCode]').inputValue()).to.not.equal('');
      await submit(operator, '派遣');
      next = await openTaskRow(caseId, ['handle']);
    }
    expect(next.elementId).to.equal('handle');

    // the unit's staff finish it
    const staff = await web.newPage();
    await web.login(staff, await staffOf(next.unitId!));
    await openFromInbox(staff, caseNo);
    await staff.click('[data-outcome=done]');
    await staff.getByLabel('处置情况').fill('已清运并消杀，现场已恢复整洁');
    await submit(staff, '处置');

    // the operator verifies it on the spot's report
    await openTaskRow(caseId, ['verify']);
    await openFromInbox(operator, caseNo);
    await operator.getByText('已处置到位，核查通过').click();
    await submit(operator, '核查');
    await eventually('the case closed', async () => (await Cases.findByPk(caseId))!.status === 'closed', 30_000);
    for (const page of [operator, staff]) web.expectNoErrors(page);
    await operator.context().close();
    await staff.context().close();
    return next.unitId!;
  }

  it('given a citizen with a problem, when each role does its part in its own page, then the case is reported, accepted, dispatched, handled, verified, closed and rated', async () => {
    violations.length = 0;
    // the citizen reports, without an account
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const citizen = await web.newPage();
    await citizen.goto(web.url('/report/'));
    await citizen.fill('#description', '小区门口垃圾堆放多日无人清运，气味很大');
    await citizen.fill('#lat', String(grid.centroidLat));
    await citizen.fill('#lng', String(grid.centroidLng));
    await citizen.fill('#address', '西平街道龙华路 12 号门口');
    await axe(citizen, 'report form');
    await citizen.click('[data-testid=report-submit]');
    const token = (await citizen.textContent('[data-testid=tracking-token]', { timeout: 20_000 }))!.trim();
    const caseNo = (await citizen.textContent('[data-testid=case-no]'))!.trim();
    await axe(citizen, 'report filed');
    const filed = (await Cases.findOne({ where: { caseNo } }))!;

    const unitId = await throughTheLoop(filed.id, caseNo);

    // the citizen follows it by the code, reads the unit's result and rates it
    await citizen.goto(web.url(`/report/#follow=${token}`));
    await citizen.waitForSelector('[data-testid=rating-form]');
    expect(await citizen.getAttribute('[data-testid=case-status]', 'data-status')).to.equal('closed');
    expect(await citizen.textContent('[data-testid=followed-case]')).to.contain('已清运并消杀，现场已恢复整洁');
    await axe(citizen, 'follow and rate');
    await citizen.check('#sat-yes');
    await citizen.selectOption('#stars', '5');
    await citizen.fill('#comment', '处理及时，谢谢');
    await citizen.click('[data-testid=rate-submit]');
    await citizen.waitForSelector('[data-testid=rated]');
    await eventually('the rating recorded by the process', async () => (await Cases.findByPk(filed.id))!.satisfaction === 'satisfied', 30_000);
    const unit = (await Units.findByPk(unitId))!;
    expect((await Cases.findByPk(filed.id))!.unitId).to.equal(unit.id);
    await axe(citizen, 'rated');
    web.expectNoErrors(citizen);
    expect(violations, `axe:\n${violations.join('\n')}`).to.deep.equal([]);
  });
  it("given the centre's day, when the operator registers a call and answers a consultation on /hotline/, the case goes round the loop, the operator calls the reporter back on /revisit/ and the auditor reads its history, then each page did its part", async () => {
    violations.length = 0;
    const grid = (await Grids.findOne({ order: [['id', 'DESC']] }))!;
    const operator = await web.newPage();
    await web.login(operator, 'operator');

    // 来电登记, keyboard first: caller, phone, what happened, where, the first suggested type, Ctrl+Enter
    await operator.goto(web.url('/hotline/'));
    await operator.locator('#caller-name').waitFor();
    await operator.keyboard.type('王先生');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type('13933334444');
    await operator.keyboard.press('Tab');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type('小区门口垃圾堆了好几天没人清运');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type('小区南门');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type(grid.code!);
    await eventually('the grid picked', async () => (await operator.locator('#grid-code').inputValue()) === grid.code, 10_000);
    await operator.locator('[data-testid=suggestions] input[data-suggestion]').first().waitFor();
    await operator.keyboard.press('Alt+1');
    await axe(operator, '来电登记');
    await operator.keyboard.press('Control+Enter');
    await operator.locator('[data-testid=hotline-done]').waitFor();
    const caseNo = /ZY\d{8}-\d+/.exec((await operator.locator('[data-testid=hotline-done]').textContent())!)![0];
    const filed = (await Cases.findOne({ where: { caseNo } }))!;
    expect([filed.channel, filed.reporterPhone]).to.deep.equal(['hotline', '13933334444']);

    // a consultation answered on the spot (直办): no case
    const cases = await Cases.count();
    await operator.locator('#caller-name').waitFor();
    await operator.keyboard.type('李女士');
    await operator.keyboard.press('Tab');
    await operator.keyboard.press('Tab');
    await operator.keyboard.press('ArrowDown');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type('居住证在哪里办理？');
    await operator.keyboard.press('Tab');
    await operator.keyboard.type('到所在街道便民服务中心办理。');
    await axe(operator, '直办');
    await operator.keyboard.press('Control+Enter');
    await operator.locator('[data-testid=hotline-done]').waitFor();
    expect(await Cases.count()).to.equal(cases);
    expect(await query<{ kind: string }>("SELECT kind FROM hotline_calls WHERE content = '居住证在哪里办理？'")).to.deep.equal([{ kind: 'consultation' }]);

    // the case round the loop, each step in its page
    await throughTheLoop(filed.id, caseNo);

    // 回访: the operator calls the reporter back and records 满意
    await operator.goto(web.url('/revisit/'));
    const form = operator.locator(`form[data-revisit="${caseNo}"]`);
    await form.waitFor();
    await form.getByLabel('满意', { exact: true }).check();
    await form.getByLabel('回访记录').fill('垃圾已清运，群众满意');
    await axe(operator, '回访');
    await form.getByRole('button', { name: '登记' }).click();
    await eventually('the case rated', async () => (await Cases.findByPk(filed.id))!.satisfaction === 'satisfied', 30_000);

    // the auditor reads the story of the case
    const auditor = await web.newPage();
    await web.login(auditor, 'auditor');
    await auditor.goto(web.url(`/history/#case=${filed.id}`));
    await auditor.waitForSelector('[data-testid=story] li');
    const steps = await auditor.$$eval('[data-testid=story] li', (lis) => lis.map((li) => li.getAttribute('data-step')));
    expect(steps).to.include.members(['reported', 'handled', 'verified', 'closed']);
    await axe(auditor, '案件经过');
    for (const page of [operator, auditor]) web.expectNoErrors(page);
    expect(violations, `axe:\n${violations.join('\n')}`).to.deep.equal([]);
  });
  it("given the district leader's 交办 and a grid worker's round on a phone, when the leader names 城管局 on /assign/, the case goes round the loop and the grid worker fixes a small problem on the spot on /field/, then the leader sees the 交办 closed and the worker's report is closed at once", async () => {
    violations.length = 0;
    const leader = await web.newPage();
    await web.login(leader, 'leader');
    await leader.goto(web.url('/assign/'));
    await leader.locator('#assign-unit option[value="D-CGJ"]').waitFor({ state: 'attached' });
    await leader.getByLabel('事项内容').fill('文昌路人行道长期占道经营，群众反映强烈');
    await leader.getByLabel('领导批示').fill('五日内清理到位，结果报区政府办');
    await leader.selectOption('#assign-unit', 'D-CGJ');
    await leader.getByLabel('办理时限').fill('2099-06-30T17:30');
    await leader.selectOption('#assign-priority', '100');
    await leader.getByLabel('地址').fill('西平街道文昌路');
    await axe(leader, '交办');
    await leader.getByRole('button', { name: '交办' }).click();
    const done = leader.locator('[data-testid=assign-message] .notice.ok');
    await done.waitFor();
    const caseNo = /ZY\d{8}-\d{4,}/.exec((await done.textContent())!)![0];
    const filed = (await Cases.findOne({ where: { caseNo } }))!;

    // the operator sees it marked high in the inbox, then the loop; the named unit handles it
    await openTaskRow(filed.id, ['accept', 'dispatch', 'handle']);
    const operator = await web.newPage();
    await web.login(operator, 'operator');
    await operator.goto(web.url('/tasks/'));
    expect(Number(await operator.locator(`tr[data-case="${caseNo}"] [data-testid=task-priority]`).getAttribute('data-priority'))).to.equal(100);
    await operator.context().close();
    const unitId = await throughTheLoop(filed.id, caseNo);
    expect(unitId).to.equal((await Units.findOne({ where: { code: 'D-CGJ' } }))!.id);
    await leader.reload();
    await leader.locator(`[data-testid=my-assignments] tr[data-case="${caseNo}"]`).waitFor();
    expect(await leader.locator(`[data-testid=my-assignments] tr[data-case="${caseNo}"]`).textContent()).to.contain('已结案');
    await axe(leader, '我的交办');

    // the grid worker, on a phone: a loose manhole cover fixed on the spot (自处置), filed and closed at once
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const worker = await web.newPage({ mobile: true, geolocation: { latitude: grid.centroidLat!, longitude: grid.centroidLng! } });
    await web.login(worker, 'gridworker');
    await worker.goto(web.url('/field/'));
    await worker.locator('#field-type optgroup').first().waitFor({ state: 'attached' });
    await worker.getByRole('button', { name: '获取当前位置' }).click();
    await worker.locator('[data-testid=field-located]', { hasText: '已定位' }).waitFor();
    await worker.selectOption('#field-type', 'BJ-0101');
    await worker.getByLabel('情况描述').fill('人行道上水井盖松动，行人踩踏有响声');
    await worker.getByLabel('自处置（已在现场处理好）').check();
    await worker.getByLabel('现场处置情况').fill('井盖复位并加垫片固定');
    await axe(worker, '巡查上报');
    await worker.getByRole('button', { name: '上报并办结' }).click();
    const reported = worker.locator('[data-testid=field-message] .notice.ok');
    await reported.waitFor();
    const fieldCaseNo = /ZY\d{8}-\d{4,}/.exec((await reported.textContent())!)![0];
    await worker.locator(`[data-testid=field-mine] [data-case="${fieldCaseNo}"]`).waitFor();
    expect((await Cases.findOne({ where: { caseNo: fieldCaseNo } }))!.status).to.equal('closed');
    for (const page of [leader, worker]) web.expectNoErrors(page);
    expect(violations, `axe:\n${violations.join('\n')}`).to.deep.equal([]);
  });
});
