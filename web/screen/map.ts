/**
 * The map of open cases: the grids' GeoJSON (from GET /api/dashboard/map) drawn by echarts as a geo
 * component, coloured by their open cases, with the cases on top in their light's colour. No network is
 * needed. When the server has a tile template configured, the geo uses Web Mercator and the matching
 * tiles are laid beneath the (transparent) chart after every zoom or pan, so polygons and tiles line up.
 */
import { THEME, baseText, chartIn, echarts, type Chart } from './echarts.js';
import type { CaseMap, GridFeature } from './types.js';
import { t } from '../shared/i18n.js';

const TILE = 256;
const MAX_TILES = 120;
const MAP_NAME = 'ywtg-grids';

/** lng/lat → Web Mercator "world pixels" at zoom 0 (0..256, y down), the tile servers' frame. */
export function mercator([lng, lat]: number[]): number[] {
  const l = Math.max(-85.05112878, Math.min(85.05112878, lat!));
  const s = Math.sin((l * Math.PI) / 180);
  return [((lng! + 180) / 360) * TILE, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE];
}
export function unmercator([x, y]: number[]): number[] {
  const n = Math.PI - (2 * Math.PI * y!) / TILE;
  return [(x! / TILE) * 360 - 180, (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
}

/** The tile URL for z/x/y ({s} → a subdomain letter). */
export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template
    .replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y))
    .replace('{s}', 'abc'[(x + y) % 3]!);
}

export interface MapView {
  update(data: CaseMap): void;
}

export function mapView(host: HTMLElement): MapView {
  const tiles = document.createElement('div');
  tiles.className = 'map-tiles';
  const canvas = document.createElement('div');
  canvas.className = 'map-canvas';
  host.append(tiles, canvas);
  const chart: Chart = chartIn(canvas);
  let template: string | null = null;
  let registered = '';
  /** a projected point of the district, to read the view's scale and offset from */
  let anchor: number[] | null = null;

  const drawTiles = () => {
    tiles.replaceChildren();
    if (!template) return;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    // echarts' convertFromPixel gets a projected geo wrong (it unprojects before undoing the view), so
    // the view's affine map is read from convertToPixel at two nearby points and inverted here
    if (!anchor) return;
    const d = 0.01;
    let p1: number[];
    let p2: number[];
    try {
      p1 = chart.convertToPixel({ geoIndex: 0 }, unmercator(anchor)) as number[];
      p2 = chart.convertToPixel({ geoIndex: 0 }, unmercator([anchor[0]! + d, anchor[1]! + d])) as number[];
    } catch {
      return;
    }
    if (!p1 || !p2) return;
    const sx = (p2[0]! - p1[0]!) / d;
    const sy = (p2[1]! - p1[1]!) / d;
    if (!(sx > 0) || !(sy > 0)) return;
    const toWorld = (px: number, py: number) => [anchor![0]! + (px - p1[0]!) / sx, anchor![1]! + (py - p1[1]!) / sy];
    const [x0, y0] = toWorld(0, 0);
    const [x1, y1] = toWorld(w, hgt);
    const perUnit = sx;
    const z = Math.max(0, Math.min(19, Math.round(Math.log2(perUnit))));
    const n = 2 ** z;
    const span = TILE / n;
    const tx0 = Math.max(0, Math.floor(x0! / span));
    const tx1 = Math.min(n - 1, Math.floor(x1! / span));
    const ty0 = Math.max(0, Math.floor(y0! / span));
    const ty1 = Math.min(n - 1, Math.floor(y1! / span));
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > MAX_TILES) return;
    for (let x = tx0; x <= tx1; x++) {
      for (let y = ty0; y <= ty1; y++) {
        const tl = [p1[0]! + (x * span - anchor[0]!) * sx, p1[1]! + (y * span - anchor[1]!) * sy];
        const br = [p1[0]! + ((x + 1) * span - anchor[0]!) * sx, p1[1]! + ((y + 1) * span - anchor[1]!) * sy];
        const img = document.createElement('img');
        img.alt = '';
        img.src = tileUrl(template, z, x, y);
        img.style.left = `${tl[0]}px`;
        img.style.top = `${tl[1]}px`;
        img.style.width = `${br[0]! - tl[0]! + 0.5}px`;
        img.style.height = `${br[1]! - tl[1]! + 0.5}px`;
        tiles.appendChild(img);
      }
    }
  };
  chart.on('georoam', () => {
    requestAnimationFrame(drawTiles);
  });
  chart.on('finished', () => {
    if (template && !tiles.childElementCount) drawTiles();
  });
  new ResizeObserver(() => requestAnimationFrame(drawTiles)).observe(canvas);

  return {
    update(data) {
      template = data.tileUrl ?? null;
      host.dataset['tiles'] = template ? 'on' : 'off';
      const polygons = data.grids.features.filter((f): f is GridFeature & { geometry: { type: 'Polygon' } } => f.geometry.type === 'Polygon');
      const points = data.grids.features.filter((f) => f.geometry.type === 'Point');
      // registered again only when the grids change: a re-registration resets the user's zoom
      // no grid outline to draw (a department's view has no grids of its own): echarts cannot lay out a geo
      // over an empty map (it throws reading the null bounds), so the map stays empty
      if (!polygons.length) {
        chart.clear();
        registered = '';
        anchor = null;
        host.dataset['cases'] = '0';
        tiles.replaceChildren();
        return;
      }
      const signature = JSON.stringify(polygons.map((f) => [f.id, f.geometry.coordinates[0]?.length]));
      if (signature !== registered) {
        echarts.registerMap(MAP_NAME, {
          type: 'FeatureCollection',
          features: polygons.map((f) => ({ ...f, properties: { ...f.properties, name: f.properties.code } })),
        } as never);
        registered = signature;
      }
      const first = polygons[0]?.geometry.coordinates[0]?.[0] ?? (points[0]?.geometry.coordinates as number[] | undefined);
      anchor = first ? mercator(first) : null;
      const maxOpen = Math.max(1, ...data.grids.features.map((f) => f.properties.openCases));
      const names = new Map(data.grids.features.map((f) => [f.properties.code, f.properties.name]));
      const byLight = (light: string) => data.cases.filter((c) => c.light === light).map((c) => ({ name: c.caseNo, value: [c.lng, c.lat, c.category ?? ''] }));
      chart.setOption(
        {
          backgroundColor: 'transparent',
          textStyle: baseText,
          tooltip: {
            trigger: 'item',
            formatter: (p: { seriesType: string; name: string; value: unknown; data?: { value?: unknown[] } }) =>
              p.seriesType === 'map'
                ? `${names.get(p.name) ?? p.name}<br>${t('sc.grid.open', { n: Number(p.value) || 0 })}`
                : `${p.name}${p.data?.value?.[2] ? `<br>${String(p.data.value[2])}` : ''}`,
          },
          visualMap: {
            show: false,
            min: 0,
            max: maxOpen,
            seriesIndex: 0,
            inRange: { color: template ? ['rgba(30,80,160,0.15)', 'rgba(255,120,60,0.45)'] : ['#12305a', '#1f6fb8', '#f08c2e'] },
          },
          geo: {
            map: MAP_NAME,
            roam: true,
            top: 16,
            bottom: 16,
            left: 16,
            right: 16,
            ...(template ? { projection: { project: mercator, unproject: unmercator } } : {}),
            itemStyle: { areaColor: template ? 'rgba(18,48,90,0.15)' : '#12305a', borderColor: '#3fa7ff', borderWidth: 0.8 },
            emphasis: { itemStyle: { areaColor: '#2a5ea8' }, label: { show: false } },
            label: { show: false },
          },
          series: [
            { type: 'map', geoIndex: 0, name: 'grids', data: polygons.map((f) => ({ name: f.properties.code, value: f.properties.openCases })) },
            {
              type: 'scatter',
              coordinateSystem: 'geo',
              name: 'grid-points',
              symbolSize: 6,
              itemStyle: { color: '#3fa7ff' },
              data: points.map((f) => ({ name: f.properties.name, value: f.geometry.coordinates as number[] })),
            },
            { type: 'scatter', coordinateSystem: 'geo', name: 'green', symbolSize: 8, itemStyle: { color: THEME.light.green }, data: byLight('green') },
            {
              type: 'effectScatter',
              coordinateSystem: 'geo',
              name: 'yellow',
              symbolSize: 9,
              rippleEffect: { scale: 3 },
              itemStyle: { color: THEME.light.yellow },
              data: byLight('yellow'),
            },
            {
              type: 'effectScatter',
              coordinateSystem: 'geo',
              name: 'red',
              symbolSize: 11,
              rippleEffect: { scale: 4 },
              itemStyle: { color: THEME.light.red },
              data: byLight('red'),
            },
          ],
        },
        { replaceMerge: ['series'] },
      );
      host.dataset['cases'] = String(data.cases.length);
      requestAnimationFrame(drawTiles);
    },
  };
}
