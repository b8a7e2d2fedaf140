import { expect } from 'chai';
import { AuditRecords, Cases, Grids, InboxTasks } from '../support/tables.js';
import { snapshot } from '../api/support/api-world.js';
import { eventually } from '../processes/support/process-harness.js';
import { driveToClosed } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/** 回访 by the centre (issue #14 item 5): the operator calls a hotline reporter back and records the answer. */
describe('web: 回访, the operator calls reporters back and records satisfaction', function () {
  this.timeout(150_000);
  let web: WebWorld;
  let closed: { id: string; caseNo: string };
  before(async () => {
    web = await openWebWorld();
    const operator = await web.api.login('operator');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: operator,
      body: { description: '路灯不亮，晚上出行不便', reporterName: '赵女士', reporterPhone: '13922223333', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status).to.equal(201);
    closed = filed.body;
    await driveToClosed(web.api, closed.id);
  });
  after(() => web?.close());

  it("given a closed hotline case, when the operator first reaches nobody and then records 满意, then the attempt is noted and the rating reaches the process as the reporter's own would", async () => {
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/revisit/'));
    const form = page.locator(`form[data-revisit="${closed.caseNo}"]`);
    await form.waitFor();
    expect(await form.locator('[data-testid=phone]').textContent(), 'the operator sees the whole number to call').to.equal('13922223333');

    // nobody answers
    await form.getByLabel('未接通').check();
    await form.getByRole('button', { name: '登记' }).click();
    await page.locator('[data-testid=revisit-done]').waitFor();
    expect(await AuditRecords.count({ where: { caseId: closed.id, action: 'revisit_unreached' } })).to.equal(1);
    await eventually('the attempt shown', async () => ((await form.textContent()) ?? '').includes('未接通 1 次'), 10_000);

    // the second call: satisfied, with a note
    await form.getByLabel('满意', { exact: true }).check();
    await form.getByLabel('回访记录').fill('路灯已修好，群众满意');
    await form.getByRole('button', { name: '登记' }).click();
    await eventually('the case rated', async () => (await Cases.findByPk(closed.id))!.satisfaction === 'satisfied', 30_000);
    await eventually('the case gone from the list', async () => (await page.locator(`form[data-revisit="${closed.caseNo}"]`).count()) === 0, 10_000);
    expect(await AuditRecords.count({ where: { caseId: closed.id, action: 'revisit_called' } })).to.equal(1);
    await web.screenshot(page, 'revisit');
    web.expectNoErrors(page);
  });

  it('given bad input or another role, when a call-back is recorded, then 400/403/404/409 with a code and nothing changes', async () => {
    const operator = await web.api.login('operator');
    const clerk = await web.api.login('clerk');
    const open = await web.api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '尚未办结的案卷', reporterPhone: '13900000000', address: '西平街道龙华路 3 号' },
    });
    expect(open.status, JSON.stringify(open.body)).to.equal(201);
    await eventually('the new case waiting in 受理', async () => InboxTasks.findOne({ where: { caseId: open.body.id, elementId: 'accept' } }), 20_000);
    const before = await snapshot();
    const cases: Array<[string, unknown, string, number, string]> = [
      [`/revisits/${closed.id}`, { reached: true }, operator, 400, 'invalid_input'],
      [`/revisits/${closed.id}`, { reached: true, satisfied: true, rating: 9 }, operator, 400, 'invalid_input'],
      ['/revisits/abc', { reached: false }, operator, 400, 'invalid_input'],
      ['/revisits/99999999', { reached: false }, operator, 404, 'case_not_found'],
      [`/revisits/${open.body.id}`, { reached: false }, operator, 409, 'not_rateable'],
      [`/revisits/${closed.id}`, { reached: false }, clerk, 403, 'forbidden'],
    ];
    for (const [path, body, token, status, code] of cases) {
      const res = await web.api.call<{ code: string }>('POST', path, { token, body });
      expect([res.status, res.body.code], `${path} ${JSON.stringify(body)}`).to.deep.equal([status, code]);
    }
    expect(await snapshot()).to.equal(before);
  });
});
