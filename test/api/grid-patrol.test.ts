import { expect } from 'chai';
import { Grids, InboxTasks, UserGrids, Users, Op } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { pngImage } from '../web/support/fixtures.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

const FORM_DATA: Record<string, Record<string, unknown>> = {
  accept: { filed: true, eventTypeCode: 'BJ-0101' },
  dispatch: { unitCode: 'D-CGJ', dispatchNote: '请尽快处理' },
  handle: { handleOutcome: 'done', handleResult: '已处理完毕' },
};

/** A grid worker's 核查 pool is the cases of the grids they patrol (issue #16, item 6). */
describe('API: a grid worker reaches the 核查 tasks of their own grids only', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let worker: string;
  const verifyTask: Record<'inside' | 'outside', { caseId: string; key: string }> = {} as never;

  /** Files a case in `gridId` and completes its tasks as the admin up to the 核查 task. */
  async function caseAtVerify(gridId: number): Promise<{ caseId: string; key: string }> {
    const grid = (await Grids.findByPk(gridId))!;
    const admin = await api.login('admin');
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: await api.login('operator'),
      body: { description: '井盖缺失', gridCode: grid.code, lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status).to.equal(201);
    const caseId = filed.body.id;
    return eventually(
      `case ${caseId} at 核查`,
      async () => {
        const task = await InboxTasks.findOne({ where: { caseId, state: 'created' }, order: [['id', 'ASC']] });
        if (task?.elementId === 'verify') return { caseId, key: task.userTaskKey };
        if (task && FORM_DATA[task.elementId]) {
          await api.call('POST', `/tasks/${task.userTaskKey}/claim`, { token: admin });
          await api.call('POST', `/tasks/${task.userTaskKey}/complete`, { token: admin, body: { data: FORM_DATA[task.elementId] } });
        }
        return null;
      },
      60_000,
    );
  }

  before(async () => {
    api = await openApiWorld();
    worker = await api.login('gridworker');
    const me = (await Users.findOne({ where: { username: 'gridworker' } }))!;
    const mine = (await UserGrids.findAll({ where: { userId: me.id } })).map((g) => g.gridId);
    const other = (await Grids.findOne({ where: { id: { [Op.notIn]: mine } }, order: [['id', 'ASC']] }))!;
    expect(mine.length, 'the demo grid worker patrols grids').to.be.greaterThan(0);
    verifyTask.inside = await caseAtVerify(mine[0]!);
    verifyTask.outside = await caseAtVerify(other.id);
  });
  after(() => api?.close());

  it('given a 核查 task of a grid the worker does not patrol, when they list, read, claim, attach to or complete it, then it does not exist for them and nothing changes', async () => {
    const { caseId, key } = verifyTask.outside;
    const before = await snapshot();
    const list = await api.call<{ tasks: Array<{ userTaskKey: string }> }>('GET', '/tasks?limit=200', { token: worker });
    expect(list.body.tasks.map((t) => t.userTaskKey)).to.not.include(key);
    for (const [method, path] of [
      ['GET', `/tasks/${key}`],
      ['POST', `/tasks/${key}/claim`],
      ['POST', `/tasks/${key}/unclaim`],
      ['POST', `/tasks/${key}/complete`],
      ['GET', `/cases/${caseId}`],
    ] as const) {
      const res = await api.call(method, path, { token: worker, ...(path.endsWith('complete') ? { body: { data: { verified: true } } } : {}) });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).to.equal(404);
    }
    const form = new FormData();
    form.append('kind', 'photo_after');
    form.append('file', new Blob([pngImage()], { type: 'image/png' }), 'a.png');
    const upload = await fetch(`${api.base}/tasks/${key}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${worker}` }, body: form });
    expect(upload.status).to.equal(404);
    const search = await api.call<{ items: Array<{ id: string }> }>('GET', '/cases?pageSize=100', { token: worker });
    expect(search.body.items.map((c) => c.id)).to.not.include(caseId);
    expect(await snapshot()).to.equal(before);
  });

  it('given a 核查 task of a grid the worker patrols, when they list, read and claim it, then they may', async () => {
    const { caseId, key } = verifyTask.inside;
    const list = await api.call<{ tasks: Array<{ userTaskKey: string }> }>('GET', '/tasks?limit=200', { token: worker });
    expect(list.body.tasks.map((t) => t.userTaskKey)).to.include(key);
    expect((await api.call('GET', `/cases/${caseId}`, { token: worker })).status).to.equal(200);
    const claimed = await api.call('POST', `/tasks/${key}/claim`, { token: worker });
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(200);
  });
});
