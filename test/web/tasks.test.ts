import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Attachments, AuditRecords, Cases, EventTypes, Grids, InboxTasks, Users, Op } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { driveToHandle, naturalWidth, openTaskOf, pngImage } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe('web: the task page (a department clerk handles a case)', function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  /** A 随手拍 report filed through the API and driven to the unit's 处置 task. */
  async function caseAtHandle(description: string): Promise<{ caseId: string; caseNo: string; handleKey: string; staff: string }> {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description, lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道龙华路 12 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    return { caseId: row.id, caseNo: row.caseNo, ...(await driveToHandle(web.api, row.id)) };
  }

  /** Submits the task form and waits for the outcome; a refusal fails with the page's message. */
  async function submitTask(page: Page): Promise<void> {
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=completed], [data-testid=form-message] [role=alert]');
    const refused = await page.locator('[data-testid=form-message] [role=alert]').allTextContents();
    expect(refused, 'the page refused the submission').to.deep.equal([]);
  }

  async function openTask(page: Page, caseNo: string): Promise<void> {
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
  }

  it("given a 处置 task in the unit's inbox, when the clerk claims it, uploads a photo, fills the form and submits it as done, then the task is completed with the photo's id", async () => {
    // given
    const c = await caseAtHandle('小区门口垃圾堆放多日无人清运');
    const page = await web.newPage();
    await web.login(page, c.staff);

    // when: the inbox shows the task with its light, and the case beside the form
    await page.goto(web.url('/tasks/'));
    const row = page.locator(`tr[data-case="${c.caseNo}"]`);
    await row.waitFor();
    expect(await row.locator('[data-light]').getAttribute('data-light')).to.be.oneOf(['green', 'yellow', 'red']);
    await row.click();
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    expect(await page.textContent('[data-testid=case-description]')).to.equal('小区门口垃圾堆放多日无人清运');
    expect(await page.textContent('[data-testid=case-coords]')).to.match(/^\d+\.\d{6}, \d+\.\d{6}$/);
    await page.waitForSelector('[data-testid=case-map] svg .pin');
    await page.waitForSelector('[data-testid=case-timeline] li');
    expect(await page.textContent('[data-testid=task-form]')).to.contain(c.caseNo); // the form's case context, rendered by form-js

    await page.click('[data-testid=claim]');
    await page.waitForSelector('[data-testid=unclaim]');
    expect(await page.textContent('[data-testid=task-assignee]')).to.contain(c.staff);
    expect((await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!.assignee).to.equal(c.staff);

    await page.click('[data-outcome=done]');
    await page.getByLabel('处置情况').fill('已清运并消杀，现场已恢复整洁');
    await page.setInputFiles('input[data-photo-field=photosAfter]', { name: 'after.png', mimeType: 'image/png', buffer: pngImage(40, 40, [46, 157, 79]) });
    await page.click('[data-upload-for=photosAfter]');
    const photoField = '[data-testid=task-form] input[id$=Field_photosAfter]';
    await eventually('the photo id in the form', async () => /^\d+$/.test(await page.inputValue(photoField)), 10_000);
    const photoId = await page.inputValue(photoField);
    await eventually('the uploaded photo shown', async () => (await naturalWidth(page, '.photo-uploads img')) > 0, 10_000);
    await web.screenshot(page, 'tasks-handle');
    await submitTask(page);

    // then
    const task = (await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!;
    expect(task.state).to.equal('completed');
    expect(task.completedBy).to.equal(c.staff);
    const photo = (await Attachments.findByPk(photoId))!;
    expect(photo.caseId).to.equal(c.caseId);
    expect(photo.kind).to.equal('photo_after');
    const completion = (await AuditRecords.findAll({ where: { action: 'task_completed' } }))
      .map((a) => a.detail as { userTaskKey?: string; data?: Record<string, unknown> })
      .find((d) => d.userTaskKey === c.handleKey)!;
    expect(completion.data).to.include({ handleOutcome: 'done', handleResult: '已清运并消杀，现场已恢复整洁', photosAfter: photoId });
    expect(await page.locator(`tr[data-case="${c.caseNo}"]`).count()).to.equal(0); // gone from the open inbox
    await openTaskOf(web.api, 'operator', c.caseId, ['verify']); // the process moved on to 核查
    web.expectNoErrors(page);
  });

  it("given a 处置 task the unit cannot finish in time, when the clerk picks 申请延期 and gives hours and a reason, then the request goes to the centre's 延期审批", async () => {
    // given
    const c = await caseAtHandle('道路破损需要专业队伍修复');
    const page = await web.newPage();
    await web.login(page, c.staff);
    await openTask(page, c.caseNo);

    // when
    await page.click('[data-outcome=extend]');
    expect(await page.textContent('[data-testid=task-submit]')).to.equal('提交延期申请');
    expect(await page.isHidden('[data-testid=photo-uploads]')).to.equal(true);
    await page.getByLabel('申请延期（小时）').fill('16');
    await page.getByLabel('延期理由').fill('需等待沥青材料到货');
    await web.screenshot(page, 'tasks-extend');
    await submitTask(page);

    // then
    const task = (await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!;
    expect(task.state).to.equal('completed');
    const review = await openTaskOf(web.api, 'operator', c.caseId, ['extensionReview']);
    expect(review.elementId).to.equal('extensionReview');
    web.expectNoErrors(page);
  });

  it('given the 退单 section, when the clerk submits it without a reason, then form-js marks the field and nothing is completed; with a reason it goes to 退单审核', async () => {
    // given
    const c = await caseAtHandle('不属于本单位职责的噪音投诉');
    const page = await web.newPage();
    await web.login(page, c.staff);
    await openTask(page, c.caseNo);

    // when
    await page.click('[data-outcome=return]');
    await page.click('[data-testid=task-submit]');

    // then
    await page.waitForSelector('[data-testid=form-message] [role=alert]');
    expect(await page.locator('[data-testid=task-form] .fjs-form-field-error').count()).to.be.greaterThan(0);
    expect((await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!.state).to.equal('created');

    // when a reason is given
    await page.getByLabel('退单理由').fill('噪音属于生态环境部门职责，建议改派环保局');
    await submitTask(page);

    // then: the centre's 退单审核 is in the operator's inbox with its deadline and light, as every task
    await openTaskOf(web.api, 'operator', c.caseId, ['returnReview']);
    web.expectNoErrors(page);
    const operator = await web.newPage();
    await web.login(operator, 'operator');
    await operator.goto(web.url('/tasks/'));
    const review = operator.locator(`tr[data-case="${c.caseNo}"]`);
    await review.waitFor();
    expect(await review.locator('[data-testid=task-due]').textContent()).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(await review.locator('[data-light]').getAttribute('data-light')).to.be.oneOf(['green', 'yellow', 'red']);
  });

  it('given a 退单 the centre refused with a comment, when the clerk and then the operator open the next round in the browser, then nothing is pre-selected or pre-filled and the clerk reads the comment', async () => {
    // given: round one, 退单 asked through the API and refused by the operator in the browser
    const c = await caseAtHandle('路灯不亮，晚上出行不便');
    const clerkToken = await web.api.login(c.staff);
    const asked = await web.api.call('POST', `/tasks/${c.handleKey}/complete`, {
      token: clerkToken,
      body: { data: { handleOutcome: 'return', returnReason: '第一轮：路灯归供电所管' } },
    });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(200);
    const operatorPage = await web.newPage();
    await web.login(operatorPage, 'operator');
    await openTaskOf(web.api, 'operator', c.caseId, ['returnReview']);
    await openTask(operatorPage, c.caseNo);
    expect(await operatorPage.textContent('[data-testid=task-form]')).to.contain('第一轮：路灯归供电所管');
    await operatorPage.getByLabel('不同意，退回原单位处置').check();
    await operatorPage.getByLabel('审核说明').fill('路灯由城管局照明所维护，请处理');
    await submitTask(operatorPage);

    // when: the clerk opens 处置 again
    const clerkPage = await web.newPage();
    await web.login(clerkPage, c.staff);
    await openTaskOf(web.api, c.staff, c.caseId, ['handle']);
    await openTask(clerkPage, c.caseNo);

    // then: no outcome chosen, no old reason, the comment in the form's text
    const form = clerkPage.locator('[data-testid=task-form]');
    expect(await form.textContent())
      .to.contain('中心审核意见')
      .and.contain('路灯由城管局照明所维护，请处理');
    expect(await clerkPage.locator('[data-testid=outcomes] button.active').count(), 'no outcome button active').to.equal(0);
    expect(await form.locator('input[type=radio]:checked').count(), 'no outcome radio checked').to.equal(0);
    await clerkPage.click('[data-outcome=return]');
    expect(await clerkPage.getByLabel('退单理由').inputValue(), 'the old reason is not offered').to.equal('');
    await clerkPage.getByLabel('退单理由').fill('第二轮：照明所无此路段台账');
    await submitTask(clerkPage);

    // and the operator's second 退单审核 opens with no decision and no comment
    await openTaskOf(web.api, 'operator', c.caseId, ['returnReview']);
    await openTask(operatorPage, c.caseNo);
    const review = operatorPage.locator('[data-testid=task-form]');
    expect(await review.textContent()).to.contain('第二轮：照明所无此路段台账');
    expect(await review.locator('input[type=radio]:checked').count(), '审核意见 not pre-selected').to.equal(0);
    expect(await operatorPage.getByLabel('审核说明').inputValue(), '审核说明 empty').to.equal('');
    await web.screenshot(operatorPage, 'tasks-return-review-round-2');
    web.expectNoErrors(clerkPage);
    web.expectNoErrors(operatorPage);
  });

  it("given a leader's 交办 with a high priority and an ordinary report, when the operator opens the inbox, then the priority column tells them apart", async () => {
    // a grid the other tests do not use: a report of the same type nearby would be merged into this one (并单)
    const grid = (await Grids.findOne({ order: [['id', 'DESC']] }))!;
    const leader = await web.api.login('leader');
    const urgent = await web.api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: leader,
      body: { description: '区领导交办：河道有大量漂浮物', priority: 90, lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(urgent.status, JSON.stringify(urgent.body)).to.equal(201);
    const usual = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '人行道地砖松动', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(usual.status).to.equal(201);
    await openTaskOf(web.api, 'operator', urgent.body.id, ['accept']);
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/tasks/'));
    const cell = (caseNo: string) => page.locator(`tr[data-case="${caseNo}"] [data-testid=task-priority]`);
    await cell(urgent.body.caseNo).waitFor();
    await cell(usual.body.caseNo).waitFor();
    expect(await cell(urgent.body.caseNo).textContent()).to.equal('高');
    expect(await cell(usual.body.caseNo).textContent()).to.equal('普通');
    web.expectNoErrors(page);
  });

  it('given the overdue filter, when the clerk turns it on, then a task not yet due is not listed; once past its due time it is, with a red light', async () => {
    // given
    const c = await caseAtHandle('井盖松动存在安全隐患');
    const page = await web.newPage();
    await web.login(page, c.staff);
    await page.goto(web.url('/tasks/'));
    await page.locator(`tr[data-case="${c.caseNo}"]`).waitFor();

    // when
    await page.check('#f-overdue');

    // then
    await page.waitForURL(/[?&]overdue=1/);
    await page.waitForSelector('[data-testid=task-count]');
    expect(await page.locator(`tr[data-case="${c.caseNo}"]`).count()).to.equal(0);
    await page.uncheck('#f-overdue');
    await page.locator(`tr[data-case="${c.caseNo}"]`).waitFor();

    // when the task's due time passes
    await InboxTasks.update({ dueAt: new Date(Date.now() - 3600_000) }, { where: { userTaskKey: c.handleKey } });
    await page.check('#f-overdue');

    // then
    const row = page.locator(`tr[data-case="${c.caseNo}"]`);
    await row.waitFor();
    expect(await row.locator('[data-light]').getAttribute('data-light')).to.equal('red');
    expect(await row.locator('td.overdue').count()).to.equal(1);
    await page.selectOption('#f-light', 'red');
    await page.waitForURL(/[?&]light=red/);
    await row.waitFor();
    await web.screenshot(page, 'tasks-overdue');
    web.expectNoErrors(page);
  });

  it("given the task's process variables and the category filter, when the clerk opens the task, then form-js shows the variables; another category hides the task, its own lists it", async () => {
    // given: a note the centre left in the instance, read by the 处置 form's text ({{dispatchNote}})
    const c = await caseAtHandle('路灯杆倾斜，夜间无照明');
    const row = (await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!;
    await web.api.world.port.setVariables(row.processInstanceKey!, { dispatchNote: '带上警示锥，注意夜间施工安全' });
    const category = (await Cases.findByPk(c.caseId))!.category!;
    const other = (await EventTypes.findOne({ where: { category: { [Op.ne]: category } } }))!.category;
    const page = await web.newPage();
    await web.login(page, c.staff);

    // when
    await openTask(page, c.caseNo);

    // then: the text comes from the task's variables, the deadline in local wording
    const formText = await page.textContent('[data-testid=task-form]');
    expect(formText).to.contain('带上警示锥，注意夜间施工安全');
    expect(formText).to.not.match(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(await page.textContent(`tr[data-case="${c.caseNo}"] [data-testid=task-category]`)).to.equal(category);

    // when: the category filter
    await page.locator(`#f-category option[value="${other}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#f-category', other);
    await page.waitForURL(new RegExp(`[?&]category=${encodeURIComponent(other)}`));
    await page.waitForSelector('[data-testid=task-count]');
    expect(await page.locator(`tr[data-case="${c.caseNo}"]`).count()).to.equal(0);
    await page.selectOption('#f-category', category);
    await page.locator(`tr[data-case="${c.caseNo}"]`).waitFor();
    await web.screenshot(page, 'tasks-category');
    web.expectNoErrors(page);
  });

  it('given an anonymous visitor of /tasks/, when they log in with a wrong and then the right password, then the form says why and afterwards brings them back to /tasks/', async () => {
    // given
    const page = await web.newPage();
    await page.goto(web.url('/tasks/'));
    await page.waitForURL(/\/\?next=%2Ftasks%2F$/);

    // when
    await page.fill('#username', 'clerk');
    await page.fill('#password', 'wrong-password');
    await page.click('[data-testid=login-submit]');

    // then
    expect(await page.textContent('#login-form [role=alert]')).to.contain('用户名或密码错误');
    await page.fill('#password', 'Demo@2026');
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/tasks\/$/);
    await page.waitForSelector('[data-testid=task-count]');
    expect(await page.textContent('[data-testid=current-user]')).to.contain('部门办事员');
    web.expectNoErrors(page, [/status of 401/]);
  });

  it("given an auditor, when they open a unit's task, then they see it and its case but cannot claim or submit it", async () => {
    // given
    const c = await caseAtHandle('审计抽查：占道经营');
    const page = await web.newPage();
    await web.login(page, 'auditor');

    // when
    await openTask(page, c.caseNo);

    // then
    expect(await page.locator('[data-testid=claim]').count()).to.equal(0);
    expect(await page.isDisabled('[data-testid=task-submit]')).to.equal(true);
    expect(await page.textContent('[data-testid=task-head]')).to.contain('您的角色只能查看此任务');
    expect(await page.textContent('[data-testid=case-description]')).to.equal('审计抽查：占道经营');
    expect((await InboxTasks.findOne({ where: { userTaskKey: c.handleKey } }))!.state).to.equal('created');
    web.expectNoErrors(page);
  });

  it('given a new report, when the operator accepts it in the browser, picking the event type from the catalogue, then the case is accepted with that type', async () => {
    // given
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '人行道井盖缺失', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    const accept = await openTaskOf(web.api, 'operator', row.id, ['accept']);
    const eventType = (await EventTypes.findOne({ where: { active: true }, order: [['id', 'DESC']] }))!;
    const page = await web.newPage();
    await web.login(page, 'operator');
    await openTask(page, row.caseNo);

    // when
    await page.getByText('立案', { exact: true }).click();
    await page.click('[data-testid=task-form] .fjs-form-field-select .fjs-input-group');
    await page.click(`.fjs-dropdownlist-item:has-text("${eventType.name}（${eventType.code}）")`);
    await submitTask(page);

    // then
    expect((await InboxTasks.findOne({ where: { userTaskKey: accept.userTaskKey } }))!.state).to.equal('completed');
    await eventually('the case accepted', async () => (await Cases.findByPk(row.id))!.status !== 'reported', 20_000);
    expect((await Cases.findByPk(row.id))!.eventTypeId).to.equal(eventType.id);
    web.expectNoErrors(page);
  });
  it('given more open tasks than a page holds, when the clerk opens the inbox, then "more" appends the following tasks by cursor, each once, until none is left', async () => {
    // given: 25 low-priority tasks of the clerk's unit (after every real one), sharing due times
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const due = new Date(Date.now() + 3 * 86_400_000);
    for (let i = 0; i < 25; i++) {
      await InboxTasks.create({
        userTaskKey: String(770000 + i),
        caseId: null,
        processInstanceKey: null,
        elementId: 'paging',
        name: `分页任务 ${i}`,
        formId: null,
        unitId: clerk.unitId,
        assignee: null,
        candidateGroups: [],
        state: 'created',
        priority: 1,
        dueAt: new Date(due.getTime() + Math.floor(i / 4) * 60_000),
        followUpAt: null,
        completedAt: null,
        completedBy: null,
      });
    }
    try {
      const all: string[] = [];
      const token = await web.api.login('clerk');
      let total = 0;
      for (let after: string | null = null, first = true; first || after; first = false) {
        const res: { status: number; body: { tasks: Array<{ userTaskKey: string }>; next: string | null; total?: number } } = await web.api.call(
          'GET',
          `/tasks?limit=20${after ? `&after=${encodeURIComponent(after)}` : ''}`,
          { token },
        );
        if (first) total = res.body.total!;
        all.push(...res.body.tasks.map((t) => t.userTaskKey));
        after = res.body.next;
      }
      expect(all.length).to.equal(total).and.be.greaterThan(20);
      const page = await web.newPage();
      await web.login(page, 'clerk');

      // when
      await page.goto(web.url('/tasks/'));
      await page.waitForSelector(`[data-testid=task-count]:has-text("${total}")`);
      const rows = () => page.$$eval('[data-testid=task-list] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-task')));
      expect(await rows()).to.deep.equal(all.slice(0, 20));

      // then
      for (let shown = 20; shown < total; shown = Math.min(total, shown + 20)) {
        await page.click('[data-testid=task-more]');
        await page
          .locator('[data-testid=task-list] tbody tr')
          .nth(Math.min(total, shown + 20) - 1)
          .waitFor();
      }
      expect(await rows()).to.deep.equal(all);
      expect(await page.isVisible('[data-testid=task-more]')).to.equal(false);
      await web.screenshot(page, 'tasks-more');
      web.expectNoErrors(page);
    } finally {
      await InboxTasks.destroy({ where: { elementId: 'paging' } });
    }
  });
});
