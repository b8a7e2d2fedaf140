import { expect } from 'chai';
import { AuditRecords, Cases } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { deployProbes, JOB_PROBE, probeCase, type Probes } from '../api/support/operations-probes.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

describe('web: the operations page (an administrator finds a stuck case and repairs it)', function () {
  this.timeout(180_000);
  let web: WebWorld;
  let probes: Probes;
  before(async () => {
    web = await openWebWorld();
    probes = await deployProbes(web.api.world.port);
  });
  after(async () => {
    await probes?.workers.close();
    await web?.close();
  });

  it('given two cases stuck on a failing job, when the operator opens the inbox and the screen is read, then both show them (the history marks the element); when the administrator opens the operations page, then the diagram counts the incidents on the element, the list filters to them, a retry with a reason moves one on, a cancel closes the other and a batch retries a third; the auditor sees the page without actions, with who did each and why from the audit chain', async () => {
    probes.fixed.value = false;
    const first = await probeCase(web.api.world.port, JOB_PROBE);
    const second = await probeCase(web.api.world.port, JOB_PROBE);
    for (const s of [first, second])
      await eventually('the incident', async () => (await web.api.world.port.listIncidents({ processInstanceKeys: [s.processInstanceKey] })).length > 0);

    // visible where people look: the operator's inbox lists both stuck cases, the history marks the element,
    // the command-centre screen counts the incidents
    const operator = await web.newPage();
    await web.login(operator, 'operator');
    await operator.goto(web.url('/tasks/'));
    await operator.locator('[data-testid=stuck-cases]:not([hidden])').waitFor();
    expect(await operator.locator('[data-testid=stuck-cases] h2').textContent()).to.equal('流程故障：2 件案件停在流程中');
    for (const s of [first, second]) {
      const item = operator.locator(`[data-testid=stuck-cases] li[data-case="${s.caseRow.caseNo}"]`);
      expect(await item.locator('[data-testid=stuck-incident]').textContent()).to.equal('接口 503：服务不可用');
    }
    await web.screenshot(operator, 'tasks-stuck-cases');
    await operator.click(`[data-testid=stuck-cases] li[data-case="${first.caseRow.caseNo}"] a`);
    await operator.locator('.djs-element.hist-incident').first().waitFor();
    expect(await operator.locator('.djs-element.hist-incident').getAttribute('data-element-id')).to.equal('task');
    web.expectNoErrors(operator);
    const screen = await web.newPage();
    await web.login(screen, 'admin');
    await screen.goto(web.url('/screen/'));
    await screen.locator('[data-testid=total-incidents]:text-is("2")').waitFor();
    await screen.close();

    const page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/operations/'));
    expect(await page.locator(`[data-testid=incidents-of-${JOB_PROBE}]`).textContent()).to.equal('2');
    await page.click(`li[data-process="${JOB_PROBE}"] > button`);
    // Operate's badge on the failing element: two open incidents there
    const badge = page.locator('[data-testid=diagram] .op-badge-incidents');
    await badge.waitFor();
    expect(await badge.textContent()).to.equal('2');
    await page.selectOption('#state', 'INCIDENT');
    await page.click('[data-testid=instance-filter] button[type=submit]');
    await page.locator(`tr[data-instance="${first.processInstanceKey}"]`).waitFor();
    expect(await page.locator('[data-testid=instances] tbody tr').count()).to.equal(2);

    // retry after the fix: the reason is required
    await page.click(`tr[data-instance="${first.processInstanceKey}"]`);
    await page.locator('[data-testid=incidents] [data-testid=error-message]').waitFor();
    expect(await page.locator('[data-testid=error-message]').textContent()).to.equal('接口 503：服务不可用');
    probes.fixed.value = true;
    await page.click('[data-testid=incidents] [data-testid=retry]');
    expect(await AuditRecords.count({ where: { action: 'ops_incident_retried' } }), 'no reason, no retry').to.equal(0);
    await page.fill('[data-testid=incidents] [data-testid=reason]', '接口已恢复');
    await page.click('[data-testid=incidents] [data-testid=retry]');
    await page.locator('[data-testid=action-done]').waitFor();
    await eventually('the first instance completed', async () => (await web.api.world.port.getInstance(first.processInstanceKey))?.state === 'COMPLETED');
    // the page reloads the list and the instance after an action: shown as completed, its incident gone
    await page.locator('[data-testid=instance-detail] [data-testid=no-incidents]').waitFor();

    // cancel the other one with a reason
    probes.fixed.value = false;
    await page.click(`tr[data-instance="${second.processInstanceKey}"]`);
    await page.locator('[data-testid=cancel]').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.fill('[data-testid=instance-detail] > .op-actions [data-testid=reason]', '重复案件，撤销');
    await page.click('[data-testid=cancel]');
    await eventually('the second case closed', async () => (await Cases.findByPk(second.caseRow.id))?.status === 'closed');
    const record = (await AuditRecords.findOne({ where: { action: 'ops_instance_cancelled', caseId: second.caseRow.id } }))!;
    expect(record.detail).to.include({ reason: '重复案件，撤销' });
    // a third case stuck the same way: a batch retry over the filter after the fix, with its reason
    const third = await probeCase(web.api.world.port, JOB_PROBE);
    await eventually(
      'the third incident',
      async () => (await web.api.world.port.listIncidents({ processInstanceKeys: [third.processInstanceKey] })).length > 0,
    );
    probes.fixed.value = true;
    await page.fill('[data-testid=batch] [data-testid=reason]', '接口修复后批量重试');
    await page.click('[data-testid=batch-retry]');
    await page.locator('[data-testid=batch-progress][data-state=finished]').waitFor();
    await page.locator('[data-testid=batches] tr[data-state=finished]').waitFor();
    await web.screenshot(page, 'operations-admin');
    web.expectNoErrors(page);

    // the auditor reads, is offered no action, and sees who did what and why (from the audit chain)
    const auditorPage = await web.newPage();
    await web.login(auditorPage, 'auditor');
    await auditorPage.goto(web.url('/operations/'));
    await auditorPage.click(`li[data-process="${JOB_PROBE}"] > button`);
    await auditorPage.locator(`tr[data-instance="${second.processInstanceKey}"]`).click();
    await auditorPage.locator('[data-testid=instance-detail] h3').waitFor();
    expect(await auditorPage.locator('[data-testid=retry], [data-testid=cancel], [data-testid=batch-retry]').count()).to.equal(0);
    const trail = auditorPage.locator('[data-testid=actions] tbody tr');
    await trail.first().waitFor();
    expect(await trail.count()).to.equal(1);
    expect(await trail.locator('[data-testid=action-actor]').textContent()).to.equal('admin（系统管理员）');
    expect(await trail.locator('[data-testid=action-what]').textContent()).to.equal('撤销实例');
    expect(await trail.locator('[data-testid=action-reason]').textContent()).to.equal('重复案件，撤销');
    expect(await trail.getAttribute('data-audit')).to.equal(record.id);
    await auditorPage.locator(`tr[data-instance="${first.processInstanceKey}"]`).click();
    await auditorPage.locator('[data-testid=actions] [data-testid=action-what]').filter({ hasText: '重试' }).waitFor();
    expect(await auditorPage.locator('[data-testid=actions] [data-testid=action-reason]').textContent()).to.equal('接口已恢复');
    // the batch: who started it and why, and how it went
    const batchRow = auditorPage.locator('[data-testid=batches] tbody tr').first();
    expect(await batchRow.locator('[data-testid=batch-actor]').textContent()).to.equal('admin');
    expect(await batchRow.locator('[data-testid=batch-reason]').textContent()).to.equal('接口修复后批量重试');
    expect(await batchRow.textContent()).to.contain('已完成：1/1，失败 0');
    await web.screenshot(auditorPage, 'operations-auditor');
    // and in the case's history, the repair in words
    await auditorPage.goto(web.url(`/history/#case=${first.caseRow.id}`));
    const repaired = auditorPage.locator('[data-testid=actions] li[data-action=ops_incident_retried]');
    await repaired.waitFor();
    expect(await repaired.locator('strong').textContent()).to.equal('运维重试故障');
    web.expectNoErrors(auditorPage);
  });
});
