import { expect } from 'chai';
import { Cases, Grids, InboxTasks, Units, Users, type Row, Op } from '../support/tables.js';
import { hashPassword } from '../../domain/auth/password.js';
import type { FormDefinition } from '../../domain/forms/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, PASSWORD, type ApiWorld } from './support/api-world.js';

interface TaskDetail {
  task: { userTaskKey: string; elementId: string };
  form: FormDefinition;
  variables: Record<string, unknown>;
}

/**
 * Issue #14 item 1: a task that comes round again opens empty. One case is driven through every round a
 * person decides twice — 退单 refused then approved, re-dispatch, 延期 refused then approved, 挂账 refused,
 * 核查 failed then passed — and each form is read over HTTP as the person who opens it would.
 */
describe("REST API: task forms open empty each round, the reviewer's comment shown to the unit", function () {
  this.timeout(180_000);
  let api: ApiWorld;
  let caseId: string;
  let operator: string;
  const unitTokens = new Map<number, string>();

  /** A login of the unit's staff (one created per unit the case visits). */
  async function staffOf(unitId: number): Promise<string> {
    const known = unitTokens.get(unitId);
    if (known) return known;
    const username = `rounds-staff-${unitId}`;
    if (!(await Users.findOne({ where: { username } }))) {
      await Users.create({ username, displayName: '办事员', role: 'dept_staff', unitId, phone: null, passwordHash: await hashPassword(PASSWORD) });
    }
    const token = await api.login(username);
    unitTokens.set(unitId, token);
    return token;
  }

  /** The case's open task of that element, once the inbox has it, opened as `who` (the unit's staff when null). */
  async function open(elementId: string, who: string | null = null): Promise<{ row: Row<'inbox_tasks'>; token: string; detail: TaskDetail }> {
    const row = await eventually(`the ${elementId} task`, async () => InboxTasks.findOne({ where: { caseId, elementId, state: 'created' } }), 30_000);
    const token = who ?? (await staffOf(row.unitId!));
    const res = await api.call<TaskDetail>('GET', `/tasks/${row.userTaskKey}`, { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return { row, token, detail: res.body };
  }

  async function complete(t: { row: Row<'inbox_tasks'>; token: string }, data: Record<string, unknown>): Promise<void> {
    const res = await api.call('POST', `/tasks/${t.row.userTaskKey}/complete`, { token: t.token, body: { data } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }

  /** Field keys of the form: the test reads the form, not a list of its own. */
  const keysOf = (form: FormDefinition) => form.components.map((c) => c.key).filter((k): k is string => typeof k === 'string');

  before(async () => {
    api = await openApiWorld();
    operator = await api.login('operator');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '小区门口垃圾堆放多日无人清运', lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13900003333' },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    caseId = filed.body.id;
    const accept = await open('accept', operator);
    await complete(accept, { filed: true, eventTypeCode: 'BJ-0101' });
    const next = await eventually(
      'a dispatch or handle task',
      async () => InboxTasks.findOne({ where: { caseId, elementId: ['dispatch', 'handle'], state: 'created' } }),
      30_000,
    );
    if (next.elementId === 'dispatch') await complete({ row: next, token: operator }, { unitCode: 'D-CGJ', dispatchNote: '请尽快处理' });
  });
  after(() => api.close());

  it("given a 退单 refused with a comment, when the unit opens 处置 again, then 处置结果 and 退单理由 are empty and the comment is shown in the form's text", async () => {
    const first = await open('handle');
    await complete(first, { handleOutcome: 'return', returnReason: '第一轮：不属本单位职责' });
    const review = await open('returnReview', operator);
    expect(review.detail.variables['returnReason']).to.equal('第一轮：不属本单位职责');
    await complete(review, { returnApproved: false, reviewComment: '属于你单位职责，请处理' });

    const again = await open('handle');
    expect(again.detail.form.id).to.equal('case-handle');
    for (const key of keysOf(again.detail.form)) expect(again.detail.variables, `${key} opens empty`).to.not.have.property(key);
    expect(again.detail.variables['reviewComment']).to.equal('属于你单位职责，请处理');
    const text = String(again.detail.form.components[0]!.text);
    expect(text, 'the context text shows the comment (read-only)').to.contain('reviewComment').and.contain('中心审核意见');
  });

  it('given a second 退单, when 退单审核 opens, then 审核意见 and 审核说明 are empty and the new reason is shown; approved, the re-dispatch opens with the unit suggested and no old note', async () => {
    const handle = await open('handle');
    const unitBefore = (await Units.findByPk(handle.row.unitId!))!.code;
    await complete(handle, { handleOutcome: 'return', returnReason: '第二轮：应由属地乡镇处理' });
    const review = await open('returnReview', operator);
    expect(review.detail.form.id).to.equal('case-return-review');
    for (const key of keysOf(review.detail.form)) expect(review.detail.variables, `${key} opens empty`).to.not.have.property(key);
    expect(review.detail.variables['returnReason']).to.equal('第二轮：应由属地乡镇处理');
    await complete(review, { returnApproved: true, reviewComment: '同意，改派属地' });

    const dispatch = await open('dispatch', operator);
    expect(dispatch.detail.variables, 'the 派遣意见 of the first dispatch is not offered again').to.not.have.property('dispatchNote');
    expect(dispatch.detail.variables['unitCode'], 'the unit is a suggestion, prefilled').to.equal(unitBefore);
    const township = (await Units.findOne({ where: { kind: 'township', code: { [Op.ne]: unitBefore } }, order: [['id', 'ASC']] }))!;
    await complete(dispatch, { unitCode: township.code, dispatchNote: '改派属地乡镇' });
  });

  it('given a 延期 refused, when the unit asks again, then 延期审批 opens with no decision and the new hours prefilled', async () => {
    const handle = await open('handle');
    expect(handle.detail.variables, "the new unit's form has no outcome").to.not.have.property('handleOutcome');
    await complete(handle, { handleOutcome: 'extend', extensionHours: 8, extensionReason: '需协调物业' });
    const review = await open('extensionReview', operator);
    expect(review.detail.variables['extensionHours']).to.equal(8);
    expect(review.detail.variables).to.not.have.property('extensionApproved');
    await complete(review, { extensionApproved: false });

    const handle2 = await open('handle');
    for (const key of keysOf(handle2.detail.form)) expect(handle2.detail.variables, `${key} opens empty`).to.not.have.property(key);
    await complete(handle2, { handleOutcome: 'extend', extensionHours: 16, extensionReason: '物业下周才到场' });
    const review2 = await open('extensionReview', operator);
    expect(review2.detail.form.id).to.equal('case-extension-review');
    expect(review2.detail.variables, '审批意见 opens empty').to.not.have.property('extensionApproved');
    expect(review2.detail.variables['extensionHours'], 'the hours asked for this time').to.equal(16);
    await complete(review2, { extensionApproved: true, extensionHours: 16 });
  });

  it("given a 挂账 refused without a comment, when the unit opens 处置, then no earlier round's comment is shown as this one's", async () => {
    const handle = await open('handle');
    await complete(handle, { handleOutcome: 'shelve', shelveReason: '资金未落实' });
    const review = await open('shelveReview', operator);
    expect(review.detail.form.id).to.equal('case-shelve-review');
    for (const key of keysOf(review.detail.form)) expect(review.detail.variables, `${key} opens empty`).to.not.have.property(key);
    await complete(review, { shelveApproved: false });
    const again = await open('handle');
    expect(again.detail.variables['reviewComment'] ?? null, 'the approval comment of the 退单 is gone').to.equal(null);
    for (const key of keysOf(again.detail.form)) expect(again.detail.variables, `${key} opens empty`).to.not.have.property(key);
  });

  it('given a 核查 that failed, when 核查 opens after the rework, then 核查结论 and 未通过原因 are empty and the new result is shown', async () => {
    await complete(await open('handle'), { handleOutcome: 'done', handleResult: '第一次：已清运' });
    const verify = await open('verify', operator);
    await complete(verify, { verified: false, verifyComment: '现场仍有垃圾' });
    await complete(await open('handle'), { handleOutcome: 'done', handleResult: '第二次：已清运并消杀' });
    const again = await open('verify', operator);
    expect(again.detail.form.id).to.equal('case-verify');
    for (const key of keysOf(again.detail.form)) expect(again.detail.variables, `${key} opens empty`).to.not.have.property(key);
    expect(again.detail.variables['handleResult']).to.equal('第二次：已清运并消杀');
    await complete(again, { verified: true });
    await eventually('the case closed', async () => (await Cases.findByPk(caseId))!.status === 'closed', 30_000);
  });
});
