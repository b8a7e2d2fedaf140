import { expect } from 'chai';
import { Cases, InboxTasks, Units } from '../support/tables.js';
import { assignmentOf } from '../../domain/intake/assign-case.js';
import { eventually } from '../processes/support/process-harness.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/** 领导交办 (issue #14 item 4): the district leader hands a matter to a unit through the page. */
describe('web: 领导交办, the district leader assigns a case', function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it('given the leader on 领导交办, when they name 住建局, a deadline, 特急 and their instruction, then the case is filed as theirs with all four and listed under 我的交办', async () => {
    const page = await web.newPage();
    await web.login(page, 'leader');
    await page.getByRole('link', { name: '领导交办', exact: true }).click();
    await page.locator('#assign-unit option[value="D-ZJJ"]').waitFor({ state: 'attached' });
    await page.getByLabel('事项内容').fill('文昌路人行道长期占道经营，群众反映强烈');
    await page.getByLabel('领导批示').fill('五日内清理到位，结果报区政府办');
    await page.selectOption('#assign-unit', 'D-ZJJ'); // a <select> inside its <label>: the label's text holds every option
    await page.getByLabel('办理时限').fill('2099-06-30T17:30');
    await page.selectOption('#assign-priority', '100');
    await page.getByLabel('地址').fill('西平街道文昌路');
    await page.getByRole('button', { name: '交办' }).click();
    const done = page.locator('[data-testid=assign-message] .notice.ok');
    await done.waitFor();
    const caseNo = /ZY\d{8}-\d{4,}/.exec((await done.textContent())!)![0];
    await page.locator(`[data-testid=my-assignments] tr[data-case="${caseNo}"]`).waitFor();
    expect(await page.locator(`tr[data-case="${caseNo}"]`).textContent())
      .to.contain('住房和城乡建设局')
      .and.contain('特急');
    await web.screenshot(page, 'assign');

    const c = (await Cases.findOne({ where: { caseNo } }))!;
    expect(c).to.include({ channel: 'leader', priority: 100 });
    const a = (await assignmentOf(c.id))!;
    expect(a.unitId).to.equal((await Units.findOne({ where: { code: 'D-ZJJ' } }))!.id);
    expect(a.instruction).to.equal('五日内清理到位，结果报区政府办');
    // the page's local time (the browser runs in the machine's zone) is the deadline stored
    expect(a.dueAt.getTime()).to.equal(new Date(2099, 5, 30, 17, 30).getTime());
    // and it waits in the centre's 受理 like any case, with the leader's priority on the case
    await eventually('the 受理 task', async () => InboxTasks.findOne({ where: { caseId: c.id, elementId: 'accept' } }), 20_000);
    web.expectNoErrors(page);
  });

  it('given the leader forgets the instruction, when they submit, then the page says so and files nothing', async () => {
    const page = await web.newPage();
    await web.login(page, 'leader');
    await page.goto(web.url('/assign/'));
    await page.locator('#assign-unit option[value="D-CGJ"]').waitFor({ state: 'attached' });
    const cases = await Cases.count();
    await page.getByLabel('事项内容').fill('河道垃圾漂浮');
    await page.selectOption('#assign-unit', 'D-CGJ');
    await page.getByRole('button', { name: '交办' }).click();
    await page.locator('[data-testid=assign-message] [role=alert]').waitFor();
    expect(await page.locator('[data-testid=assign-message]').textContent()).to.contain('请填写领导批示');
    expect(await page.locator(':focus').evaluate((el) => (el as unknown as { id: string }).id)).to.equal('assign-instruction');
    expect(await Cases.count()).to.equal(cases);
  });

  it('given a grid worker, when they open 领导交办, then the page refuses them and the menu does not offer it', async () => {
    const page = await web.newPage();
    await web.login(page, 'gridworker');
    expect(await page.getByRole('link', { name: '领导交办', exact: true }).count()).to.equal(0);
    await page.goto(web.url('/assign/'));
    await page.locator('main [role=alert]').waitFor();
    expect(await page.locator('#assign-description').count()).to.equal(0);
  });
});
