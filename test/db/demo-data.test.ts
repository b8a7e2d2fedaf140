import { expect } from 'chai';
import { loadDemoData } from '../../db/demo/load-demo.js';
import { EventTypes, GovernanceItems, Grids, Units, UserGrids, Users } from '../support/tables.js';
import { ROLES } from '../../db/vocabulary.js';
import { CATEGORIES } from '../../db/vocabulary.js';
import { verifyPassword } from '../../domain/auth/password.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

describe('demo district', () => {
  let db: Db;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given an empty database, when the demo is loaded, then it looks like a real district', async () => {
    const result = await loadDemoData(db.sql, 'Demo@2026');
    expect(result.loaded).to.equal(true);
    expect(await Units.count()).to.be.within(90, 110);
    for (const kind of ['centre', 'department', 'township', 'community']) {
      expect(await Units.count({ where: { kind } }), kind).to.be.greaterThan(0);
    }
    expect(await Grids.count()).to.be.greaterThan(100);
    expect(await EventTypes.count()).to.equal(59);
    expect(await GovernanceItems.count()).to.equal(456);
    const categories = new Set((await EventTypes.findAll()).map((e) => e.category));
    for (const c of CATEGORIES.filter((c) => c !== '其他')) expect(categories, c).to.include(c);
    const emergency = await EventTypes.findAll({ where: { emergency: true } });
    expect(emergency.length).to.be.greaterThan(0);
    expect(emergency.every((e) => e.clock === 'natural')).to.equal(true);
  });

  it('given the loaded demo, when accounts are listed, then there is one per role with a working password, and staff of a township and a community', async () => {
    const users = await Users.findAll();
    expect([...new Set(users.map((u) => u.role))].sort()).to.deep.equal([...ROLES].sort());
    const kinds = await Promise.all(users.filter((u) => u.role === 'dept_staff').map(async (u) => (await Units.findByPk(u.unitId!))!.kind));
    expect(kinds.sort()).to.deep.equal(['community', 'department', 'township']);
    const township = users.find((u) => u.username === 'township')!;
    const community = (await Units.findByPk(users.find((u) => u.username === 'community')!.unitId!))!;
    expect(community.parentId, 'the community lies in the township').to.equal(township.unitId);
    expect(await verifyPassword('Demo@2026', users[0]!.passwordHash)).to.equal(true);
    expect(await verifyPassword('wrong-password', users[0]!.passwordHash)).to.equal(false);
    const clerk = users.find((u) => u.username === 'clerk')!;
    expect((await Units.findByPk(clerk.unitId!))!.name).to.contain('城市管理');
    const gridWorker = users.find((u) => u.role === 'grid_worker')!;
    expect(await UserGrids.count({ where: { userId: gridWorker.id } })).to.be.greaterThan(0);
  });

  it('given the demo already loaded, when loaded again, then nothing changes', async () => {
    const before = [await Units.count(), await Users.count(), await GovernanceItems.count()];
    const again = await loadDemoData(db.sql, 'Demo@2026');
    expect(again.loaded).to.equal(false);
    expect(again.accounts).to.have.length(ROLES.length + 2);
    expect([await Units.count(), await Users.count(), await GovernanceItems.count()]).to.deep.equal(before);
  });
});
