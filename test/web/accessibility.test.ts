/**
 * axe-core, run in Chromium on every page each role opens (and on the states that draw more: a task form, a case's
 * history, each registry tab, the modeler with a diagram, the form editor with a form), finds no critical or serious
 * violation (support/axe.ts).
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, Grids } from '../support/tables.js';
import { seriousViolations } from './support/axe.js';
import { driveToClosed, driveToHandle } from './support/fixtures.js';
import { settlePage as settle } from './support/settle-page.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe('web: axe-core finds no critical or serious accessibility violation on any page', function () {
  this.timeout(600_000);
  let web: WebWorld;
  /** where → its violations */
  const found = new Map<string, string[]>();

  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  const check = async (page: Page, where: string) => {
    const lines = await seriousViolations(page);
    if (lines.length) found.set(where, lines);
  };
  const report = (prefix: string) => {
    const lines = [...found].filter(([w]) => w.startsWith(prefix)).map(([w, l]) => `${w}:\n  ${l.join('\n  ')}`);
    expect(lines, `axe violations:\n${lines.join('\n')}`).to.deep.equal([]);
  };

  const ROLES: Array<[string, string[], { mobile?: boolean }?]> = [
    [
      'admin',
      [
        '/',
        '/hotline/',
        '/revisit/',
        '/assign/',
        '/tasks/',
        '/history/',
        '/screen/',
        '/admin/',
        '/operations/',
        '/modeler/',
        '/modeler/forms.html',
        '/modeler/decisions.html',
        '/report/',
      ],
    ],
    ['operator', ['/', '/hotline/', '/revisit/', '/tasks/', '/history/', '/screen/']],
    ['clerk', ['/', '/tasks/', '/history/']],
    ['gridworker', ['/', '/field/', '/tasks/'], { mobile: true }],
    ['leader', ['/', '/assign/', '/tasks/']],
    ['auditor', ['/', '/history/', '/operations/', '/modeler/decisions.html']],
  ];

  it('given each role, when it opens every page it may, then axe reports no critical or serious violation', async () => {
    const anonymous = await web.newPage();
    for (const path of ['/', '/report/']) {
      await anonymous.goto(web.url(path));
      await settle(anonymous);
      await check(anonymous, `pages anonymous ${path}`);
    }
    await anonymous.context().close();
    for (const [user, paths, options] of ROLES) {
      const page = await web.newPage(options);
      await web.login(page, user);
      for (const path of paths) {
        await page.goto(web.url(path));
        await settle(page);
        await check(page, `pages ${user} ${path}`);
      }
      await page.context().close();
    }
    report('pages ');
  });

  it('given a case at a unit, when the clerk opens its task and the auditor its history, then the task form and the history pass axe', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '小区门口垃圾堆放多日无人清运', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道龙华路 3 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    const { staff } = await driveToHandle(web.api, row.id);
    const page = await web.newPage();
    await web.login(page, staff);
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${row.caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    await settle(page);
    await check(page, 'task form');
    await page.context().close();
    const auditor = await web.newPage();
    await web.login(auditor, 'auditor');
    await auditor.goto(web.url(`/history/#case=${row.id}`));
    await auditor.waitForSelector('[data-testid=story] li');
    await auditor.waitForSelector('[data-testid=diagram][data-ready=true]');
    await settle(auditor);
    await check(auditor, 'task history');
    report('task ');
  });

  it("given the forms filled in (a call with the caller's earlier cases and suggestions, a field report with 自处置, a revisit to record), then what they reveal passes axe too", async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const operatorToken = await web.api.login('operator');
    const filed = await web.api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: operatorToken,
      body: { description: '路灯不亮，晚上出行不便', reporterName: '赵女士', reporterPhone: '13922223333', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status).to.equal(201);
    await driveToClosed(web.api, filed.body.id);

    const operator = await web.newPage();
    await web.login(operator, 'operator');
    await operator.goto(web.url('/hotline/'));
    await operator.fill('#caller-name', '张先生');
    await operator.fill('#caller-phone', '13922223333');
    await operator.locator('#caller-phone').press('Tab');
    await operator.locator('[data-testid=caller-cases] [data-case]').first().waitFor();
    await operator.fill('#call-content', '路灯又不亮了，晚上出行不便');
    await operator.fill('#grid-search', grid.code!);
    await operator.locator('[data-testid=suggestions] input[data-suggestion]').first().waitFor();
    await check(operator, 'filled hotline call');
    await operator.goto(web.url('/revisit/'));
    await operator.locator(`form[data-revisit="${filed.body.caseNo}"]`).waitFor();
    await check(operator, 'filled revisit list');

    const worker = await web.newPage({ mobile: true, geolocation: { latitude: grid.centroidLat!, longitude: grid.centroidLng! } });
    await web.login(worker, 'gridworker');
    await worker.goto(web.url('/field/'));
    await worker.locator('#field-type optgroup').first().waitFor({ state: 'attached' });
    await worker.getByRole('button', { name: '获取当前位置' }).click();
    await worker.locator('[data-testid=field-located]', { hasText: '已定位' }).waitFor();
    await worker.getByLabel('情况描述').fill('人行道上水井盖松动');
    await worker.getByLabel('自处置（已在现场处理好）').check();
    await check(worker, 'filled field report');

    const leader = await web.newPage();
    await web.login(leader, 'leader');
    await leader.goto(web.url('/assign/'));
    await settle(leader);
    await check(leader, 'filled assign');
    report('filled ');
  });

  it('given the admin, when each registry tab, a diagram in the modeler, a form in the form editor and a decision table are open, then axe reports nothing critical or serious', async () => {
    const page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    const tabs = await page.locator('[data-tab]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tab')!));
    for (const tab of tabs) {
      await page.click(`[data-tab="${tab}"]`);
      await settle(page);
      await check(page, `admin #${tab}`);
    }
    await page.click('[data-tab="units"]');
    await page.click('[data-testid=new]');
    await page.waitForSelector('#f-code');
    await check(page, 'admin new unit form');
    await page.goto(web.url('/modeler/'));
    await page.click('li.process[data-process-id=case-generic] [data-testid=process-head]');
    await page.click('li.process[data-process-id=case-generic] li.version [data-testid=open-version]');
    await page.waitForSelector('[data-testid=canvas] .djs-element[data-element-id]');
    await page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
    await check(page, 'admin modeler case-generic');
    await page.goto(web.url('/modeler/forms.html'));
    await page.click('li.process[data-form-id=case-accept] [data-testid=form-head]');
    await page.click('li.process[data-form-id=case-accept] li.version [data-testid=open-version]');
    await page.waitForSelector('[data-testid=form-editor] .fjs-editor-container .fjs-form-field');
    await settle(page);
    await check(page, 'admin form editor');
    await page.goto(web.url('/modeler/decisions.html'));
    const drg = 'li.process[data-drg-id="revisit-window-drg"]';
    await page.click(`${drg} [data-testid=decision-head]`);
    await page.click(`${drg} li.version[data-version="1"] [data-testid=open-version]`);
    await page.waitForSelector('[data-testid=dmn-editor] td[data-row-id]');
    await page.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    await check(page, 'admin decision table');
    report('admin ');
  });
});
