import { expect } from 'chai';
import { Grids, type Row } from '../../test/support/tables.js';
import { demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { createGrid, getGrid, updateGrid } from '../admin/grids.js';
import { haversineMetres } from '../dedup/haversine.js';
import { gridNear, GRID_RADIUS_M } from './nearest-grid.js';

/** The nearest grid from the in-memory centres, and what a write to the grids does to them. */
describe('the nearest grid (domain/intake/nearest-grid)', () => {
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  /** the nearest active grid by a plain scan of the table: what the in-memory answer must equal */
  const scanned = async (lat: number, lng: number) => {
    let best: Row<'grids'> | null = null;
    let bestD = Infinity;
    for (const g of await Grids.findAll({ where: { active: true } })) {
      const d = haversineMetres({ lat, lng }, { lat: Number(g.centroidLat), lng: Number(g.centroidLng) });
      if (d < bestD && d <= GRID_RADIUS_M) [best, bestD] = [g, d];
    }
    return best ? best.code : null;
  };

  const points: Array<[string, number, number]> = [
    ['in 西平街道', 25.599312, 103.834996],
    ['between grids', 25.598031, 103.829996],
    ['at the district edge', 25.6052, 103.8401],
    ['far from every grid (Kunming)', 25.04, 102.71],
  ];
  for (const [where, lat, lng] of points) {
    it(`given a point ${where}, when placed, then it gets the grid a scan of the table gives`, async () => {
      expect((await gridNear(lat, lng))?.code ?? null).to.equal(await scanned(lat, lng));
    });
  }

  /** the registry pages' writer (domain/admin/grids.ts), which tells the kept centres it wrote */
  const admin = { userId: 1, username: 'admin', role: 'admin' };

  it('given the nearest grid switched off in the registry, when placed again at once, then the next nearest is given', async () => {
    const first = (await gridNear(25.599312, 103.834996))!;
    await updateGrid(admin, first.code, { enabled: false });
    const next = await gridNear(25.599312, 103.834996);
    expect(next?.code).to.not.equal(first.code);
    expect(next?.code ?? null).to.equal(await scanned(25.599312, 103.834996));
    await updateGrid(admin, first.code, { enabled: true });
    expect((await gridNear(25.599312, 103.834996))?.code).to.equal(first.code);
  });

  it('given a new grid right at the point, when placed at once, then the new grid is given', async () => {
    const any = await getGrid((await Grids.findOne({ where: { active: true } }))!.code);
    await createGrid(admin, {
      code: 'G-NEW-NEAR',
      name: '新网格',
      townshipCode: any.townshipCode!,
      communityCode: any.communityCode!,
      centroidLat: 25.5701,
      centroidLng: 103.8101,
      polygon: null,
      enabled: true,
    });
    expect((await gridNear(25.5701, 103.8101))?.code).to.equal('G-NEW-NEAR');
  });
});
