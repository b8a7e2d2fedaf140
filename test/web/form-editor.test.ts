/**
 * The form editor in a real browser against the real server (SQLite): an administrator opens a task form,
 * changes a field's label in the form-js editor, previews it in the form viewer and deploys a new version.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openWebWorld, type WebWorld } from './support/web-world.js';

const FORM_ID = 'case-verify';
const FIELD = 'Field_verified';
const NEW_LABEL = '核查结论（网页修改）';

describe('modeler-ui: the form editor in a browser', function () {
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

  const item = `li.process[data-form-id=${FORM_ID}]`;
  const versionsViaApi = async () =>
    (await web.api.call<Array<{ version: number }>>('GET', `/admin/forms/${FORM_ID}/versions`, { token: adminToken })).body.map((v) => v.version);

  it('given the form page, when an administrator opens a form version, then the form-js editor shows its fields', async () => {
    await page.goto(web.url('/modeler/forms.html'));
    await page.click(`${item} [data-testid=form-head]`);
    await page.click(`${item} li.version[data-version="1"] [data-testid=open-version]`);
    await page.waitForSelector(`.fjs-editor-container .fjs-element[data-id=${FIELD}]`);
    expect(await page.textContent('[data-testid=editing-title]')).to.contain(FORM_ID);
    expect(await page.isVisible('[data-testid=form-editor] .fjs-palette-container')).to.equal(true);
    expect(await page.isVisible('[data-testid=form-editor] .fjs-powered-by')).to.equal(true);
  });

  it('given the form open, when a label is changed and the form deployed, then a new version with the new label appears', async () => {
    await page.click(`.fjs-editor-container .fjs-element[data-id=${FIELD}]`);
    await page.click('[data-group-id=group-general] .bio-properties-panel-group-header');
    await page.click('#bio-properties-panel-label');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(NEW_LABEL);
    await page.waitForSelector(`.fjs-editor-container .fjs-element[data-id=${FIELD}] .fjs-form-field-label:has-text("${NEW_LABEL}")`);
    await page.waitForSelector('.dirty:not([hidden])');
    // the preview renders the edited schema in the viewer the task list uses
    await page.click('[data-testid=tab-preview]');
    await page.waitForSelector(`[data-testid=form-preview] .fjs-form-field-label:has-text("${NEW_LABEL}")`);
    await page.click('[data-testid=tab-edit]');
    await page.click('[data-testid=deploy]');
    await page.waitForSelector('[data-testid=message][data-kind=ok]:not([hidden])');
    expect(await page.textContent('[data-testid=message]'))
      .to.contain(FORM_ID)
      .and.contain('2');
    await page.waitForSelector(`${item} li.version[data-version="2"]`);
    expect(await page.textContent(`${item} [data-testid=latest-version]`)).to.equal('v2');
    expect(await versionsViaApi()).to.deep.equal([2, 1]);
    const latest = await web.api.call<{ id: string; components: Array<{ id: string; label?: string }> }>('GET', `/admin/forms/${FORM_ID}/versions/latest`, {
      token: adminToken,
    });
    expect(latest.body.id).to.equal(FORM_ID);
    expect(latest.body.components.find((c) => c.id === FIELD)?.label).to.equal(NEW_LABEL);
    await web.screenshot(page, 'form-editor');
    web.expectNoErrors(page);
  });

  it('given no change since the deploy, when deployed again, then no new version is made', async () => {
    await page.click('[data-testid=deploy]');
    await page.waitForSelector('[data-testid=message][data-kind=ok]:has-text("未创建新版本")');
    expect(await versionsViaApi()).to.deep.equal([2, 1]);
  });

  it('given the form id changed in the editor, when deployed, then the server refuses it with the problem listed and no version is added', async () => {
    await page.click(`.fjs-editor-container .fjs-element[data-id=${FORM_ID}]`, { position: { x: 10, y: 5 } });
    await page.waitForSelector('#bio-properties-panel-id');
    await page.fill('#bio-properties-panel-id', 'another-form');
    await page.waitForSelector('.dirty:not([hidden])');
    await page.click('[data-testid=deploy]');
    await page.waitForSelector('[data-testid=message][data-kind=error]:not([hidden]) [data-testid=form-problems] li');
    expect(await page.textContent('[data-testid=form-problems]')).to.contain('id');
    expect(await versionsViaApi()).to.deep.equal([2, 1]);
    expect((await web.api.call('GET', '/admin/forms/another-form/versions', { token: adminToken })).status).to.equal(404);
    web.expectNoErrors(page, [/status of 422/]);
  });
});
