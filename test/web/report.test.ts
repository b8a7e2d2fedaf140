import { expect } from 'chai';
import { Attachments, Cases, Grids } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { driveToClosed, naturalWidth, pngImage } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe('web: the public 随手拍 page (report, follow by token, rate)', function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it('given a reporter on a phone, when they describe the problem, add a photo and their location and submit, then they get a tracking code and follow the case with it', async () => {
    // given
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const page = await web.newPage({ mobile: true, geolocation: { latitude: grid.centroidLat!, longitude: grid.centroidLng! } });
    await page.goto(web.url('/report/'));
    const casesBefore = await Cases.count();

    // when
    await page.fill('#description', '小区门口垃圾堆放多日无人清运，气味很大');
    await page.setInputFiles('#photos', { name: 'rubbish.png', mimeType: 'image/png', buffer: pngImage() });
    await page.waitForSelector('[data-testid=photo-previews] img');
    await page.click('[data-testid=locate]');
    await eventually('the position in the form', async () => (await page.inputValue('#lat')) !== '', 10_000);
    await page.fill('#address', '西平街道龙华路 12 号门口');
    await page.fill('#reporterPhone', '13812345678');
    await page.click('[data-testid=report-submit]');

    // then
    const tokenText = (await page.textContent('[data-testid=tracking-token]', { timeout: 15_000 }))!.trim();
    expect(tokenText).to.match(/^[A-Za-z0-9_-]{16,64}$/);
    const caseNo = (await page.textContent('[data-testid=case-no]'))!.trim();
    await web.screenshot(page, 'report-filed');
    expect(await Cases.count()).to.equal(casesBefore + 1);
    const filed = (await Cases.findOne({ where: { caseNo } }))!;
    expect(filed.trackingToken).to.equal(tokenText);
    expect(filed.channel).to.equal('photo');
    expect(filed.lat).to.be.closeTo(grid.centroidLat!, 1e-5);
    expect(filed.gridId).to.equal(grid.id);
    expect(filed.address).to.equal('西平街道龙华路 12 号门口');
    expect(await Attachments.count({ where: { caseId: filed.id, kind: 'photo' } })).to.equal(1);

    // when they follow it
    await page.click('[data-testid=follow-link]');
    await page.waitForSelector('[data-testid=followed-case]');

    // then the case, its progress and the photo are shown, and nothing personal
    expect(await page.textContent('[data-testid=followed-case] h2')).to.contain(caseNo);
    expect(await page.locator('[data-testid=timeline] li.done').count()).to.be.greaterThan(0);
    await eventually('the photo shown', async () => (await naturalWidth(page, '[data-testid=followed-case] .previews img')) === 48, 10_000);
    expect(await page.textContent('body')).not.to.contain('13812345678');
    await web.screenshot(page, 'report-follow');
    web.expectNoErrors(page);
  });

  it('given a closed case, when the reporter opens it by its code and rates it, then the rating reaches the process and the page shows it', async () => {
    // given a case filed without photos (JSON) and handled to the end through the API
    const grid = (await Grids.findOne({ order: [['id', 'DESC']] }))!;
    const page = await web.newPage();
    await page.goto(web.url('/report/'));
    await page.fill('#description', '路灯不亮已三天，晚上行人看不清路');
    await page.fill('#lat', String(grid.centroidLat));
    await page.fill('#lng', String(grid.centroidLng));
    await page.click('[data-testid=report-submit]');
    const token = (await page.textContent('[data-testid=tracking-token]', { timeout: 15_000 }))!.trim();
    const row = (await Cases.findOne({ where: { trackingToken: token } }))!;
    expect(await Attachments.count({ where: { caseId: row.id } })).to.equal(0);
    await driveToClosed(web.api, row.id);

    // when
    await page.goto(web.url(`/report/#follow=${token}`));
    await page.waitForSelector('[data-testid=rating-form]');
    expect(await page.getAttribute('[data-testid=case-status]', 'data-status')).to.equal('closed');
    expect(await page.locator('[data-testid=timeline] li.done').count()).to.equal(5);
    await page.check('#sat-yes');
    await page.selectOption('#stars', '4');
    await page.fill('#comment', '处理及时');
    await web.screenshot(page, 'report-rate');
    await page.click('[data-testid=rate-submit]');

    // then
    await page.waitForSelector('[data-testid=rated]');
    await eventually('the rating recorded by the process', async () => (await Cases.findByPk(row.id))!.satisfaction === 'satisfied', 20_000);
    await page.reload();
    await page.waitForSelector('[data-testid=followed-case]');
    expect(await page.locator('[data-testid=rating-form]').count()).to.equal(0);
    expect(await page.textContent('[data-testid=followed-case]')).to.contain('满意');
    web.expectNoErrors(page);
  });

  it('given a report without a description or a place, when it is submitted, then the page says what is missing and nothing is filed', async () => {
    // given
    const page = await web.newPage({ mobile: true });
    await page.goto(web.url('/report/'));
    const before = await Cases.count();

    // when
    await page.click('[data-testid=report-submit]');

    // then
    const alert = await page.textContent('#report-form [role=alert]');
    expect(alert).to.contain('问题描述').and.to.contain('请提供位置');
    expect(await Cases.count()).to.equal(before);
    web.expectNoErrors(page);
  });

  it('given an unknown tracking code, when it is looked up, then the page says no case has it', async () => {
    const page = await web.newPage();
    await page.goto(web.url('/report/#follow=abcdefgh12345678'));
    const alert = await page.textContent('[data-testid=follow-result] [role=alert]');
    expect(alert).to.contain('没有找到');

    // and in English after the switch (remembered across the reload)
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-testid=follow-result] [role=alert]');
    expect(await page.textContent('[data-testid=follow-result] [role=alert]')).to.equal('No case has this tracking code');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    web.expectNoErrors(page, [/status of 404/]);
  });
});
