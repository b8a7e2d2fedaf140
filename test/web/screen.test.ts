import { expect } from 'chai';
import { Cases, Grids } from '../support/tables.js';
import { driveToClosed, pngImage } from './support/fixtures.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

interface Summary {
  totals: { open: number; today: number; total: number };
}

describe('web: the command-centre screen (一屏全域)', function () {
  this.timeout(120_000);
  let web: WebWorld;
  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  it('given the screen open and live, when a case is filed through the API, then the totals and the map change over SSE without a reload', async () => {
    // given
    const leader = await web.api.login('leader');
    const before = (await web.api.call<Summary>('GET', '/dashboard/summary', { token: leader })).body;
    const page = await web.newPage();
    await web.login(page, 'leader');
    await page.goto(web.url('/screen/'));
    await page.waitForSelector('[data-testid=stream-state][data-state=live]');
    await page.locator(`[data-testid=total-total]:text-is("${before.totals.total}")`).waitFor();
    expect(await page.textContent('[data-testid=total-open]')).to.equal(String(before.totals.open));
    await page.waitForSelector('[data-testid=map][data-cases]');
    const casesOnMap = Number(await page.getAttribute('[data-testid=map]', 'data-cases'));
    // every chart is drawn by echarts (a canvas each), the map from the grids' GeoJSON without tiles
    expect(await page.locator('[data-testid=panel-category] canvas').count()).to.equal(1);
    expect(await page.locator('[data-testid=panel-trend] canvas').count()).to.equal(1);
    expect(await page.locator('[data-testid=panel-ranking] canvas').count()).to.equal(1);
    expect(await page.getAttribute('[data-testid=map]', 'data-tiles')).to.equal('off');
    await page.evaluate('window.stillHere = true'); // gone if the page reloaded

    // when: a 随手拍 report comes in
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '广场路灯整排不亮', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道中心广场' },
    });
    expect(filed.status).to.equal(201);

    // then: the new figures arrive over the stream, in the same page
    await page.locator(`[data-testid=total-total]:text-is("${before.totals.total + 1}")`).waitFor({ timeout: 20_000 });
    expect(await page.textContent('[data-testid=total-today]')).to.equal(String(before.totals.today + 1));
    expect(await page.textContent('[data-testid=total-open]')).to.equal(String(before.totals.open + 1));
    expect(await page.evaluate('window.stillHere')).to.equal(true);
    // the map fetches the open cases again shortly after the change: the new one is on it
    await page.locator(`[data-testid=map][data-cases="${casesOnMap + 1}"]`).waitFor({ timeout: 20_000 });
    expect(await Cases.count({ where: { caseNo: filed.body.caseNo } })).to.equal(1);
    await web.screenshot(page, 'screen');
    web.expectNoErrors(page);
  });

  it('given a unit in the ranking at 1440 px, then the ranking keeps one line a cell (the long unit name cut, whole in its title), every panel keeps its padding and the light tile holds its counts', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '小区门口垃圾堆放多日无人清运', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道龙华路 3 号' },
    });
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    await driveToClosed(web.api, row.id);
    const page = await web.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await web.login(page, 'leader');
    await page.goto(web.url('/screen/'));
    await page.waitForSelector('[data-testid=ranking] tbody tr');

    // every header and cell of the ranking is one line of text
    const lines = await page.$$eval('[data-testid=ranking] th, [data-testid=ranking] td', (cells) =>
      cells.map((cell) => {
        const range = (
          cell.ownerDocument as unknown as { createRange(): { selectNodeContents(n: unknown): void; getClientRects(): ArrayLike<{ top: number }> } }
        ).createRange();
        range.selectNodeContents(cell);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        return { text: cell.textContent, lines: tops.size };
      }),
    );
    expect(lines.filter((c) => c.lines > 1)).to.deep.equal([]);
    const unit = page.locator('[data-testid=ranking] tbody td.sc-unit').first();
    expect(await unit.getAttribute('title')).to.equal(await unit.textContent());

    // every panel keeps its padding (the hotspot panel lost it to its list's rule)
    const paddings = await page.$$eval('.sc-panel', (panels) =>
      panels.map((p) => (p.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { padding: string } }).getComputedStyle(p).padding),
    );
    expect(new Set(paddings).size, paddings.join(' | ')).to.equal(1);

    // the light tile: each light's label and count on one line, inside the tile
    const tile = (await page.locator('.sc-lights').boundingBox())!;
    for (const light of ['red', 'yellow', 'green']) {
      const box = (await page.locator(`.sc-light-${light}`).boundingBox())!;
      expect(box.x + box.width, light).to.be.at.most(tile.x + tile.width);
      expect(box.y + box.height, light).to.be.at.most(tile.y + tile.height);
      // the label (the tile's first text) is one line
      const label = await page.locator(`.sc-light-${light}`).evaluate((el) => {
        const range = (
          el.ownerDocument as unknown as { createRange(): { selectNodeContents(n: unknown): void; getClientRects(): ArrayLike<{ top: number }> } }
        ).createRange();
        range.selectNodeContents(el.firstChild);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
      });
      expect(label, `${light}: its label on one line`).to.equal(1);
    }
    web.expectNoErrors(page);
  });

  it('given the stream refused at first, when the server answers again, then the screen reconnects by itself and shows the next change', async () => {
    // given: the first connection answered 503, as a restarting server or a proxy would
    const page = await web.newPage();
    await web.login(page, 'operator');
    let refused = 0;
    await page.route('**/api/dashboard/stream**', async (route) => {
      refused++;
      await route.fulfill({ status: 503, contentType: 'text/plain', body: 'restarting' });
    });
    await page.goto(web.url('/screen/'));
    await page.waitForSelector('[data-testid=stream-state][data-state=retrying]');
    expect(refused).to.be.at.least(1);

    // when: the server is back
    await page.unroute('**/api/dashboard/stream**');
    await page.waitForSelector('[data-testid=stream-state][data-state=live]', { timeout: 20_000 });
    const total = Number(await page.textContent('[data-testid=total-total]'));
    const grid = (await Grids.findOne({ order: [['id', 'DESC']] }))!;
    const filed = await web.api.call('POST', '/public/reports', {
      body: { description: '河道有大量漂浮垃圾', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道滨河路' },
    });
    expect(filed.status).to.equal(201);

    // then
    await page.locator(`[data-testid=total-total]:text-is("${total + 1}")`).waitFor({ timeout: 20_000 });
    web.expectNoErrors(page, [/dashboard\/stream|503/]);
  });

  it('given a tile template in the map answer, when the screen draws the map, then the tiles of the district lie beneath the grids', async () => {
    // the server's MAP_TILE_URL reaches the page as the map answer's tileUrl; here a same-origin template
    // (the page CSP allows 'self') served by the test, so no network is needed
    const page = await web.newPage();
    await web.login(page, 'leader');
    const requested: string[] = [];
    await page.route('**/api/dashboard/map', async (route) => {
      const res = await route.fetch();
      const body = { ...((await res.json()) as Record<string, unknown>), tileUrl: `${web.origin}/test-tiles/{z}/{x}/{y}.png` };
      await route.fulfill({ response: res, json: body });
    });
    await page.route('**/test-tiles/**', async (route) => {
      requested.push(new URL(route.request().url()).pathname);
      await route.fulfill({ status: 200, contentType: 'image/png', body: pngImage(256, 256, [60, 70, 90]) });
    });
    await page.goto(web.url('/screen/'));
    await page.waitForSelector('[data-testid=map][data-tiles=on]');
    await page.locator('[data-testid=map] .map-tiles img').first().waitFor({ state: 'attached' });
    await page.waitForFunction("[...document.querySelectorAll('[data-testid=map] .map-tiles img')].every((i) => i.complete && i.naturalWidth === 256)");
    // the zoom fits a district (street-level tiles), and the tile under the first grid's centre is among them
    const grid = (await Grids.findOne({ order: [['code', 'ASC']] }))!;
    const zooms = new Set(requested.map((p) => Number(p.split('/')[2])));
    expect(zooms.size).to.equal(1);
    const z = [...zooms][0]!;
    expect(z).to.be.within(9, 17);
    const n = 2 ** z;
    const x = Math.floor(((grid.centroidLng + 180) / 360) * n);
    const s = Math.sin((grid.centroidLat * Math.PI) / 180);
    const y = Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
    expect(requested).to.include(`/test-tiles/${z}/${x}/${y}.png`);
    await web.screenshot(page, 'screen-tiles');
    web.expectNoErrors(page);
  });
});
