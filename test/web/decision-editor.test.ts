/**
 * The decision tables page (issue 15) in a real browser against the real server (SQLite): an administrator opens
 * the shipped revisit-window table in dmn-js, sees the live lint, breaks a rule and is refused with the engine's
 * problem, fixes it, deploys a new version; an auditor opens it read-only.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openWebWorld, type WebWorld } from './support/web-world.js';

const DRG = 'revisit-window-drg';

describe('modeler-ui: the DMN decision table editor in a browser', function () {
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

  const item = `li.process[data-drg-id="${DRG}"]`;
  const cell = (rule: string) => `[data-testid=dmn-editor] td[data-row-id=${rule}][data-col-id=out_wait]`;

  /** Replaces the text of a table cell as a user does: click into it, select all, type. */
  async function typeInto(selector: string, text: string) {
    await page.click(`${selector} .content-editable`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
    await page.click('[data-testid=editing-title]'); // leave the cell
  }

  it('given the shipped revisit-window table, when the administrator opens version 1, then dmn-js shows its rules and the lint is clean', async () => {
    await page.goto(web.url('/modeler/decisions.html'));
    await page.click(`${item} [data-testid=decision-head]`);
    await page.click(`${item} li.version[data-version="1"] [data-testid=open-version]`);
    await page.waitForSelector(cell('rule_app'));
    expect(await page.textContent(cell('rule_app'))).to.contain('"P7D"');
    expect(await page.textContent('[data-testid=editing-title]')).to.contain(DRG);
    // the table head in Chinese: the hit policy and the columns
    const table = (await page.textContent('[data-testid=dmn-editor]')) ?? '';
    expect(table).to.contain('命中策略');
    expect(table).to.contain('上报渠道');
    await page.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    // the bpmn.io watermark stays visible (the licence requires it)
    expect(await page.isVisible('[data-testid=dmn-editor] .powered-by-logo, [data-testid=dmn-editor] .bjs-powered-by')).to.equal(true);
  });

  it('given a rule broken by a FEEL typo, when the lint runs and the administrator deploys, then the engine names the rule, the deploy is refused and no version is made', async () => {
    await typeInto(cell('rule_app'), '"P5D" +');
    await page.waitForSelector('.dirty:not([hidden])');
    await page.waitForSelector('[data-testid=lint-summary][data-state=errors]');
    expect(await page.textContent('[data-testid=lint-panel]')).to.contain('rule_app');
    await page.click('[data-testid=deploy]');
    await page.waitForSelector('[data-testid=message][data-kind=error]:not([hidden])');
    const versions = (await web.api.call<Array<{ version: number }>>('GET', `/admin/decisions/${DRG}/versions`, { token: adminToken })).body;
    expect(versions.map((v) => v.version)).to.deep.equal([1]);
  });

  it('given the rule corrected to a five-day wait, when deployed, then version 2 holds it, the list shows v2 and the export is the DMN file', async () => {
    await typeInto(cell('rule_app'), '"P5D"');
    await page.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    await page.click('[data-testid=deploy]');
    await page.waitForSelector('[data-testid=message][data-kind=ok]:not([hidden])');
    expect(await page.textContent('[data-testid=message]')).to.contain('2');
    await page.waitForSelector(`${item} [data-testid=latest-version]:has-text("v2")`);
    const xml = (await web.api.call<string>('GET', `/admin/decisions/${DRG}/versions/2`, { token: adminToken })).body;
    expect(xml).to.contain('"P5D"').and.not.contain('"P7D"');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
    expect(download.suggestedFilename()).to.equal(`${DRG}.dmn`);
    await web.screenshot(page, 'decision-editor');
    // the refused deploy of the test before answered 422, which the browser logs
    web.expectNoErrors(page, [/422 \(Unprocessable Entity\).*\/deploy/]);
  });

  it('given an auditor, when the page opens, then the table can be opened and linted but there is no deploy button', async () => {
    const auditor = await web.newPage();
    await web.login(auditor, 'auditor');
    await auditor.goto(web.url('/modeler/decisions.html'));
    await auditor.click(`${item} [data-testid=decision-head]`);
    await auditor.click(`${item} li.version[data-version="2"] [data-testid=open-version]`);
    await auditor.waitForSelector(cell('rule_app'));
    await auditor.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    expect(await auditor.locator('[data-testid=deploy]').count()).to.equal(0);
    expect(await auditor.locator('[data-testid=new-decision]').count()).to.equal(0);
  });
});
