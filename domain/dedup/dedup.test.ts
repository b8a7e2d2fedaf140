import { expect } from 'chai';
import { createCase, demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { boundingBox, findDuplicate, haversineMetres } from './index.js';

const H = 3_600_000;
const T = new Date('2026-03-02T01:00:00Z');
const ago = (hours: number) => new Date(T.getTime() - hours * H);
const NORTH_PER_M = 1 / 111_195; // degrees of latitude per metre

describe('duplicates (domain/dedup)', () => {
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given known places, when measured, then haversine agrees with hand values and the box holds the circle', () => {
    expect(haversineMetres({ lat: 25.6, lng: 103.83 }, { lat: 25.6 + 100 * NORTH_PER_M, lng: 103.83 })).to.be.closeTo(100, 0.2);
    expect(haversineMetres({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).to.be.closeTo(111_195, 1);
    const box = boundingBox({ lat: 25.6, lng: 103.83 }, 50);
    expect(haversineMetres({ lat: 25.6, lng: 103.83 }, { lat: 25.6, lng: box.maxLng })).to.be.closeTo(50, 0.1);
  });

  // each scenario in its own spot, so they do not see each other
  const spot = (i: number) => ({ lat: 25.5 + i * 0.01, lng: 103.8 });

  it('given an open case 30 m away reported an hour earlier, when a new report of the same type comes, then it is the duplicate', async () => {
    const p = spot(1);
    const first = await createCase({ eventTypeCode: 'SJ-0101', ...p, createdAt: ago(1) });
    const next = await createCase({ eventTypeCode: 'SJ-0101', lat: p.lat + 30 * NORTH_PER_M, lng: p.lng, createdAt: T });
    const match = await findDuplicate(next);
    expect(match).to.deep.include({ caseId: first.id, reason: 'distance' });
    expect(match!.distanceMetres).to.be.closeTo(30, 0.2);
    expect(await findDuplicate(first)).to.equal(null); // the older one never points at the newer
  });

  it('given reports that are too far, too old, of another type or already closed, when checked, then none is a duplicate', async () => {
    const p = spot(2);
    await createCase({ eventTypeCode: 'SJ-0101', lat: p.lat + 80 * NORTH_PER_M, lng: p.lng, createdAt: ago(1) }); // 80 m
    await createCase({ eventTypeCode: 'SJ-0101', ...p, createdAt: ago(25) }); // outside 24 h
    await createCase({ eventTypeCode: 'SJ-0105', ...p, createdAt: ago(1) }); // 乱堆物堆料, not 暴露垃圾
    await createCase({ eventTypeCode: 'SJ-0101', ...p, createdAt: ago(2), status: 'closed' });
    const next = await createCase({ eventTypeCode: 'SJ-0101', ...p, createdAt: T });
    expect(await findDuplicate(next)).to.equal(null);
    expect(await findDuplicate(next, { distanceMetres: 100 })).to.not.equal(null); // a wider radius reaches the 80 m one
  });

  it('given two candidates, when checked, then the nearest absorbs the report', async () => {
    const p = spot(3);
    await createCase({ eventTypeCode: 'SJ-0101', lat: p.lat + 40 * NORTH_PER_M, lng: p.lng, createdAt: ago(3) });
    const near = await createCase({ eventTypeCode: 'SJ-0101', lat: p.lat + 10 * NORTH_PER_M, lng: p.lng, createdAt: ago(2) });
    const next = await createCase({ eventTypeCode: 'SJ-0101', ...p, createdAt: T });
    expect((await findDuplicate(next))!.caseId).to.equal(near.id);
  });

  it('given an AI camera that captured the same type in the same grid before, when it captures again elsewhere in the grid, then it is the same spot', async () => {
    const first = await createCase({ channel: 'ai_camera', eventTypeCode: 'SJ-0106', gridCode: 'G-XP-01-02', createdAt: ago(5), reporterPhone: null });
    const again = await createCase({
      channel: 'ai_camera',
      eventTypeCode: 'SJ-0106',
      gridCode: 'G-XP-01-02',
      lat: null,
      lng: null,
      createdAt: T,
      reporterPhone: null,
    });
    expect(await findDuplicate(again)).to.deep.include({ caseId: first.id, reason: 'camera-spot', distanceMetres: null });
    const citizen = await createCase({ channel: 'photo', eventTypeCode: 'SJ-0106', gridCode: 'G-XP-01-02', lat: null, lng: null, createdAt: T });
    expect(await findDuplicate(citizen)).to.equal(null); // people's reports need a distance
  });
});
