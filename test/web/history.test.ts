import { join } from 'node:path';
import { expect } from 'chai';
import { Cases, Grids, Op } from '../support/tables.js';
import { createCase } from '../support/case-fixtures.js';
import { driveToHandle } from './support/fixtures.js';
import { RESULTS_DIR, openWebWorld, type WebWorld } from './support/web-world.js';

interface Highlights {
  completed: string[];
  active: string[];
  incidents: string[];
  takenFlows: string[];
}
interface TimelineRow {
  kind: string;
  elementId?: string;
  elementType?: string | null;
  intent?: string;
  processInstanceKey?: string;
  bpmnProcessId?: string | null;
  action?: string;
  variables?: Record<string, unknown>;
}
interface History {
  case: { caseNo: string };
  timeline: TimelineRow[];
  highlights: Highlights;
  diagram: { bpmnProcessId: string };
}

describe('web: the case history page (an auditor reviews a case)', function () {
  this.timeout(180_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it('given a case driven through 受理 and 派遣, when the auditor opens its history, then the executed elements, the taken flows, the timeline and the audit chain are shown', async () => {
    // given: a 随手拍 report accepted and dispatched through the API, so it waits at the unit's 处置
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '人行道井盖缺失，夜间有行人险些踩空', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道文昌路 8 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    await driveToHandle(web.api, row.id);
    const auditor = await web.api.login('auditor');
    const history = (await web.api.call<History>('GET', `/cases/${row.id}/history`, { token: auditor })).body;
    const chain = (await web.api.call<{ ok: boolean; checked: number }>('GET', '/audit/verify', { token: auditor })).body;
    expect(history.highlights.completed).to.include('accept');
    expect(history.highlights.takenFlows).to.not.be.empty;
    expect(history.highlights.active).to.not.be.empty;

    // when: the auditor finds the case and opens it
    const page = await web.newPage();
    await web.login(page, 'auditor');
    await page.goto(web.url('/history/'));
    await page.fill('#q', row.caseNo);
    await page.click('[data-testid=case-search] button[type=submit]');
    await page.locator(`tr[data-case="${row.caseNo}"]`).waitFor();
    expect(await page.locator('[data-testid=case-results] tbody tr').count()).to.equal(1);
    // the filters narrow the search (the case is not closed) and live in the address
    await page.selectOption('#status', 'closed');
    await page.click('[data-testid=case-search] button[type=submit]');
    await page.waitForSelector('[data-testid=case-count]:has-text("0")');
    expect(page.url()).to.contain('status=closed');
    await page.selectOption('#status', '');
    await page.click('[data-testid=case-search] button[type=submit]');
    await page.locator(`tr[data-case="${row.caseNo}"]`).waitFor();
    await page.click(`tr[data-case="${row.caseNo}"]`);
    await page.waitForSelector('[data-testid=diagram][data-ready=true]');

    // then: every completed, active and taken element of the case's own process carries its marker on the SVG
    expect(await page.textContent('[data-testid=case-no]')).to.contain(row.caseNo);
    const marked = (cls: string) => page.$$eval(`[data-testid=diagram] .djs-element.${cls}`, (els) => els.map((e) => e.getAttribute('data-element-id')).sort());
    expect(await marked('hist-completed')).to.deep.equal([...history.highlights.completed].sort());
    expect(await marked('hist-active')).to.deep.equal([...history.highlights.active].sort());
    expect(await marked('hist-taken')).to.deep.equal([...history.highlights.takenFlows].sort());
    expect(await marked('hist-incident')).to.deep.equal([]);
    // the taken flows are stroked in colour through their DI, the rest stay black
    const firstFlow = history.highlights.takenFlows[0]!;
    expect(await page.getAttribute(`[data-testid=diagram] [data-element-id="${firstFlow}"] .djs-visual path`, 'style')).to.match(
      /stroke:\s*(rgb\(46, 125, 50\)|#2e7d32)/i,
    );
    // the bpmn.io watermark stays visible
    expect(await page.isVisible('[data-testid=diagram] .bjs-powered-by')).to.equal(true);

    // the timeline (engine detail, collapsed until asked for) lists engine events, actions and variable changes in one list
    await page.click('[data-testid=engine-detail] > summary');
    await page.locator('[data-testid=timeline] li').first().waitFor();
    const elementRows = history.timeline.filter((e) => e.kind === 'element').length;
    expect(await page.locator('[data-testid=timeline] li[data-kind=element]').count()).to.equal(elementRows);
    expect(await page.locator('[data-testid=timeline] li').count()).to.equal(history.timeline.length);
    expect(await page.locator('[data-testid=timeline] li[data-kind=action][data-action=task_completed]').count()).to.be.at.least(1);
    expect(await page.locator('[data-testid=timeline] li[data-kind=element][data-element=accept]').count()).to.be.at.least(2);

    // the audit chain's state, as GET /audit/verify says
    expect(chain.ok).to.equal(true);
    await page.waitForSelector('[data-testid=chain-status][data-chain=ok]');
    // records written since (the auditor's own login) only add to the count
    const checked = Number(/(\d+)/.exec((await page.textContent('[data-testid=chain-status]')) ?? '')?.[1]);
    expect(checked).to.be.at.least(chain.checked);

    // clicking 受理 lists its runs with the variables it completed with
    await page.click('[data-testid=diagram] [data-element-id=accept]');
    await page.waitForSelector('[data-testid=element-panel] .element-run');
    expect(await page.textContent('[data-testid=element-id]')).to.equal('accept');
    const acceptVars = history.timeline.filter((e) => e.kind === 'variables' && e.elementId === 'accept').flatMap((e) => Object.keys(e.variables ?? {}));
    for (const name of acceptVars) expect(await page.textContent('[data-testid=element-panel]')).to.contain(name);

    await web.screenshot(page, 'history');
    await page.locator('[data-testid=diagram]').screenshot({ path: join(RESULTS_DIR, 'history-diagram.png') });

    // the called 处置 process opens with its own path marked
    const called = history.timeline.find(
      (e) => e.kind === 'element' && e.elementType === 'process' && e.intent === 'ACTIVATED' && e.bpmnProcessId !== history.diagram.bpmnProcessId,
    );
    expect(called, 'the case called the 处置 process').to.not.equal(undefined);
    await page.selectOption('[data-testid=instance-switch]', called!.processInstanceKey!);
    await page.waitForSelector(`[data-testid=diagram][data-instance="${called!.processInstanceKey}"][data-ready=true]`);
    expect(await marked('hist-active')).to.include('handle');
    expect(await marked('hist-completed')).to.include('start');
    await page.locator('[data-testid=diagram]').screenshot({ path: join(RESULTS_DIR, 'history-called.png') });

    // a timeline row of the case's own process leads back to that diagram, with the element picked
    await page.locator('[data-testid=timeline] li[data-kind=element][data-element=accept] [data-locate]').first().click();
    await page.waitForSelector('[data-testid=diagram] .djs-element.hist-selected[data-element-id=accept]');
    expect(await page.getAttribute('[data-testid=diagram]', 'data-instance')).to.not.equal(called!.processInstanceKey);
    expect(await page.textContent('[data-testid=element-id]')).to.equal('accept');

    // the CSV export downloads this case's timeline
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-case]')]);
    expect(download.suggestedFilename()).to.equal(`case-${row.caseNo}-history.csv`);
    web.expectNoErrors(page);
  });
  it('given more matching cases than a page holds, when the auditor searches, then the first page and the count show, and "more" appends the rest by cursor until none is left', async () => {
    // given: 25 cases with a word of their own, three to a timestamp (the cursor's tie-break is the id)
    const base = Date.now() - 5 * 86_400_000;
    for (let i = 0; i < 25; i++)
      await createCase({ status: 'closed', description: `分页核对 第 ${i} 件`, createdAt: new Date(base + Math.floor(i / 3) * 60_000) });
    const expected = (await Cases.findAll({ where: { description: { [Op.like]: '分页核对%' } } }))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(BigInt(b.id) - BigInt(a.id)))
      .map((c) => c.caseNo);
    const page = await web.newPage();
    await web.login(page, 'auditor');

    // when
    await page.goto(web.url(`/history/?q=${encodeURIComponent('分页核对')}`));
    await page.waitForSelector('[data-testid=case-count]:has-text("25")');

    // then: 20 rows, newest first, and "more" for the rest
    const rows = () => page.$$eval('[data-testid=case-results] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-case')));
    expect(await rows()).to.deep.equal(expected.slice(0, 20));
    expect(await page.isVisible('[data-testid=case-more]')).to.equal(true);
    await page.click('[data-testid=case-more]');
    await page.locator('[data-testid=case-results] tbody tr').nth(24).waitFor();
    expect(await rows()).to.deep.equal(expected);
    expect(await page.isVisible('[data-testid=case-more]')).to.equal(false);
    await web.screenshot(page, 'history-more');
    web.expectNoErrors(page);
  });
});
