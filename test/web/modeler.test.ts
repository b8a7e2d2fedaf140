/**
 * The process modeler in a real browser against the real server (SQLite): an administrator creates a small
 * process, deploys it, adds a service task from one of our element templates, sees the live lint's style
 * warnings (listed and marked on the canvas; they do not block a deploy), fixes them, deploys again and compares
 * the first and the last version.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openWebWorld, type WebWorld } from './support/web-world.js';

const PROCESS_ID = 'web-modeler-demo';
const TEMPLATE = 'ywtg.worker.case-notify-reporter';

describe('modeler-ui: the BPMN modeler in a browser', function () {
  this.timeout(180_000);
  let web: WebWorld;
  let page: Page;
  let adminToken: string;

  before(async () => {
    web = await openWebWorld();
    adminToken = await web.api.login('admin');
    page = await web.newPage();
    await web.login(page, 'admin');
  });
  after(() => web?.close());

  /** a click on empty canvas (right of the palette, left of the watermark): ends editing, clears the selection */
  const clickBlank = async () => {
    const box = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await page.mouse.click(box.x + 200, box.y + box.height - 30);
  };
  const lintSettled = () => page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
  const problems = () =>
    page.$$eval('.lint-problem', (rows) =>
      rows.map((r) => ({ elementId: r.getAttribute('data-element-id'), rule: r.getAttribute('data-rule'), text: r.textContent ?? '' })),
    );
  const message = async (kind: 'ok' | 'error') => {
    await page.waitForSelector(`[data-testid=message][data-kind=${kind}]:not([hidden])`);
    return (await page.textContent('[data-testid=message]')) ?? '';
  };
  const versionsViaApi = async () => await web.api.call<Array<{ version: number }>>('GET', `/admin/processes/${PROCESS_ID}/versions`, { token: adminToken });

  it('given the modeler page, when an administrator opens it, then the deployed processes are listed with their versions', async () => {
    await page.goto(web.url('/modeler/'));
    await page.waitForSelector('li.process[data-process-id=case-generic]');
    await page.click('li.process[data-process-id=case-generic] [data-testid=process-head]');
    await page.waitForSelector('li.process[data-process-id=case-generic] li.version');
    const latest = await page.textContent('li.process[data-process-id=case-generic] [data-testid=latest-version]');
    expect(latest).to.match(/^v\d+$/);
    // opening a deployed version shows the diagram, its lint and the bpmn.io watermark
    await page.click('li.process[data-process-id=case-generic] li.version [data-testid=open-version]');
    await page.waitForSelector('[data-testid=canvas] .djs-element[data-element-id]');
    await lintSettled();
    expect(await page.isVisible('[data-testid=canvas] .bjs-powered-by')).to.equal(true);
    expect(await page.textContent('[data-testid=editing-title]')).to.contain('case-generic');
    // zh-CN by default: the page and bpmn-js's palette speak Chinese
    expect(await page.textContent('[data-testid=new-process]')).to.equal('新建流程');
    expect(await page.getAttribute('.djs-palette [data-action="create.start-event"]', 'aria-label')).to.equal('创建开始事件');
    await web.screenshot(page, 'modeler-case-generic');
  });

  it('given a new process from the template, when it is deployed, then version 1 appears in the list', async () => {
    await page.click('[data-testid=new-process]');
    await page.fill('[data-testid=new-process-id]', PROCESS_ID);
    await page.fill('[data-testid=new-process-name]', '网页建模演示');
    await page.click('[data-testid=new-process-create]');
    await page.waitForSelector('[data-testid=canvas] [data-element-id=StartEvent_1]');
    await lintSettled();
    expect(await problems()).to.deep.equal([]);
    expect(await page.getAttribute('[data-testid=lint-summary]', 'data-state')).to.equal('clean');
    await page.click('[data-testid=deploy]');
    expect(await message('ok'))
      .to.contain(PROCESS_ID)
      .and.contain('1');
    await page.waitForSelector(`li.process[data-process-id=${PROCESS_ID}] li.version[data-version="1"]`);
    const res = await versionsViaApi();
    expect(res.status).to.equal(200);
    expect(res.body.map((v) => v.version)).to.deep.equal([1]);
  });

  let taskId = '';

  it('given version 1 open, when a service task is appended from an element template, then the lint lists its problems and marks them on the canvas', async () => {
    await page.click('[data-testid=canvas] [data-element-id=StartEvent_1]');
    await page.click('.djs-context-pad [data-action=append]');
    await page.click('.djs-popup .entry[data-id=append-templates]');
    await page.click(`.djs-popup .entry[data-id="append.template-${TEMPLATE}"]`);
    taskId = (await page.getAttribute('[data-testid=canvas] .djs-shape.selected', 'data-element-id')) ?? '';
    expect(taskId).to.match(/^Activity_/);
    await page.waitForSelector(`.lint-problem[data-element-id="${taskId}"]`);
    await lintSettled();
    const listed = await problems();
    // the new task is an implicit end and has no name; the start event now splits without a gateway
    expect(listed.map((p) => `${p.elementId} ${p.rule}`)).to.include.members([
      `${taskId} no-implicit-end`,
      `${taskId} label-required`,
      'StartEvent_1 no-implicit-split',
    ]);
    // style advice from bpmnlint's recommended set: warnings, marked as such, never an error
    expect(await page.getAttribute('[data-testid=lint-summary]', 'data-state')).to.equal('warnings');
    expect(await page.isVisible(`[data-testid=canvas] .djs-element.lint-warning[data-element-id="${taskId}"]`)).to.equal(true);
    expect(await page.isVisible('[data-testid=canvas] .lint-badge-warning')).to.equal(true);
    expect(await page.$('[data-testid=canvas] .lint-badge-error')).to.equal(null);
    // clicking a problem selects its element
    await clickBlank();
    await page.click(`.lint-problem[data-element-id="StartEvent_1"]`);
    expect(await page.getAttribute('[data-testid=canvas] .djs-shape.selected', 'data-element-id')).to.equal('StartEvent_1');
    await web.screenshot(page, 'modeler-lint-problems');
  });

  it('given only style warnings, when deployed, then the warnings do not block it: version 2 is deployed and the warnings stay listed', async () => {
    await page.click('[data-testid=deploy]');
    expect(await message('ok')).to.contain('2');
    expect((await problems()).some((p) => p.rule === 'no-implicit-end')).to.equal(true);
    expect((await versionsViaApi()).body.map((v) => v.version)).to.deep.equal([2, 1]);
  });

  it('given the warnings, when the task is named and connected in place of the old flow, then the lint is clean and the deploy makes version 3', async () => {
    // name the task (direct editing on the canvas)
    await page.dblclick(`[data-testid=canvas] [data-element-id="${taskId}"]`);
    await page.waitForSelector('.djs-direct-editing-parent');
    await page.keyboard.type('通知报告人');
    await clickBlank();
    // remove the direct flow start → end
    // (a horizontal connection has no height, so it is clicked by position, away from the new branch)
    const flow = (await page.locator('[data-testid=canvas] [data-element-id=Flow_1] .djs-visual > path').boundingBox())!;
    await page.mouse.click(flow.x + flow.width * 0.8, flow.y + flow.height / 2);
    await page.waitForSelector('[data-testid=canvas] [data-element-id=Flow_1].selected', { state: 'attached' });
    await page.click('.djs-context-pad [data-action=delete]');
    // connect task → end
    await page.click(`[data-testid=canvas] [data-element-id="${taskId}"]`);
    await page.click('.djs-context-pad [data-action=connect]');
    const end = await page.locator('[data-testid=canvas] [data-element-id=EndEvent_1]').boundingBox();
    await page.mouse.move(end!.x + end!.width / 2, end!.y + end!.height / 2, { steps: 5 });
    await page.mouse.click(end!.x + end!.width / 2, end!.y + end!.height / 2);
    await page.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    expect(await problems()).to.deep.equal([]);
    await page.click('[data-testid=deploy]');
    expect(await message('ok')).to.contain('3');
    await page.waitForSelector(`li.process[data-process-id=${PROCESS_ID}] li.version[data-version="3"]`);
    expect(await page.textContent(`li.process[data-process-id=${PROCESS_ID}] [data-testid=latest-version]`)).to.equal('v3');
    const versions = await versionsViaApi();
    expect(versions.body.map((v) => v.version)).to.deep.equal([3, 2, 1]);
    const xml = await (
      await fetch(web.url(`/api/admin/processes/${PROCESS_ID}/versions/3/xml`), { headers: { Authorization: `Bearer ${adminToken}` } })
    ).text();
    expect(xml).to.contain('type="case-notify-reporter"').and.contain(`zeebe:modelerTemplate="${TEMPLATE}"`);
  });

  it('given two versions, when they are compared, then the added task is highlighted on the diagram and listed', async () => {
    const item = `li.process[data-process-id=${PROCESS_ID}]`;
    await page.selectOption(`${item} [data-testid=diff-from]`, '1');
    await page.selectOption(`${item} [data-testid=diff-to]`, '3');
    await page.click(`${item} [data-testid=diff-button]`);
    await page.waitForSelector(`[data-testid=diff-after] .djs-element.diff-added[data-element-id="${taskId}"]`);
    expect(await page.isVisible(`[data-testid=diff-after] .djs-element.diff-added[data-element-id="${taskId}"]`)).to.equal(true);
    // (a horizontal connection has no height: present, not "visible" to playwright)
    expect(await page.$('[data-testid=diff-before] .djs-element.diff-removed[data-element-id=Flow_1]')).to.not.equal(null);
    const rows = await page.$$eval('.diff-row', (rs) => rs.map((r) => `${r.getAttribute('data-kind')} ${r.getAttribute('data-element-id')}`));
    expect(rows).to.include.members([`added ${taskId}`, 'removed Flow_1']);
    // the watermark stays visible on both diagrams
    expect(await page.isVisible('[data-testid=diff-before] .bjs-powered-by')).to.equal(true);
    expect(await page.isVisible('[data-testid=diff-after] .bjs-powered-by')).to.equal(true);
    await web.screenshot(page, 'modeler');
    web.expectNoErrors(page);
  });

  it('given version 3 open, when an edit is saved as a draft, then the draft is listed, reopens with the edit and can be deleted', async () => {
    await page.click('[data-testid=diff-back]');
    const item = `li.process[data-process-id=${PROCESS_ID}]`;
    await page.click(`${item} li.version[data-version="3"] [data-testid=open-version]`);
    await page.waitForSelector(`[data-testid=canvas] [data-element-id="${taskId}"]`);
    await page.dblclick(`[data-testid=canvas] [data-element-id="${taskId}"]`);
    await page.waitForSelector('.djs-direct-editing-parent');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('通知报告人（草稿）');
    await clickBlank();
    await page.click('[data-testid=save-draft]');
    expect(await message('ok')).to.have.length.greaterThan(0);
    await page.waitForSelector(`${item} .tag.draft`);
    const draft = await web.api.call<{ xml: string }>('GET', `/admin/processes/${PROCESS_ID}/draft`, { token: adminToken });
    expect(draft.body.xml).to.contain('通知报告人（草稿）');
    // reopen: version 1 first, then the draft
    await page.click(`${item} li.version[data-version="1"] [data-testid=open-version]`);
    await page.waitForSelector('[data-testid=canvas] [data-element-id=Flow_1]', { state: 'attached' });
    await page.click(`${item} [data-testid=open-draft]`);
    await page.waitForSelector(`[data-testid=canvas] [data-element-id="${taskId}"]:has-text("通知报告人（草稿）")`);
    expect(await page.textContent('[data-testid=editing-title]')).to.contain('草稿');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid=delete-draft]');
    await page.waitForSelector(`${item} .process-head:not(:has(.tag.draft))`);
    expect((await web.api.call('GET', `/admin/processes/${PROCESS_ID}/draft`, { token: adminToken })).status).to.equal(404);
  });

  it('given an auditor, when the modeler opens, then the versions can be looked at and compared but nothing can be saved or deployed; English on request', async () => {
    const auditor = await web.newPage();
    await web.login(auditor, 'auditor');
    await auditor.goto(web.url('/modeler/'));
    const item = `li.process[data-process-id=${PROCESS_ID}]`;
    await auditor.click(`${item} [data-testid=process-head]`);
    await auditor.click(`${item} li.version[data-version="3"] [data-testid=open-version]`);
    await auditor.waitForSelector(`[data-testid=canvas] [data-element-id="${taskId}"]`);
    await auditor.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    for (const action of ['new-process', 'save-draft', 'delete-draft', 'deploy']) {
      expect(await auditor.$(`[data-testid=${action}]`), action).to.equal(null);
    }
    await auditor.click('[data-testid=lang-switch]');
    await auditor.waitForSelector('[data-testid=refresh]:has-text("Refresh")');
    expect(await auditor.textContent('.sidebar h2')).to.equal('Processes');
    web.expectNoErrors(auditor);
  });
});
