/**
 * 一屏全域: the command centre's big screen. Totals and lights, cases by category and status, the map of
 * open cases, the unit ranking with its evaluation metrics, daily trends and the 未诉先办 hotspots, all
 * drawn with echarts on a dark layout. The summary arrives over Server-Sent Events whenever a case
 * changes; the slower figures (map, trends, ranking, hotspots) are fetched again shortly after a change.
 */
import './messages.js';
import './screen.css';
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { errorBox, startPage } from '../shared/layout.js';
import { THEME, baseText, chartIn } from './echarts.js';
import { mapView } from './map.js';
import { openStream } from './stream.js';
import type { CaseMap, DashboardSummary, Hotspot, TrendDay, UnitRanking } from './types.js';

const TREND_DAYS = 30;
/** after a change, wait this long for more before fetching the slower figures again */
const REFRESH_DEBOUNCE_MS = 1500;
/** and fetch them at least this often (rankings and hotspots move without a case changing: time passes) */
const REFRESH_EVERY_MS = 5 * 60_000;

const month = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const axis = {
  axisLine: { lineStyle: { color: THEME.axis } },
  axisLabel: { color: THEME.muted },
  splitLine: { lineStyle: { color: THEME.axis, type: 'dashed' as const } },
};

function panel(id: string, title: string, body: HTMLElement): HTMLElement {
  return h('section', { class: `sc-panel sc-${id}`, 'data-testid': `panel-${id}` }, h('h2', null, title), body);
}

function start(main: HTMLElement): void {
  document.body.classList.add('screen-dark');
  const kpis = ['open', 'today', 'overdue', 'closed', 'total'] as const;
  const kpiValue = Object.fromEntries(kpis.map((k) => [k, h('strong', { 'data-testid': `total-${k}` }, '—')])) as Record<(typeof kpis)[number], HTMLElement>;
  // the engine's open incidents: cases stuck where no stage moves and no timer chases them (centre view only)
  const incidentValue = h('strong', { 'data-testid': 'total-incidents' }, '—');
  const incidentTile = h('div', { class: 'sc-kpi kpi-incidents', hidden: true }, h('span', null, t('sc.incidents')), incidentValue);
  const lightValue = Object.fromEntries((['red', 'yellow', 'green'] as const).map((l) => [l, h('strong', { 'data-testid': `light-${l}` }, '—')])) as Record<
    'red' | 'yellow' | 'green',
    HTMLElement
  >;
  const streamState = h('span', { class: 'sc-stream', 'data-testid': 'stream-state', 'data-state': 'connecting' }, t('sc.connecting'));
  const updated = h('span', { class: 'sc-updated', 'data-testid': 'updated' });
  const clock = h('span', { class: 'sc-clock' });
  const tick = () => {
    clock.textContent = formatDateTime(new Date().toISOString());
  };
  tick();
  setInterval(tick, 15_000);

  const categoryEl = h('div', { class: 'chart' });
  const statusEl = h('div', { class: 'chart' });
  const trendEl = h('div', { class: 'chart' });
  const rankingEl = h('div', { class: 'chart' });
  const rankingTable = h('div', { class: 'sc-table', 'data-testid': 'ranking' });
  const hotspotList = h('ol', { class: 'sc-hotspots', 'data-testid': 'hotspots' });
  const mapHost = h('div', { class: 'sc-map', 'data-testid': 'map' });
  const problems = h('div', { class: 'sc-problems', 'aria-live': 'polite' });

  replace(
    main,
    h('div', { class: 'sc-top' }, h('h1', null, t('sc.title')), h('span', { class: 'sc-meta' }, clock, streamState, updated)),
    problems,
    h(
      'div',
      { class: 'sc-kpis' },
      kpis.map((k) => h('div', { class: `sc-kpi kpi-${k}` }, h('span', null, t(`sc.${k}`)), kpiValue[k])),
      incidentTile,
      h(
        'div',
        { class: 'sc-kpi sc-lights' },
        h('span', null, t('sc.lights')),
        h(
          'div',
          { class: 'sc-light-row' },
          (['red', 'yellow', 'green'] as const).map((l) => h('span', { class: `sc-light sc-light-${l}` }, t(`light.${l}`), lightValue[l])),
        ),
      ),
    ),
    h(
      'div',
      { class: 'sc-grid' },
      h('div', { class: 'sc-col' }, panel('category', t('sc.byCategory'), categoryEl), panel('status', t('sc.byStatus'), statusEl)),
      h('div', { class: 'sc-col sc-centre' }, panel('map', t('sc.map'), mapHost), panel('trend', t('sc.trend', { days: TREND_DAYS }), trendEl)),
      h(
        'div',
        { class: 'sc-col' },
        panel('ranking', t('sc.ranking', { month: month() }), h('div', null, rankingEl, rankingTable)),
        panel('hotspots', t('sc.hotspots'), hotspotList),
      ),
    ),
  );

  const category = chartIn(categoryEl);
  const status = chartIn(statusEl);
  const trend = chartIn(trendEl);
  const ranking = chartIn(rankingEl);
  const map = mapView(mapHost);

  const showSummary = (s: DashboardSummary) => {
    for (const k of kpis) kpiValue[k].textContent = String(s.totals[k]);
    for (const l of ['red', 'yellow', 'green'] as const) lightValue[l].textContent = String(s.lights[l]);
    incidentTile.hidden = s.openIncidents === null || s.openIncidents === undefined;
    incidentValue.textContent = String(s.openIncidents ?? '—');
    incidentTile.classList.toggle('has-incidents', (s.openIncidents ?? 0) > 0);
    main.dataset['summaryAt'] = s.at;
    updated.textContent = t('sc.updated', { at: formatDateTime(s.at) });
    const cats = Object.entries(s.byCategory).sort((a, b) => b[1] - a[1]);
    category.setOption(
      {
        backgroundColor: 'transparent',
        textStyle: baseText,
        color: [...THEME.series],
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        legend: { bottom: 0, textStyle: { color: THEME.muted }, type: 'scroll' },
        series: [
          {
            type: 'pie',
            radius: ['34%', '58%'],
            center: ['50%', '44%'],
            avoidLabelOverlap: true,
            // a small share stays a visible slice; labels line up at the panel's edges instead of running off it
            minAngle: 8,
            label: { color: THEME.text, formatter: '{b} {c}', overflow: 'truncate', width: 90, alignTo: 'edge', edgeDistance: 6 },
            labelLine: { length: 8, length2: 0, maxSurfaceAngle: 80 },
            data: cats.map(([name, value]) => ({ name: name === 'none' ? t('sc.none') : name, value })),
          },
        ],
      },
      { replaceMerge: ['series'] },
    );
    const statuses = Object.entries(s.byStatus).sort((a, b) => b[1] - a[1]);
    status.setOption({
      backgroundColor: 'transparent',
      textStyle: baseText,
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, ...axis },
      yAxis: { type: 'category', inverse: true, data: statuses.map(([k]) => t(`status.${k}`)), ...axis },
      series: [
        {
          type: 'bar',
          barMaxWidth: 18,
          data: statuses.map(([, v]) => v),
          itemStyle: { color: THEME.primary, borderRadius: [0, 4, 4, 0] },
          label: { show: true, position: 'right', color: THEME.text },
        },
      ],
    });
  };

  const showTrend = (days: TrendDay[]) => {
    trend.setOption({
      backgroundColor: 'transparent',
      textStyle: baseText,
      color: [THEME.primary, THEME.secondary, THEME.light.red],
      animationDuration: 600,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { color: THEME.muted } },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: days.map((d) => d.date.slice(5)), ...axis, axisLabel: { ...axis.axisLabel, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1, ...axis },
      series: (['created', 'closed', 'overdue'] as const).map((k) => ({
        type: 'line',
        name: t(`sc.trend.${k}`),
        smooth: true,
        showSymbol: false,
        areaStyle: { opacity: 0.08 },
        data: days.map((d) => d[k]),
      })),
    });
  };

  const showRanking = (rows: UnitRanking[]) => {
    const top = rows.slice(0, 10);
    ranking.setOption({
      backgroundColor: 'transparent',
      textStyle: baseText,
      tooltip: {
        trigger: 'axis',
        formatter: (ps: Array<{ dataIndex: number }>) => {
          const r = top[ps[0]?.dataIndex ?? 0];
          return r
            ? `${r.unitName}<br>${t('sc.col.score')}: ${r.score ?? '—'}<br>${t('sc.col.ontime')}: ${pct(r.按期办结率)}<br>${t('sc.col.accept')}: ${pct(r.接办率)}<br>${t('sc.col.satisfied')}: ${pct(r.满意率)}`
            : '';
        },
      },
      grid: { left: 8, right: 30, top: 6, bottom: 6, containLabel: true },
      xAxis: { type: 'value', max: 100, ...axis },
      // long unit names are cut to the label's width (the tooltip and the table below carry the whole name)
      yAxis: { type: 'category', inverse: true, data: top.map((r) => r.unitName), ...axis, axisLabel: { ...axis.axisLabel, width: 84, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 16,
          data: top.map((r) => r.score ?? 0),
          itemStyle: { color: THEME.secondary, borderRadius: [0, 4, 4, 0] },
          label: { show: true, position: 'right', color: THEME.text },
        },
      ],
    });
    rankingEl.style.display = top.length ? '' : 'none';
    replace(
      rankingTable,
      top.length
        ? h(
            'table',
            null,
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['rank', 'unit', 'score', 'ontime', 'accept', 'satisfied', 'received'].map((c) => h('th', null, t(`sc.col.${c}`))),
              ),
            ),
            h(
              'tbody',
              null,
              top.map((r) =>
                h(
                  'tr',
                  { 'data-unit': r.unitId },
                  h('td', null, r.rank ?? '—'),
                  h('td', { class: 'sc-unit', title: r.unitName }, r.unitName),
                  h('td', null, r.score ?? '—'),
                  h('td', null, pct(r.按期办结率)),
                  h('td', null, pct(r.接办率)),
                  h('td', null, pct(r.满意率)),
                  h('td', null, r.received),
                ),
              ),
            ),
          )
        : h('p', { class: 'sc-empty' }, t('sc.noranking')),
    );
  };

  const showHotspots = (rows: Hotspot[]) => {
    replace(
      hotspotList,
      rows.length
        ? rows.map((r) =>
            h(
              'li',
              { 'data-hotspot': `${r.kind}:${r.code}` },
              h('span', { class: 'sc-tag' }, t(`sc.hotspot.${r.kind}`)),
              h('strong', null, r.name),
              h('span', { class: 'sc-muted' }, t('sc.hotspot.line', { n: r.thisWeek, base: r.baseline.toFixed(1), ratio: r.ratio.toFixed(1) })),
            ),
          )
        : h('li', { class: 'sc-empty' }, t('sc.hotspots.none')),
    );
  };

  // the slower figures: each fails on its own (a refused or broken call leaves the others drawn)
  const refreshRest = async () => {
    const results = await Promise.allSettled([
      api<CaseMap>('/dashboard/map').then((m) => map.update(m)),
      api<{ days: TrendDay[] }>(`/dashboard/trends?days=${TREND_DAYS}`).then((r) => showTrend(r.days)),
      api<UnitRanking[]>(`/dashboard/rankings?month=${month()}`).then(showRanking),
      api<Hotspot[]>('/dashboard/hotspots').then(showHotspots),
    ]);
    replace(
      problems,
      results.flatMap((r) => (r.status === 'rejected' ? [errorBox(r.reason)] : [])),
    );
  };
  let pending: ReturnType<typeof setTimeout> | null = null;
  const refreshSoon = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      void refreshRest();
    }, REFRESH_DEBOUNCE_MS);
  };
  void refreshRest();
  setInterval(() => void refreshRest(), REFRESH_EVERY_MS);

  // the summary comes over the stream (first frame at once); a fetch covers a stream that is slow to open
  api<DashboardSummary>('/dashboard/summary').then(
    (s) => {
      if (!main.dataset['summaryAt']) showSummary(s);
    },
    (err: unknown) => problems.append(errorBox(err)),
  );
  openStream(
    (s, kind) => {
      showSummary(s);
      if (kind === 'changed') refreshSoon();
    },
    (s) => {
      streamState.dataset['state'] = s.state;
      streamState.textContent = s.state === 'live' ? t('sc.live') : s.state === 'connecting' ? t('sc.connecting') : t('sc.reconnecting', { s: s.inSeconds });
    },
  );
}

const frame = startPage('screen', { wide: true });
if (frame) start(frame.main);
