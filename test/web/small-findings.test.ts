import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, Grids, InboxTasks } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { createCase } from '../support/case-fixtures.js';
import { driveToHandle, naturalWidth, pngImage } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/** The `pattern` attributes on the page the browser cannot compile (it compiles them with the v flag, then ignores them). */
const badPatterns = (page: Page) =>
  page.$$eval('[pattern]', (els) =>
    els
      .map((el) => el.getAttribute('pattern')!)
      .filter((p) => {
        try {
          new RegExp(`^(?:${p})$`, 'v');
          return false;
        } catch {
          return true;
        }
      }),
  );

/** Inputs, selects and text areas in <main> with no accessible name (no <label>, no aria-label). */
const unlabelled = (page: Page) =>
  page.$$eval('main input:not([type=hidden]), main select, main textarea', (els) =>
    els
      .filter(
        (el) => !(el as unknown as { labels?: { length: number } }).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
      )
      .map((el) => el.id || el.outerHTML.slice(0, 80)),
  );

describe('web: the smaller findings of issue 14 item 9', function () {
  this.timeout(180_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it("given every page, when the keyboard user presses Tab first, then a skip link takes the focus to the page's main content", async () => {
    const page = await web.newPage();
    await page.goto(web.url('/report/'));
    await page.waitForSelector('main#main');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('data-testid')).to.equal('skip-link');
    expect(await page.locator(':focus').textContent()).to.equal('跳到正文');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).to.equal('main');
    await web.login(page, 'admin');
    for (const path of [
      '/',
      '/tasks/',
      '/history/',
      '/hotline/',
      '/revisit/',
      '/assign/',
      '/screen/',
      '/admin/',
      '/operations/',
      '/modeler/',
      '/modeler/forms.html',
    ]) {
      await page.goto(web.url(path));
      await page.waitForSelector('main#main');
      expect(await page.locator('body > :first-child').getAttribute('href'), path).to.equal('#main');
    }
  });

  it('given the pages with pattern attributes, then every pattern is a regular expression the browser accepts', async () => {
    const page = await web.newPage();
    await page.goto(web.url('/report/'));
    await page.waitForSelector('#reporterPhone');
    expect(await page.locator('[pattern]').count()).to.be.at.least(1);
    expect(await badPatterns(page)).to.deep.equal([]);
    await page.goto(web.url('/report/#follow=abcdefgh12'));
    await page.waitForSelector('#token');
    expect(await badPatterns(page)).to.deep.equal([]);
    await web.login(page, 'operator');
    for (const path of ['/hotline/', '/tasks/']) {
      await page.goto(web.url(path));
      await page.waitForSelector('main#main > *');
      expect(await badPatterns(page), path).to.deep.equal([]);
    }
  });

  it('given the operator on /tasks/, when they filter by unit, then they pick the unit by its name from a list and the filter sends its code', async () => {
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/tasks/'));
    await page.waitForSelector('#f-unit option[value="D-CGJ"]', { state: 'attached' });
    expect(await page.$eval('#f-unit', (el) => el.tagName)).to.equal('SELECT');
    expect(await page.textContent('#f-unit option[value="D-CGJ"]')).to.contain('城管');
    await page.selectOption('#f-unit', 'D-CGJ');
    await page.waitForURL(/unit=D-CGJ/);
    web.expectNoErrors(page);
  });

  it('given an open task at 1440 px, then the inbox table shows every column without cutting one off', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '宽度检查：小区门口路灯不亮，已经三天了', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道文昌路 18 号' },
    });
    expect(filed.status).to.equal(201);
    const c = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    // the machine may be busy: the 受理 task reaches the inbox once intake's workers have run
    await eventually('the 受理 task in the inbox', () => InboxTasks.findOne({ where: { caseId: c.id, elementId: 'accept', state: 'created' } }), 60_000);
    const page = await web.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await web.login(page, 'operator');
    await page.goto(web.url('/tasks/'));
    const row = page.locator(`tr[data-case="${filed.body.caseNo}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.waitForSelector('[data-testid=task-form]');
    const fit = await page.$eval('.task-list-col', (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fit.scroll, JSON.stringify(fit)).to.be.at.most(fit.client + 1);
    const lastHeader = (await page.locator('table.tasks thead th').last().boundingBox())!;
    const list = (await page.locator('.task-list-col').boundingBox())!;
    expect(lastHeader.x + lastHeader.width).to.be.at.most(list.x + list.width + 1);
  });

  it("given a case's history, then every field on /history/ has a label, and the search form's too", async () => {
    const c = await createCase({ status: 'accepted', description: '标签检查用案件' });
    const page = await web.newPage();
    await web.login(page, 'auditor');
    await page.goto(web.url('/history/'));
    await page.waitForSelector('[data-testid=case-search]');
    expect(await unlabelled(page)).to.deep.equal([]);
    await page.goto(web.url(`/history/#case=${c.id}`));
    await page.waitForSelector('[data-testid=export-audit]');
    expect(await unlabelled(page)).to.deep.equal([]);
  });

  it('given a phone, then every link and button of the header is at least 44 px tall', async () => {
    const page = await web.newPage({ mobile: true });
    await web.login(page, 'gridworker');
    await page.goto(web.url('/field/'));
    await page.waitForSelector('.site-header');
    const heights = await page.$$eval('.site-header a, .site-header button', (els) =>
      els.map((el) => [el.textContent, Math.round(el.getBoundingClientRect().height)] as const),
    );
    expect(heights.length).to.be.at.least(3);
    for (const [text, height] of heights) expect(height, String(text)).to.be.at.least(44);
  });

  it('given the command-centre screen, when it goes live, then the login token travels in a header and never in an address', async () => {
    const page = await web.newPage();
    const urls: string[] = [];
    const streamAuth: Array<string | undefined> = [];
    page.on('request', (req) => {
      urls.push(req.url());
      if (req.url().includes('/api/dashboard/stream')) streamAuth.push(req.headers()['authorization']);
    });
    await web.login(page, 'operator');
    await page.goto(web.url('/screen/'));
    await page.waitForSelector('[data-testid=stream-state][data-state=live]');
    expect(urls.filter((u) => /token/i.test(new URL(u).search))).to.deep.equal([]);
    expect(streamAuth.length).to.be.at.least(1);
    expect(streamAuth[0]).to.match(/^Bearer [A-Za-z0-9_-]{10,}$/);
  });

  it('given a case the unit finished with a result and an after-photo, when the reporter follows it, then they read the result and see the after-photo', async () => {
    // given: a public report taken to 处置, finished with a result (a phone number in it) and an after-photo
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '公园长椅断裂，小孩容易受伤', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道公园路 2 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    const { handleKey, staff } = await driveToHandle(web.api, row.id);
    const token = await web.api.login(staff);
    const upload = new FormData();
    upload.append('kind', 'photo_after');
    upload.append('file', new Blob([pngImage(48, 32, [30, 160, 60])], { type: 'image/png' }), '修复后.png');
    const up = await fetch(`${web.api.base}/tasks/${handleKey}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: upload });
    expect(up.status).to.equal(201);
    const photoId = ((await up.json()) as { id: string }).id;
    await web.api.call('POST', `/tasks/${handleKey}/claim`, { token });
    const done = await web.api.call('POST', `/tasks/${handleKey}/complete`, {
      token,
      body: { data: { handleOutcome: 'done', handleResult: '已更换长椅，联系电话 13912345678', photosAfter: photoId } },
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);

    // when
    const page = await web.newPage();
    await page.goto(web.url(`/report/#follow=${row.trackingToken}`));

    // then: the result in words (personal numbers masked, as everywhere in public) and the after-photo
    await page.waitForSelector('[data-testid=handle-result]');
    const result = await page.textContent('[data-testid=handle-result]');
    expect(result).to.contain('已更换长椅').and.not.contain('13912345678');
    await eventually('the after-photo shown', async () => (await naturalWidth(page, '[data-testid=after-photos] img')) === 48, 10_000);
    web.expectNoErrors(page);
  });

  it('given the district leader, when they log in, then the task card says the inbox is theirs to read and promises no 签收 or 处置', async () => {
    const page = await web.newPage();
    await web.login(page, 'leader');
    const card = await page.locator('[data-testid=page-links] [data-page=tasks]').innerText();
    expect(card).to.contain('只读');
    expect(card).not.to.match(/签收|处置/);
    // a clerk's card still says what the clerk does
    const clerk = await web.newPage();
    await web.login(clerk, 'clerk');
    expect(await clerk.locator('[data-testid=page-links] [data-page=tasks]').innerText()).to.contain('签收');
  });
});
