import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CalendarDays, Units, Users } from '../support/tables.js';
import { snapshot } from '../api/support/api-world.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe('web: the registry admin page', function () {
  this.timeout(120_000);
  let web: WebWorld;
  let page: Page;
  before(async () => {
    web = await openWebWorld();
    page = await web.newPage();
    page.on('dialog', (d) => void d.accept()); // the delete and reset confirmations
    await web.login(page, 'admin');
  });
  after(() => web?.close());

  const row = (name: string) => page.locator(`table.records tr[data-name="${name}"]`);

  it('given the units list, when the admin creates a unit, then it is stored and listed', async () => {
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    expect(await page.getAttribute('[data-testid=link-modeler]', 'href')).to.equal('/modeler/');
    expect(await page.getAttribute('[data-testid=link-forms]', 'href')).to.equal('/modeler/forms.html');
    await page.click('[data-testid=new]');
    await page.fill('#f-code', 'D-TEST');
    await page.fill('#f-name', '沾益区测试局');
    await page.selectOption('#f-kind', 'department');
    await page.fill('#f-contactPhone', '0874-3100999');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=flash] .notice.ok');
    await page.fill('#ad-q', 'D-TEST');
    await page.press('#ad-q', 'Enter');
    await row('D-TEST').waitFor();
    expect(await row('D-TEST').locator('td[data-col=name]').textContent()).to.equal('沾益区测试局');
    const unit = (await Units.findOne({ where: { code: 'D-TEST' } }))!;
    expect(unit.name).to.equal('沾益区测试局');
    expect(unit.kind).to.equal('department');
    web.expectNoErrors(page);
  });

  it("given a new unit form, when the code is not a valid code, then the server's error is shown beside the code field and nothing is written", async () => {
    const before = await snapshot();
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    await page.click('[data-testid=new]');
    await page.fill('#f-code', 'bad code!');
    await page.fill('#f-name', '无效编码单位');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-error-for=code] span');
    expect(await page.textContent('[data-error-for=code]')).to.equal('格式不符合要求');
    expect(await page.getAttribute('[data-testid=form-error] .notice', 'data-code')).to.equal('invalid_input');
    expect(await page.locator('.field.invalid').count()).to.equal(1);
    expect(await page.textContent('[data-error-for=name]')).to.equal('');
    expect(await snapshot()).to.equal(before);
    web.expectNoErrors(page, [/status of 400/]);
  });

  it('given the users list, when the admin edits the clerk, then the change is stored; a bad phone shows the field error', async () => {
    await page.goto(web.url('/admin/#users'));
    await page.waitForSelector('table.records[data-resource=users]');
    await page.fill('#ad-q', 'clerk');
    await page.press('#ad-q', 'Enter');
    await row('clerk').waitFor();
    await row('clerk').locator('[data-action=edit]').click();
    expect(await page.isDisabled('#f-username')).to.equal(true);
    expect(await page.locator('#f-password').count()).to.equal(0);

    // a bad value first: the server's message beside the phone field, the user unchanged
    const before = await snapshot();
    await page.fill('#f-phone', 'not a phone');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-error-for=phone] span');
    expect(await page.locator('[data-field=phone].invalid').count()).to.equal(1);
    expect(await snapshot()).to.equal(before);

    // then a good one
    await page.fill('#f-phone', '0874-3100123');
    await page.fill('#f-displayName', '城管局办事员 张伟（网格组）');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=flash] .notice.ok');
    await row('clerk').waitFor();
    expect(await row('clerk').locator('td[data-col=displayName]').textContent()).to.equal('城管局办事员 张伟（网格组）');
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    expect(clerk.displayName).to.equal('城管局办事员 张伟（网格组）');
    expect(clerk.phone).to.equal('0874-3100123');

    // a password reset is shown once, and it works
    await row('clerk').locator('[data-action=reset]').click();
    const password = (await page.locator('[data-testid=one-time-password]').textContent())!;
    expect(password.length).to.be.at.least(8);
    const login = await web.api.call('POST', '/auth/login', { body: { username: 'clerk', password } });
    expect(login.status).to.equal(200);
    await web.screenshot(page, 'admin');
    web.expectNoErrors(page, [/status of 400/]);
  });

  it('given a new user without a password, when the admin saves it, then the generated password is shown once and works', async () => {
    await page.goto(web.url('/admin/#users'));
    await page.waitForSelector('table.records[data-resource=users]');
    await page.click('[data-testid=new]');
    await page.fill('#f-username', 'inspector.li');
    await page.fill('#f-displayName', '城管局巡查员 李娜');
    await page.selectOption('#f-role', 'dept_staff');
    await page.fill('#f-unitCode', 'D-CGJ');
    await page.click('[data-testid=save]');
    const password = (await page.locator('[data-testid=one-time-password]').textContent())!;
    expect(password.length).to.be.at.least(8);
    const created = (await Users.findOne({ where: { username: 'inspector.li' } }))!;
    expect(created.role).to.equal('dept_staff');
    expect((await web.api.call('POST', '/auth/login', { body: { username: 'inspector.li', password } })).status).to.equal(200);
    // listed, and the password nowhere in the list
    await page.fill('#ad-q', 'inspector');
    await page.press('#ad-q', 'Enter');
    await row('inspector.li').waitFor();
    expect(await page.textContent('table.records')).to.not.contain(password);
    web.expectNoErrors(page, [/status of 400/]);
  });

  it('given a unit that users and cases refer to, when the admin deletes it, then the in_use refusal is explained and disabling is offered', async () => {
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const unit = (await Units.findByPk(clerk.unitId!))!;
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    await page.fill('#ad-q', unit.code);
    await page.press('#ad-q', 'Enter');
    await row(unit.code).waitFor();
    await row(unit.code).locator('[data-action=delete]').click();
    await page.waitForSelector('[data-testid=in-use]');
    expect(await page.textContent('[data-testid=in-use]')).to.contain(unit.code);
    expect(await page.locator('[data-testid=in-use] li').count()).to.be.at.least(1);
    expect(await Units.count({ where: { id: unit.id } })).to.equal(1);
    await page.click('[data-testid=disable-instead]');
    await page.waitForSelector('[data-testid=flash] .notice.ok');
    expect((await Units.findByPk(unit.id))!.active).to.equal(false);
    web.expectNoErrors(page, [/status of (400|409)/]); // the earlier refusals of this page, and this one
  });

  it('given the calendar tab, when the admin adds a day, then it is a day off unless ticked, and the national holidays and 调休 days of the year are listed with the district override beside them', async () => {
    const errorsBefore = web.errorsOf(page).length; // the earlier tests' refusals are theirs
    await page.goto(web.url('/admin/#calendar-days'));
    await page.waitForSelector('[data-testid=national-days] table.records[data-resource=national-days]');
    const year = new Date().getFullYear();
    const national = await web.api.call<{ covered: boolean; days: { date: string; working: boolean; name: string }[] }>(
      'GET',
      `/admin/calendar-days/national?year=${year}`,
      { token: await web.api.login('operator') },
    );
    expect(national.status).to.equal(200);
    expect(national.body.covered).to.equal(true);
    const holiday = national.body.days.find((d) => !d.working)!;
    const makeUp = national.body.days.find((d) => d.working)!;
    expect(holiday, 'a national holiday').to.not.equal(undefined);
    expect(makeUp, 'a 调休 working day').to.not.equal(undefined);
    const nationalRow = (date: string) => page.locator(`[data-testid=national-days] tr[data-date="${date}"]`);
    expect(await nationalRow(holiday.date).textContent())
      .to.contain('放假')
      .and.contain(holiday.name);
    expect(await nationalRow(makeUp.date).textContent()).to.contain('调休上班');

    // when: a new day, the box left as it opens
    await page.click('[data-testid=new]');
    expect(await page.isChecked('#f-working')).to.equal(false);
    await page.fill('#f-date', makeUp.date);
    await page.fill('#f-note', '本区不调休');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=flash] .notice.ok');

    // then: stored as a day off, and the national list shows the district's decision on that date
    expect(Boolean((await CalendarDays.findOne({ where: { date: makeUp.date } }))!.working)).to.equal(false);
    await page.waitForSelector(`[data-testid=national-days] tr[data-date="${makeUp.date}"] td[data-col=local]:has-text("本区不调休")`);
    expect(await nationalRow(makeUp.date).locator('td[data-col=local]').textContent()).to.equal('放假（本区不调休）');
    await page.selectOption('[data-testid=national-year]', String(year - 1));
    await page.waitForSelector(`[data-testid=national-days] tr[data-date^="${year - 1}-"]`);
    expect(web.errorsOf(page).slice(errorsBefore)).to.deep.equal([]);
  });

  it("given the English switch, when the admin opens the catalogue, then labels and the server's errors come in English", async () => {
    const english = await web.newPage();
    await web.login(english, 'admin');
    await english.goto(web.url('/admin/#event-types'));
    await english.waitForSelector('table.records[data-resource=event-types]');
    expect(await english.textContent('[data-tab=units]')).to.equal('成员单位');
    await english.click('[data-testid=lang-switch]');
    await english.waitForSelector('[data-tab=units]:has-text("Units")');
    await english.waitForSelector('table.records[data-resource=event-types]');
    expect(await english.textContent('table.records th')).to.equal('Code');
    // an event type with a stage limit the importer cannot read: the message beside the field, in English
    await english.locator('table.records tbody tr [data-action=edit]').first().click();
    await english.fill('#f-handleLimit', 'soon');
    await english.click('[data-testid=save]');
    await english.waitForSelector('[data-error-for=handleLimit] span');
    expect(await english.textContent('[data-testid=form-error] .notice'))
      .to.match(/[A-Za-z]/)
      .and.not.match(/[\u4e00-\u9fff]{4}/);
    await web.screenshot(english, 'admin-en-field-error');
    web.expectNoErrors(english, [/status of 400/]);
  });
});
