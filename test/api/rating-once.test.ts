import { expect } from 'chai';
import { Cases, Grids, InboxTasks } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/** What each task is completed with on the straight path to 结案 (as test/api/support/case-to-end.ts). */
const FORM_DATA: Record<string, Record<string, unknown>> = {
  accept: { filed: true, eventTypeCode: 'BJ-0101' },
  dispatch: { unitCode: 'D-CGJ', dispatchNote: '请尽快处理' },
  handle: { handleOutcome: 'done', handleResult: '已处理完毕' },
  verify: { verified: true },
};

/** 回访 takes one rating per round, of a closed case (issue #16, item 2). */
describe('API: a case is rated once, and only when closed', function () {
  this.timeout(90_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api?.close());

  async function file(): Promise<{ id: string; token: string }> {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string; trackingToken: string }>('POST', '/cases', {
      token: await api.login('operator'),
      body: { description: '路灯不亮已三天', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status).to.equal(201);
    return { id: filed.body.id, token: filed.body.trackingToken };
  }

  /** Completes the case's open tasks as the admin until `done(status)` holds. */
  async function driveUntil(caseId: string, done: (status: string) => boolean): Promise<void> {
    const admin = await api.login('admin');
    await eventually(
      `case ${caseId} far enough`,
      async () => {
        const c = (await Cases.findByPk(caseId))!;
        if (done(c.status)) return true;
        const task = await InboxTasks.findOne({ where: { caseId, state: 'created' }, order: [['id', 'ASC']] });
        if (task) {
          await api.call('POST', `/tasks/${task.userTaskKey}/claim`, { token: admin });
          await api.call('POST', `/tasks/${task.userTaskKey}/complete`, { token: admin, body: { data: FORM_DATA[task.elementId] } });
        }
        return null;
      },
      60_000,
    );
  }

  const follow = (token: string) => api.call<{ status: string; canRate: boolean }>('GET', `/public/reports/${token}`);
  const rate = (token: string, rating: number) => api.call('POST', `/public/reports/${token}/rating`, { body: { satisfied: rating >= 4, rating } });

  it('given a case still being handled (dispatched), when the reporter rates it, then 409 not_rateable, canRate is false and nothing is published', async () => {
    // given
    const c = await file();
    await driveUntil(c.id, (s) => ['dispatched', 'handling'].includes(s));
    const status = (await Cases.findByPk(c.id))!.status;

    // when
    const rated = await rate(c.token, 5);

    // then
    expect(rated.status, `rating a ${status} case: ${JSON.stringify(rated.body)}`).to.equal(409);
    expect(rated.body['code']).to.equal('not_rateable');
    expect((await follow(c.token)).body.canRate).to.equal(false);
    const buffered = await api.world.engine.driver.read("SELECT 1 AS x FROM eng_message WHERE name = 'case-rating' AND correlation_key = ?", [c.id]);
    expect(buffered).to.have.length(0);
  });

  it('given a closed case, when the reporter rates it, then canRate turns false at once and a second rating is 409 already_rated', async () => {
    // given
    const c = await file();
    await driveUntil(c.id, (s) => s === 'closed');
    expect((await follow(c.token)).body.canRate).to.equal(true);

    // when
    const first = await rate(c.token, 5);

    // then: before the process has recorded the satisfaction, and after
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    expect((await follow(c.token)).body.canRate, 'canRate right after the rating').to.equal(false);
    const second = await rate(c.token, 1);
    expect(second.status).to.equal(409);
    expect(second.body['code']).to.equal('already_rated');
    await eventually('the rating recorded by the process', async () => (await Cases.findByPk(c.id))!.satisfaction === 'satisfied', 20_000);
    expect((await follow(c.token)).body.canRate).to.equal(false);
  });
});
