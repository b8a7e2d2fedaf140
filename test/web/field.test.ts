import { expect } from 'chai';
import { Attachments, AuditRecords, Cases, Grids, type Row } from '../support/tables.js';
import { pngImage } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/**
 * 巡查上报 on a phone (issue #14 item 4): photo, position, event type, 自处置; and 随手拍 while signed in
 * (item 4c) files nothing anonymous.
 */
describe('web: 巡查上报, the grid worker reports from a phone (390×844)', function () {
  this.timeout(150_000);
  let web: WebWorld;
  let grid: Row<'grids'>;
  before(async () => {
    web = await openWebWorld();
    grid = (await Grids.findAll({ order: [['id', 'DESC']], limit: 3 }))[2]!;
  });
  after(() => web?.close());

  it('given a grid worker on a phone with positioning allowed, when they photograph a loose manhole cover, locate, pick the type and tick 自处置, then the case is filed with the photo and position and closed at once', async () => {
    const page = await web.newPage({ mobile: true, geolocation: { latitude: grid.centroidLat!, longitude: grid.centroidLng! } });
    await web.login(page, 'gridworker');
    await page.goto(web.url('/field/'));
    await page.locator('#field-type optgroup').first().waitFor({ state: 'attached' });
    await page.setInputFiles('#field-photos', { name: '井盖.png', mimeType: 'image/png', buffer: pngImage() });
    await page.locator('[data-testid=field-previews] img').waitFor();
    await page.getByRole('button', { name: '获取当前位置' }).click();
    await page.locator('[data-testid=field-located]', { hasText: '已定位' }).waitFor();
    await page.selectOption('#field-type', 'BJ-0101');
    await page.getByLabel('情况描述').fill('人行道上水井盖松动，行人踩踏有响声');
    await page.getByLabel('自处置（已在现场处理好）').check();
    await page.getByLabel('现场处置情况').fill('井盖复位并加垫片固定');
    // every control is reachable with a thumb: nothing wider than the screen, the submit at least 44 px tall
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
    const box = (await page.getByRole('button', { name: '上报并办结' }).boundingBox())!;
    expect(box.height).to.be.at.least(44);
    await web.screenshot(page, 'field-report-phone');
    await page.getByRole('button', { name: '上报并办结' }).click();
    const done = page.locator('[data-testid=field-message] .notice.ok');
    await done.waitFor();
    const caseNo = /ZY\d{8}-\d{4,}/.exec((await done.textContent())!)![0];
    expect(await done.textContent()).to.contain('已自处置办结');
    await page.locator(`[data-testid=field-mine] [data-case="${caseNo}"]`).waitFor();

    const c = (await Cases.findOne({ where: { caseNo } }))!;
    expect(c).to.include({ channel: 'grid_worker', status: 'closed', gridId: grid.id });
    expect(c.lat).to.be.closeTo(grid.centroidLat!, 1e-5);
    expect(await Attachments.count({ where: { caseId: c.id, kind: 'photo' } })).to.equal(1);
    expect(await AuditRecords.count({ where: { caseId: c.id, action: 'self-handled' } })).to.equal(1);
    web.expectNoErrors(page);
  });

  it('given positioning refused, when the grid worker types the address instead and reports without 自处置, then the case enters the loop', async () => {
    const page = await web.newPage({ mobile: true });
    await web.login(page, 'gridworker');
    await page.goto(web.url('/field/'));
    await page.locator('#field-type optgroup').first().waitFor({ state: 'attached' });
    await page.getByRole('button', { name: '获取当前位置' }).click();
    await page.locator('[data-testid=field-located]', { hasText: '定位失败' }).waitFor();
    expect(await page.locator(':focus').evaluate((el) => (el as unknown as { id: string }).id), 'the address field takes over').to.equal('field-address');
    await page.keyboard.type('西平街道文昌路 12 号门口');
    await page.selectOption('#field-type', 'BJ-0101');
    await page.getByLabel('情况描述').fill('路边井盖缺失，已设警示');
    await page.getByRole('button', { name: '上报', exact: true }).click();
    const done = page.locator('[data-testid=field-message] .notice.ok');
    await done.waitFor();
    const caseNo = /ZY\d{8}-\d{4,}/.exec((await done.textContent())!)![0];
    const c = (await Cases.findOne({ where: { caseNo } }))!;
    expect(c).to.include({ status: 'reported', address: '西平街道文昌路 12 号门口', channel: 'grid_worker' });
  });

  it('given a signed-in grid worker, when they open 随手拍, then no anonymous form is offered: their own page is, or signing out to report as a citizen', async () => {
    const page = await web.newPage({ mobile: true });
    await web.login(page, 'gridworker');
    await page.goto(web.url('/report/'));
    const notice = page.locator('[data-testid=report-staff]');
    await notice.waitFor();
    expect(await notice.textContent())
      .to.contain('网格员')
      .and.contain('不会记在您名下');
    expect(await page.locator('#description').count()).to.equal(0);
    await page.getByRole('link', { name: '到「巡查上报」上报' }).click();
    await page.waitForURL(/\/field\/$/);
    // a staff member without a filing page of their own may sign out and report as anyone can
    const clerk = await web.newPage({ mobile: true });
    await web.login(clerk, 'clerk');
    await clerk.goto(web.url('/report/'));
    await clerk.locator('[data-testid=report-staff]').waitFor();
    expect(await clerk.locator('[data-testid=report-own-page]').count()).to.equal(0);
    await clerk.getByRole('button', { name: '退出登录，以群众身份匿名上报' }).click();
    await clerk.locator('#description').waitFor();
    expect(await clerk.locator('[data-testid=current-user]').count()).to.equal(0);
  });
});
