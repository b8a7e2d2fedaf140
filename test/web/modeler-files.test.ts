/**
 * The modeler and files (issue #14 item 7, issue #18) in a real browser against the real server: an
 * administrator opens a diagram made in Camunda Modeler by the file button, is told plainly when a file is
 * not BPMN, drops the next version on the canvas, exports it, deploys it and moves the running cases of the
 * older version to it (preview: what moves, what cannot and why; then the batch with its progress); the
 * version diff reads as words; the shipped processes open with an empty problem list. The form page opens and
 * exports Camunda Modeler's .form files the same way.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { AuditRecords } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PROCESS_ID = 'Process_review_demo';
const SHIPPED = [
  'case-city-appearance',
  'case-dispute',
  'case-ecology',
  'case-emergency',
  'case-followup',
  'case-food-safety',
  'case-generic',
  'case-handling',
  'case-illegal-building',
];

describe('modeler-ui: files, version diff and migrating running cases in a browser', function () {
  this.timeout(240_000);
  let web: WebWorld;
  let page: Page;
  let v2Xml: string;

  before(async () => {
    web = await openWebWorld();
    page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/modeler/'));
    await page.waitForSelector('li.process[data-process-id=case-generic]');
    v2Xml = await readFile(`${FIXTURES}camunda-modeler-review-v2.bpmn`, 'utf8');
  });
  after(() => web?.close());

  const message = async (kind: 'ok' | 'error') => {
    await page.waitForSelector(`[data-testid=message][data-kind=${kind}]:not([hidden])`);
    return (await page.textContent('[data-testid=message]')) ?? '';
  };
  const lintSettled = () => page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
  /** drops a file on an element the way a desktop drag does: a `drop` event whose DataTransfer carries the file */
  const drop = async (selector: string, name: string, content: string) => {
    const dataTransfer = await page.evaluateHandle(
      ({ name, content }) => {
        // (runs in the page: the browser's DataTransfer, which node's types do not declare)
        const dt = new (globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } }).DataTransfer();
        dt.items.add(new File([content], name, { type: name.endsWith('.json') ? 'application/json' : 'application/xml' }));
        return dt;
      },
      { name, content },
    );
    await page.dispatchEvent(selector, 'dragover', { dataTransfer });
    await page.dispatchEvent(selector, 'drop', { dataTransfer });
  };

  it('given a file that is not a BPMN diagram, when it is opened by the button or dropped, then a Chinese message says what it is and nothing opens', async () => {
    expect(await page.isVisible('[data-testid=drop-zone]')).to.equal(true);
    await page.setInputFiles('[data-testid=file-input]', `${FIXTURES}not-a-diagram.json`);
    expect(await message('error')).to.equal('文件 not-a-diagram.json 是 JSON（可能是表单定义），不是 BPMN 流程图；表单请在“表单设计”中打开。');
    await page.setInputFiles('[data-testid=file-input]', `${FIXTURES}decision.dmn`);
    await page.waitForSelector('[data-testid=message]:has-text("DMN 决策表")');
    await drop('[data-testid=drop-zone]', '说明.txt', '这不是流程图');
    await page.waitForSelector('[data-testid=message]:has-text("说明.txt 不是 XML 文件")');
    await drop('[data-testid=drop-zone]', 'other.xml', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>');
    expect(await message('error')).to.contain('不是 BPMN 2.0 流程图');
    expect(await page.isVisible('[data-testid=canvas]')).to.equal(false);
    web.expectNoErrors(page);
  });

  it('given a diagram saved by Camunda Modeler, when it is opened with the file button, then it shows unsaved under its own process id, lint-clean, and deploys as version 1', async () => {
    await page.setInputFiles('[data-testid=file-input]', `${FIXTURES}camunda-modeler-review-v1.bpmn`);
    await page.waitForSelector('[data-testid=canvas] [data-element-id=Activity_1approve]');
    expect(await message('ok'))
      .to.contain('camunda-modeler-review-v1.bpmn')
      .and.contain(PROCESS_ID);
    expect(await page.textContent('[data-testid=editing-title]'))
      .to.contain(PROCESS_ID)
      .and.contain('来自文件');
    expect(await page.isVisible('.dirty')).to.equal(true);
    await lintSettled();
    expect(await page.getAttribute('[data-testid=lint-summary]', 'data-state')).to.equal('clean');
    await page.click('[data-testid=deploy]');
    expect(await message('ok'))
      .to.contain(PROCESS_ID)
      .and.contain('1');
    await page.waitForSelector(`li.process[data-process-id=${PROCESS_ID}] li.version[data-version="1"]`);
    const xml = await (
      await fetch(web.url(`/api/admin/processes/${PROCESS_ID}/versions/1/xml`), { headers: { Authorization: `Bearer ${await web.api.login('admin')}` } })
    ).text();
    expect(xml).to.contain('<zeebe:assignmentDefinition candidateGroups="dept_leader" />').and.contain('exporter="Camunda Modeler"');
  });

  let keys: string[] = [];

  it('given three running instances of version 1, when version 2 is dropped on the canvas, exported and deployed, then the download is the diagram and the migration panel lists version 1 with its instances', async () => {
    const port = web.api.world.port;
    keys = [];
    for (let i = 0; i < 3; i++) keys.push((await port.createInstance({ bpmnProcessId: PROCESS_ID, variables: { n: i } })).processInstanceKey);
    const engine = (port as unknown as { engine: { listUserTasks(f: object): Promise<Array<{ userTaskKey: string; elementId: string }>> } }).engine;
    // the third has passed 初审 and waits in 审批, which version 2 replaces by 终审
    const review = await eventually('the third 初审', async () => (await engine.listUserTasks({ processInstanceKey: keys[2], state: 'CREATED' }))[0] ?? null);
    await port.completeUserTask(review.userTaskKey, {});
    await eventually(
      'the third in 审批',
      async () => (await engine.listUserTasks({ processInstanceKey: keys[2], state: 'CREATED' }))[0]?.elementId === 'Activity_1approve',
    );

    await drop('[data-testid=canvas]', 'camunda-modeler-review-v2.bpmn', v2Xml);
    await page.waitForSelector('[data-testid=canvas] [data-element-id=Activity_2final]');
    expect(await page.textContent('[data-testid=editing-title]')).to.contain('camunda-modeler-review-v2.bpmn');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download]')]);
    expect(download.suggestedFilename()).to.equal(`${PROCESS_ID}.bpmn`);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(exported)
      .to.contain(`<bpmn:process id="${PROCESS_ID}"`)
      .and.contain('name="初审（新）"')
      .and.contain('type="review-demo-record"')
      .and.contain('<bpmndi:BPMNShape');

    await page.click('[data-testid=deploy]');
    expect(await message('ok')).to.contain('2');
    await page.waitForSelector('[data-testid=migrate-panel]:not([hidden]) li[data-version="1"]');
    expect(await page.textContent('[data-testid=migrate-panel] li[data-version="1"]')).to.contain('3 个运行中的实例');
  });

  it('given an auditor, when the migration panel of the latest version opens, then the preview is shown and no migration can be started', async () => {
    const auditor = await web.newPage();
    await web.login(auditor, 'auditor');
    await auditor.goto(web.url('/modeler/'));
    await auditor.click(`li.process[data-process-id=${PROCESS_ID}] [data-testid=process-head]`);
    await auditor.click(`li.process[data-process-id=${PROCESS_ID}] [data-testid=migrate-to-latest]`);
    await auditor.click('[data-testid=migrate-panel] li[data-version="1"] [data-testid=migrate-preview]');
    await auditor.waitForSelector('[data-testid=migrate-summary]');
    expect(await auditor.textContent('[data-testid=migrate-summary]')).to.equal('版本 1 → 版本 2：共 3 个实例，可迁移 2 个，不能迁移 1 个。');
    expect(await auditor.locator('[data-testid=migrate-start], [data-testid=migrate-reason]').count()).to.equal(0);
    expect(await auditor.textContent('[data-testid=migrate-read-only]')).to.equal('审计员只能查看迁移预览，不能执行迁移。');
    expect(await AuditRecords.count({ where: { action: 'ops_instance_migrated' } })).to.equal(0);
    web.expectNoErrors(auditor);
    await auditor.close();
  });

  it('given the migration panel, when the preview runs, then it says which cases move and which cannot and why; the batch then shows its progress and result per case, audited', async () => {
    await page.click('[data-testid=migrate-preview]');
    await page.waitForSelector('[data-testid=migrate-summary]');
    expect(await page.textContent('[data-testid=migrate-summary]')).to.equal('版本 1 → 版本 2：共 3 个实例，可迁移 2 个，不能迁移 1 个。');
    expect(await page.locator('[data-testid=migrate-preview-table] tr[data-migratable=true]').count()).to.equal(2);
    const refused = page.locator(`[data-testid=migrate-preview-table] tr[data-instance="${keys[2]}"]`);
    expect(await refused.getAttribute('data-migratable')).to.equal('false');
    expect(await refused.locator('.refusal').textContent()).to.equal('进行中的「审批」在新版本中没有对应的元素');
    expect(await page.textContent('[data-testid=migrate-panel]')).to.contain('新版本中没有对应元素的：审批');
    await web.screenshot(page, 'modeler-migrate-preview');

    // a reason is required
    await page.click('[data-testid=migrate-start]');
    await page.waitForSelector('[data-testid=migrate-panel] .notice.error:has-text("请填写迁移原因")');
    expect(await AuditRecords.count({ where: { action: 'ops_instance_migrated' } })).to.equal(0);
    await page.fill('[data-testid=migrate-reason]', '初审改名，审批改为终审');
    await page.click('[data-testid=migrate-start]');
    await page.waitForSelector('[data-testid=migrate-progress][data-state=finished]');
    expect(await page.textContent('[data-testid=migrate-count]')).to.equal('迁移完成：3 个中成功 2 个，失败 1 个');
    expect(await page.getAttribute('[data-testid=migrate-bar]', 'value')).to.equal('3');
    expect(await page.getAttribute(`[data-testid=migrate-results] tr[data-instance="${keys[0]}"]`, 'data-state')).to.equal('done');
    expect(await page.textContent(`[data-testid=migrate-results] tr[data-instance="${keys[2]}"]`)).to.contain('未迁移：引擎拒绝');
    const port = web.api.world.port;
    expect(await Promise.all(keys.map(async (k) => (await port.getInstance(k))?.version))).to.deep.equal([2, 2, 1]);
    const records = await AuditRecords.findAll({ where: { action: 'ops_instance_migrated' } });
    expect(records.map((r) => [r.actor, (r.detail as Record<string, unknown>)['reason']])).to.deep.equal([
      ['admin', '初审改名，审批改为终审'],
      ['admin', '初审改名，审批改为终审'],
    ]);
    await web.screenshot(page, 'modeler-migrate-done');
    web.expectNoErrors(page);
  });

  it('given versions 1 and 2, when they are compared, then the changes read as words: elements by name, added and removed, changed properties old → new, no JSON', async () => {
    const item = `li.process[data-process-id=${PROCESS_ID}]`;
    await page.selectOption(`${item} [data-testid=diff-from]`, '1');
    await page.selectOption(`${item} [data-testid=diff-to]`, '2');
    await page.click(`${item} [data-testid=diff-button]`);
    await page.waitForSelector('[data-testid=diff-summary]');
    const rowOf = (id: string) => page.locator(`.diff-row[data-element-id="${id}"]`);
    expect(await rowOf('Activity_2final').getAttribute('data-kind')).to.equal('added');
    expect(await rowOf('Activity_2final').locator('[data-testid=diff-element-name]').textContent()).to.equal('终审');
    expect(await rowOf('Activity_2final').textContent()).to.contain('用户任务');
    expect(await rowOf('Activity_1approve').getAttribute('data-kind')).to.equal('removed');
    expect(await rowOf('Activity_1approve').locator('[data-testid=diff-element-name]').textContent()).to.equal('审批');
    const props = async (id: string) =>
      rowOf(id)
        .locator('.diff-prop')
        .evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
    expect(await props('Activity_0review')).to.deep.equal([['名称', '初审', '初审（新）']]);
    expect(await props('Activity_0notify')).to.deep.include.members([
      ['任务类型', 'review-demo-notify', 'review-demo-record'],
      ['重试次数', '3', '5'],
      ['任务头 action', '（无）', 'approved'],
    ]);
    // a nameless flow is named by its ends
    expect(await rowOf('Flow_1w0c4ke').locator('[data-testid=diff-element-name]').textContent()).to.match(/^「初审.*」→「(审批|终审)」$/);
    const text = (await page.textContent('.diff-list')) ?? '';
    expect(text).to.not.match(/[{}]|\$type|oldValue/);
    await web.screenshot(page, 'modeler-diff-words');
    await page.click('[data-testid=diff-back]');
  });

  it('given a form saved by Camunda Modeler, when the form page opens it by the button, then it is in the editor under its own id, a diagram dropped there is refused in Chinese, and the export is the form', async () => {
    const forms = await web.newPage();
    await web.login(forms, 'admin');
    await forms.goto(web.url('/modeler/forms.html'));
    await forms.waitForSelector('[data-testid=form-list] li');
    await forms.setInputFiles('[data-testid=file-input]', `${FIXTURES}camunda-modeler-review.form`);
    await forms.waitForSelector('[data-testid=form-editor] .fjs-form-field:has-text("复核意见")');
    expect(await forms.textContent('[data-testid=editing-title]'))
      .to.contain('review-demo-form')
      .and.contain('来自文件');
    const dataTransfer = await forms.evaluateHandle((content) => {
      const dt = new (globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } }).DataTransfer();
      dt.items.add(new File([content], 'review.bpmn', { type: 'application/xml' }));
      return dt;
    }, v2Xml);
    await forms.dispatchEvent('[data-testid=form-editor]', 'drop', { dataTransfer });
    await forms.waitForSelector('[data-testid=message][data-kind=error]:not([hidden])');
    expect(await forms.textContent('[data-testid=message]')).to.equal('文件 review.bpmn 是 XML（可能是 BPMN 流程图），不是表单；流程请在“流程建模”中打开。');
    const [download] = await Promise.all([forms.waitForEvent('download'), forms.click('[data-testid=export]')]);
    expect(download.suggestedFilename()).to.equal('review-demo-form.form');
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { id: string; components: Array<{ key: string }> };
    expect([exported.id, exported.components.map((c) => c.key)]).to.deep.equal(['review-demo-form', ['reviewComment', 'approved']]);
    web.expectNoErrors(forms);
  });

  it('given the shipped processes, when each is opened in the modeler, then the problem list is empty and the diagram is not changed by opening it', async () => {
    for (const id of SHIPPED) {
      const item = `li.process[data-process-id=${id}]`;
      if (!(await page.isVisible(`${item} [data-testid=open-version]`))) await page.click(`${item} [data-testid=process-head]`);
      await page.click(`${item} li.version [data-testid=open-version]`);
      await page.waitForSelector(`[data-testid=editing-title][data-process-id="${id}"]`);
      await page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
      // and opening it changed nothing: the lint's save did not move the diagram to the editor's origin
      expect([
        id,
        await page.getAttribute('[data-testid=lint-summary]', 'data-state'),
        await page.locator('.lint-problem').count(),
        await page.isVisible('.dirty'),
      ]).to.deep.equal([id, 'clean', 0, false]);
    }
    web.expectNoErrors(page);
  });
});
