import { expect } from 'chai';
import { Cases, Grids } from '../support/tables.js';
import { driveToClosed } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

interface TimelineRow {
  kind: string;
  elementId?: string;
  intent?: string;
  processInstanceKey?: string;
  detail?: Record<string, unknown> | null;
}

describe('web: the case history page shows a DMN decision (issue 15)', function () {
  this.timeout(180_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it("given a closed 随手拍 case whose 回访 window the revisit-window decision chose, when the auditor opens 回访时限 on the called process's diagram, then the decision, its input, the matched rule and the result are shown", async () => {
    // given: a 随手拍 report driven to 结案, so case-followup evaluated the decision
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '小区门口路灯不亮，晚上看不清路', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道文昌路 12 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    await driveToClosed(web.api, row.id);
    const auditor = await web.api.login('auditor');
    let decision: TimelineRow | undefined;
    for (let i = 0; i < 100 && !decision; i++) {
      const history = (await web.api.call<{ timeline: TimelineRow[] }>('GET', `/cases/${row.id}/history`, { token: auditor })).body;
      decision = history.timeline.find((e) => e.kind === 'element' && e.intent === 'DECISION_EVALUATED');
      if (!decision) await new Promise((r) => setTimeout(r, 200));
    }
    expect(decision, 'the decision in the case history').to.not.equal(undefined);
    expect(decision!.elementId).to.equal('revisitWindow');
    expect(decision!.detail).to.include({ decisionId: 'revisit-window', result: 'P7D' });

    // when: the auditor opens the case, switches to the 回访 process and clicks the business-rule task
    const page = await web.newPage();
    await web.login(page, 'auditor');
    await page.goto(web.url(`/history/#case=${row.id}`));
    await page.waitForSelector('[data-testid=diagram][data-ready=true]');
    await page.selectOption('[data-testid=instance-switch]', decision!.processInstanceKey!);
    await page.waitForSelector(`[data-testid=diagram][data-instance="${decision!.processInstanceKey}"][data-ready=true]`);
    await page.click('[data-testid=diagram] [data-element-id=revisitWindow]');

    // then: the element panel shows the decision with its input, the rule that matched and the result
    const panel = page.locator('[data-testid=element-panel] [data-testid=decision][data-decision=revisit-window]');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).to.contain('回访评价等待时限');
    expect(text).to.contain('上报渠道');
    expect(text).to.contain('photo');
    expect(text).to.contain('命中规则 1');
    expect(await panel.locator('[data-rule=rule_app]').count()).to.equal(1);
    expect(await panel.locator('[data-testid=decision-result]').textContent()).to.equal('P7D');

    // and the engine timeline shows the same decision in place of the raw detail
    await page.click('[data-testid=engine-detail] > summary');
    const row2 = page.locator('[data-testid=timeline] li[data-kind=element][data-element=revisitWindow] [data-testid=decision]');
    await row2.first().waitFor();
    expect(await row2.count()).to.equal(1);
    await web.screenshot(page, 'history-decision');
    web.expectNoErrors(page);
  });
});
