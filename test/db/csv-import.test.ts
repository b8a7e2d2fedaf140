import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportError, importCsvFiles, type ImportFiles } from '../../db/import/importer.js';
import { EventTypes, GovernanceItems, Grids, Units } from '../support/tables.js';
import { freshDatabase } from '../support/database.js';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

/** A small, valid district: a centre, two departments, a township with one community, one grid, two types, two items. */
const GOOD = {
  units: [
    'code,name,short_name,kind,parent_code,contact_person,contact_phone',
    'C-CTR,沾益区调度指挥中心,指挥中心,centre,,李娟,0874-3100001',
    'D-CGJ,沾益区城市管理局,城管局,department,,张伟,0874-3100002',
    'D-SJJ,沾益区市场监督管理局,市场监管局,department,,,',
    'C-XP-01,东风社区居委会,东风社区,community,T-XP,王芳,0874-3100004',
    'T-XP,西平街道办事处,西平街道,township,,赵敏,0874-3100003',
  ],
  grids: [
    'code,name,township_code,community_code,centroid_lng,centroid_lat,polygon,grid_kind',
    'G-XP-01-1,西平街道东风社区第1网格,T-XP,C-XP-01,103.8212,25.6011,"103.820 25.600, 103.822 25.600, 103.822 25.602, 103.820 25.602, 103.820 25.600",综合',
  ],
  eventTypes: [
    'code,name,kind,major,category,filing_condition,closing_condition,routing_rule,owner_unit_code,clock,accept_limit,dispatch_limit,handle_limit,verify_limit,extra_stages,emergency,keywords',
    'SJ-0101,暴露垃圾,事件,市容环境类,市容环境,公共区域有暴露垃圾,垃圾清理干净,属地,D-CGJ,working,1h,1h,4h,4h,,0,垃圾|堆放',
    'SJ-0501,违法建设,事件,施工管理类,住房建设,发现正在施工的违法建设,拆除完毕,属地,D-CGJ,working,1h,1h,4h,1d,停工=4h;处罚=7d;拆除=20d,0,违建|搭建',
  ],
  items: [
    'code,name,category,event_type_code,responsible_unit_code,assisting_unit_codes,basis',
    'SX-001,暴露垃圾的清理,市容环境,SJ-0101,T-XP,D-CGJ,《城市市容和环境卫生管理条例》',
    'SX-002,小餐饮店证照检查,食品安全,,D-SJJ,,《中华人民共和国食品安全法》',
  ],
};

type FileSet = { [K in keyof typeof GOOD]: string[] };

function writeFiles(dir: string, files: Partial<FileSet>): ImportFiles {
  const names = { units: 'units.csv', grids: 'grids.csv', eventTypes: 'event_types.csv', items: 'items.csv' } as const;
  const paths: ImportFiles = {};
  for (const key of Object.keys(files) as Array<keyof FileSet>) {
    const path = join(dir, names[key]);
    writeFileSync(path, files[key]!.join('\n') + '\n');
    paths[key] = path;
  }
  return paths;
}

async function counts(): Promise<number[]> {
  return [await Units.count(), await Grids.count(), await EventTypes.count(), await GovernanceItems.count()];
}

describe('CSV import', () => {
  let db: Db;
  let dir: string;
  beforeEach(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ywtg-csv-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a valid file set, when imported, then every row is stored with its references resolved', async () => {
    const summary = await importCsvFiles(db.sql, writeFiles(dir, GOOD));
    expect(summary.units).to.deep.equal({ created: 5, updated: 0 });
    expect(await counts()).to.deep.equal([5, 1, 2, 2]);
    const community = await Units.findOne({ where: { code: 'C-XP-01' } });
    expect((await Units.findByPk(community!.parentId))!.code).to.equal('T-XP'); // parent listed after the child
    const grid = await Grids.findOne({ where: { code: 'G-XP-01-1' } });
    expect(grid!.polygon).to.have.length(5);
    expect(grid!.polygon![0]).to.deep.equal([103.82, 25.6]);
    const illegal = await EventTypes.findOne({ where: { code: 'SJ-0501' } });
    expect(illegal!.extraStages).to.deep.equal([
      { name: '停工', limit: '4h' },
      { name: '处罚', limit: '7d' },
      { name: '拆除', limit: '20d' },
    ]);
    expect(illegal!.keywords).to.deep.equal(['违建', '搭建']);
    const item = await GovernanceItems.findOne({ where: { code: 'SX-001' } });
    expect(item!.assistingUnitCodes).to.deep.equal(['D-CGJ']);
  });

  it('given an imported district, when a changed file is imported again, then rows are updated by code, not duplicated', async () => {
    await importCsvFiles(db.sql, writeFiles(dir, GOOD));
    const renamed = GOOD.units.map((l) => l.replace('沾益区城市管理局', '沾益区城市管理综合行政执法局'));
    const summary = await importCsvFiles(db.sql, writeFiles(dir, { units: renamed }));
    expect(summary.units).to.deep.equal({ created: 0, updated: 1 });
    expect((await Units.findOne({ where: { code: 'D-CGJ' } }))!.name).to.equal('沾益区城市管理综合行政执法局');
    expect(await counts()).to.deep.equal([5, 1, 2, 2]);
  });

  it('given items that refer to units already in the database, when only items are imported, then they resolve', async () => {
    await importCsvFiles(db.sql, writeFiles(dir, { units: GOOD.units, eventTypes: GOOD.eventTypes }));
    const summary = await importCsvFiles(db.sql, writeFiles(dir, { items: GOOD.items }));
    expect(summary.items.created).to.equal(2);
  });

  /** [what is wrong, the file set, file, row, column, words in the message] */
  const badFiles: Array<[string, Partial<FileSet>, string, number, string | null, string]> = [
    ['a missing required cell', { ...GOOD, units: [...GOOD.units, 'D-X,,,department,,,'] }, 'units.csv', 7, 'name', 'is required'],
    ['an unknown unit kind', { ...GOOD, units: [...GOOD.units, 'D-X,某局,,bureau,,,'] }, 'units.csv', 7, 'kind', 'must be one of'],
    [
      'a duplicate code',
      { ...GOOD, units: [...GOOD.units, 'D-CGJ,又一个城管局,,department,,,'] },
      'units.csv',
      7,
      'code',
      'duplicate code D-CGJ (first on row 3)',
    ],
    ['a bad phone number', { ...GOOD, units: [...GOOD.units, 'D-X,某局,,department,,,call me'] }, 'units.csv', 7, 'contact_phone', '7–20 digits'],
    [
      'a parent that does not exist',
      { ...GOOD, units: [...GOOD.units, 'C-X,某社区,,community,T-NONE,,'] },
      'units.csv',
      7,
      'parent_code',
      'T-NONE is not another known unit',
    ],
    [
      'a missing column',
      { ...GOOD, grids: [GOOD.grids[0]!.replace(',grid_kind', ''), GOOD.grids[1]!.replace(/,综合$/, '')] },
      'grids.csv',
      1,
      'grid_kind',
      'missing column',
    ],
    [
      'a latitude outside China',
      { ...GOOD, grids: [GOOD.grids[0]!, GOOD.grids[1]!.replace('25.6011', '95.6')] },
      'grids.csv',
      2,
      'centroid_lat',
      'from 3 to 54',
    ],
    ['an open polygon', { ...GOOD, grids: [GOOD.grids[0]!, GOOD.grids[1]!.replace(', 103.820 25.600"', '"')] }, 'grids.csv', 2, 'polygon', 'closed ring'],
    [
      'a community of another township',
      { ...GOOD, grids: [GOOD.grids[0]!, GOOD.grids[1]!.replace('T-XP,C-XP-01', 'T-XP,D-CGJ')] },
      'grids.csv',
      2,
      'community_code',
      'not a known community of T-XP',
    ],
    [
      'a bad duration',
      { ...GOOD, eventTypes: [GOOD.eventTypes[0]!, GOOD.eventTypes[1]!.replace(',4h,4h,', ',4 hours,4h,')] },
      'event_types.csv',
      2,
      'handle_limit',
      'duration like 30m',
    ],
    [
      'an unknown category',
      { ...GOOD, eventTypes: [GOOD.eventTypes[0]!, GOOD.eventTypes[1]!.replace(',市容环境,', ',城市美化,')] },
      'event_types.csv',
      2,
      'category',
      'must be one of',
    ],
    [
      'a broken extra stage list',
      { ...GOOD, eventTypes: [GOOD.eventTypes[0]!, GOOD.eventTypes[2]!.replace('处罚=7d', '处罚')] },
      'event_types.csv',
      2,
      'extra_stages',
      'name=duration',
    ],
    [
      'an unknown owner unit',
      { ...GOOD, eventTypes: [GOOD.eventTypes[0]!, GOOD.eventTypes[1]!.replace(',D-CGJ,', ',D-NONE,')] },
      'event_types.csv',
      2,
      'owner_unit_code',
      'D-NONE is not a known unit',
    ],
    [
      'an unknown event type',
      { ...GOOD, items: [...GOOD.items, 'SX-003,某事项,市容环境,SJ-9999,D-CGJ,,'] },
      'items.csv',
      4,
      'event_type_code',
      'SJ-9999 is not a known event type',
    ],
    [
      'an unknown assisting unit',
      { ...GOOD, items: [...GOOD.items, 'SX-003,某事项,市容环境,,D-CGJ,D-SJJ|D-NONE,'] },
      'items.csv',
      4,
      'assisting_unit_codes',
      'D-NONE is not a known unit',
    ],
    ['broken quoting', { ...GOOD, items: [...GOOD.items, 'SX-003,"某事项,市容环境,,D-CGJ,,'] }, 'items.csv', 4, null, 'not valid CSV'],
  ];
  for (const [what, files, file, row, column, words] of badFiles) {
    it(`given ${what}, when imported, then it is refused naming ${file} row ${row}${column ? ` column ${column}` : ''} and nothing is imported`, async () => {
      let caught: unknown;
      try {
        await importCsvFiles(db.sql, writeFiles(dir, files));
      } catch (err) {
        caught = err;
      }
      expect(caught, 'import should fail').to.be.instanceOf(ImportError);
      const problems = (caught as ImportError).problems;
      const match = problems.find((p) => p.file === file && p.row === row && p.column === column);
      expect(match, JSON.stringify(problems)).to.not.equal(undefined);
      expect(match!.message).to.contain(words);
      expect(await counts()).to.deep.equal([0, 0, 0, 0]);
    });
  }

  it('given a district already imported, when a bad file set is imported, then the earlier data is untouched', async () => {
    await importCsvFiles(db.sql, writeFiles(dir, GOOD));
    const bad = { units: GOOD.units.map((l) => l.replace('沾益区城市管理局', '改名')), items: [...GOOD.items, 'SX-009,某事项,市容环境,SJ-9999,D-CGJ,,'] };
    await importCsvFiles(db.sql, writeFiles(dir, bad)).then(
      () => expect.fail('should be refused'),
      (err) => expect(err).to.be.instanceOf(ImportError),
    );
    expect((await Units.findOne({ where: { code: 'D-CGJ' } }))!.name).to.equal('沾益区城市管理局');
    expect(await counts()).to.deep.equal([5, 1, 2, 2]);
  });
});
