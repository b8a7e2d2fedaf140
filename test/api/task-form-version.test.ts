import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Cases, EventTypes, InboxTasks } from '../support/tables.js';
import { FORMS_DIR } from '../../domain/forms/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

interface TaskRow {
  userTaskKey: string;
  elementId: string;
  caseId: string | null;
}

describe('REST API: tasks show and check the latest deployed version of their form', function () {
  this.timeout(90_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api.close());

  it('given the form editor deployed a 受理 form with a new required field, when the operator opens and completes an accept task, then the new form is shown and enforced', async () => {
    const admin = await api.login('admin');
    const operator = await api.login('operator');
    const schema = JSON.parse(readFileSync(`${FORMS_DIR}case-accept.form`, 'utf8')) as { components: unknown[] };
    schema.components.push({
      type: 'textfield',
      id: 'Field_callbackNote',
      key: 'callbackNote',
      label: '回访电话记录',
      validate: { required: true, maxLength: 200 },
    });
    const deployed = await api.call<{ version: number }>('POST', '/admin/forms/case-accept/deploy', { token: admin, body: { schema } });
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);
    expect(deployed.body.version).to.equal(2);

    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '路边有一堆建筑垃圾无人清理', gridCode: 'G-XP-01-01' },
    });
    expect(filed.status).to.equal(201);
    const accept = await eventually(
      'the accept task',
      async () => {
        const res = await api.call<{ tasks: TaskRow[] }>('GET', '/tasks', { token: operator });
        return res.body.tasks.find((t) => t.caseId === filed.body.id && t.elementId === 'accept') ?? null;
      },
      20_000,
    );
    const detail = await api.call<{ form: { components: Array<{ key?: string }> } }>('GET', `/tasks/${accept.userTaskKey}`, { token: operator });
    expect(detail.body.form.components.map((c) => c.key)).to.include('callbackNote');

    const eventType = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
    const without = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: eventType.code } },
    });
    expect(without.status).to.equal(400);
    expect(without.body['code']).to.equal('form_invalid');
    expect((await InboxTasks.findOne({ where: { userTaskKey: accept.userTaskKey } }))!.state).to.equal('created');

    const withNote = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: eventType.code, callbackNote: '已电话联系反映人' } },
    });
    expect(withNote.status, JSON.stringify(withNote.body)).to.equal(200);
    await eventually('the case accepted', async () => ((await Cases.findByPk(filed.body.id))!.status !== 'reported' ? true : null), 20_000);
  });
});
