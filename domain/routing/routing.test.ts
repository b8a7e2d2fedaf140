import { expect } from 'chai';
import { EventTypes, Units } from '../../test/support/tables.js';
import { createCase, demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { getCaseView } from '../cases/index.js';
import { decideRoute, routeCase } from './index.js';

describe('routing (domain/routing)', () => {
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  const route = async (eventTypeCode: string | null, gridCode: string | null) =>
    routeCase(await getCaseView((await createCase({ eventTypeCode, gridCode })).id));

  it('given an 事件 with rule 属地 in a grid of 西平街道, when routed, then it goes to the township, sure', async () => {
    const r = await route('SJ-0101', 'G-XP-01-01'); // 暴露垃圾
    expect(r).to.deep.include({ unitCode: 'T-XP', routeSure: true, routeBasis: 'territory' });
    expect(r.routeReason).to.contain('先属地');
  });

  it('given an 事件 with rule 属地 but no grid, when routed, then it falls back to the owner department, unsure', async () => {
    const r = await route('SJ-0101', null);
    expect(r).to.deep.include({ unitCode: 'D-CGJ', routeSure: false, routeBasis: 'owner' });
  });

  it('given a 部件 with rule 属主, when routed, then it goes to the owner (供排水公司 for 上水井盖), sure, wherever it is', async () => {
    expect(await route('BJ-0101', 'G-XP-01-01')).to.deep.include({ unitCode: 'E-GPS', routeSure: true, routeBasis: 'owner' });
    expect(await route('BJ-0101', null)).to.deep.include({ unitCode: 'E-GPS', routeSure: true });
  });

  it('given an 事件 the catalogue marks 属主 (机动车乱停放), when routed, then the rule wins over the kind', async () => {
    expect(await route('SJ-0107', 'G-XP-01-01')).to.deep.include({ unitCode: 'D-JJDD', routeSure: true });
  });

  it('given a 属主 type whose owner is inactive, when routed, then the township takes it, unsure', async () => {
    const owner = (await Units.findOne({ where: { code: 'E-DX' } }))!;
    await Units.updateRow(owner, { active: false });
    try {
      expect(await route('BJ-0106', 'G-XP-01-01')).to.deep.include({ unitCode: 'T-XP', routeSure: false });
      expect(await route('BJ-0106', null)).to.deep.include({ unitCode: null, routeSure: false });
    } finally {
      await Units.updateRow(owner, { active: true });
    }
  });

  it('given no event type yet, when routed, then the township is only a suggestion, and without a place nothing is proposed', async () => {
    expect(await route(null, 'G-XP-01-01')).to.deep.include({ unitCode: 'T-XP', routeSure: false });
    expect(await route(null, null)).to.deep.include({ unitCode: null, routeSure: false, routeBasis: 'none' });
  });

  it('given every type of the demo catalogue in a known grid, when routed, then each gets a unit and a sure route', async () => {
    const types = await EventTypes.findAll();
    for (const t of types) {
      const r = decideRoute({ eventType: t, owner: await Units.findByPk(t.ownerUnitId), township: await Units.findOne({ where: { code: 'T-LH' } }) });
      expect(r.routeSure, t.code).to.equal(true);
      expect(r.unitCode, t.code).to.equal(t.routingRule === '属地' ? 'T-LH' : (await Units.findByPk(t.ownerUnitId))!.code);
    }
  });
});
