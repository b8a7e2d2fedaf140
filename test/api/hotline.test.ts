import { expect } from 'chai';
import { AuditRecords, Cases, Grids, type Row } from '../support/tables.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface Context {
  suggestions: Array<{ code: string; name: string; confidence: number | null }>;
  grid: { gridCode: string } | null;
  nearby: Array<{ id: string; caseNo: string; sameType: boolean; distanceMetres: number }>;
}

/** The hotline operator's 来电登记 API (issue #14 item 3): caller history, call context, 直办, 并单. */
describe("REST API: the hotline operator's call registration (/api/hotline)", function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let operator: string;
  let grid: Row<'grids'>;
  let earlier: { id: string; caseNo: string };

  before(async () => {
    api = await openApiWorld();
    operator = await api.login('operator');
    grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string; caseNo: string }>('POST', '/cases', {
      token: operator,
      body: { description: '小区门口垃圾堆放多日无人清运', reporterPhone: '13900001111', lat: grid.centroidLat, lng: grid.centroidLng },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    earlier = filed.body;
  });
  after(() => api.close());

  it('given a caller who called before, when their number is looked up, then their earlier case comes back; another number has none', async () => {
    const seen = await api.call<{ items: Array<{ caseNo: string }> }>('GET', '/hotline/caller-cases?phone=13900001111', { token: operator });
    expect(seen.status).to.equal(200);
    expect(seen.body.items.map((c) => c.caseNo)).to.deep.equal([earlier.caseNo]);
    const other = await api.call<{ items: unknown[] }>('GET', '/hotline/caller-cases?phone=13900009999', { token: operator });
    expect(other.body.items).to.deep.equal([]);
  });

  it("given what the caller says and where, when the context is asked for, then the classifier's type, the grid and the open case nearby come back", async () => {
    const q = new URLSearchParams({ description: '楼下垃圾没人清运，臭味很大', lat: String(grid.centroidLat + 0.0005), lng: String(grid.centroidLng) });
    const ctx = await api.call<Context>('GET', `/hotline/context?${q}`, { token: operator });
    expect(ctx.status, JSON.stringify(ctx.body)).to.equal(200);
    expect(ctx.body.suggestions.length).to.be.greaterThan(0);
    expect(ctx.body.suggestions[0]!.confidence).to.be.a('number');
    expect(ctx.body.grid?.gridCode).to.equal(grid.code);
    const near = ctx.body.nearby.find((c) => c.caseNo === earlier.caseNo);
    expect(near, 'the earlier case ~55 m away').to.not.equal(undefined);
    expect(near!.distanceMetres).to.be.within(40, 70);
    // by grid, without a point: the grid's centre stands in
    const byGrid = await api.call<Context>('GET', `/hotline/context?gridCode=${grid.code}`, { token: operator });
    expect(byGrid.body.nearby.map((c) => c.caseNo)).to.include(earlier.caseNo);
    expect(byGrid.body.suggestions).to.deep.equal([]);
  });

  it('given a consultation, when it is answered on the spot (直办), then it is recorded with the answer and no case is filed', async () => {
    const cases = await Cases.count();
    const saved = await api.call<{ id: string }>('POST', '/hotline/consultations', {
      token: operator,
      body: { callerName: '李女士', callerPhone: '13900002222', question: '居住证在哪里办理？', answer: '到所在街道便民服务中心办理，带身份证和租房合同。' },
    });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(201);
    expect(await Cases.count()).to.equal(cases);
    const calls = await api.call<{ items: Array<{ id: string; kind: string; answer: string }> }>('GET', '/hotline/calls', { token: operator });
    expect(calls.body.items[0]).to.include({ id: saved.body.id, kind: 'consultation', answer: '到所在街道便民服务中心办理，带身份证和租房合同。' });
  });

  it('given an open case nearby, when the call is joined to it (并单), then the case counts one more report, its audit says so, and no case is filed', async () => {
    const cases = await Cases.count();
    const before = (await Cases.findByPk(earlier.id))!.duplicateCount;
    const joined = await api.call<{ id: string; caseNo: string; duplicateCount: number }>('POST', '/hotline/joined-calls', {
      token: operator,
      body: { callerName: '王先生', callerPhone: '13900003333', caseId: earlier.id, content: '还是那堆垃圾，没人来清' },
    });
    expect(joined.status, JSON.stringify(joined.body)).to.equal(201);
    expect(joined.body).to.include({ caseNo: earlier.caseNo, duplicateCount: before + 1 });
    expect(await Cases.count()).to.equal(cases);
    // by its action, not as the newest record: the case's own process (its deadline worker) writes beside the join
    const audit = await AuditRecords.findOne({ where: { caseId: earlier.id, action: 'call_joined' }, order: [['id', 'DESC']] });
    expect(audit?.actor).to.equal('operator');
    expect(JSON.stringify(audit?.detail), "the caller's number stays out of the audit log").to.not.contain('13900003333');
  });

  it('given bad input, another role or a closed case, when asked, then 400/403/404 with a code and nothing changes', async () => {
    const clerk = await api.login('clerk');
    const before = await snapshot();
    const cases: Array<[string, string, unknown, string | null, number, string]> = [
      ['GET', '/hotline/caller-cases?phone=abc', undefined, operator, 400, 'invalid_input'],
      ['GET', '/hotline/context?lat=25.6', undefined, operator, 400, 'invalid_input'],
      ['POST', '/hotline/consultations', { question: '问', answer: '' }, operator, 400, 'invalid_input'],
      ['POST', '/hotline/joined-calls', { caseId: 'x1', content: '内容' }, operator, 400, 'invalid_input'],
      ['POST', '/hotline/joined-calls', { caseId: '999999999', content: '内容' }, operator, 404, 'not_found'],
      ['POST', '/hotline/consultations', { question: '问', answer: '答' }, clerk, 403, 'forbidden'],
      ['GET', '/hotline/calls', undefined, null, 401, 'unauthenticated'],
    ];
    for (const [method, path, body, token, status, code] of cases) {
      const res = await api.call<{ code: string }>(method, path, { token, body });
      expect([res.status, res.body.code], `${method} ${path}`).to.deep.equal([status, code]);
    }
    expect(await snapshot()).to.equal(before);
  });
});
