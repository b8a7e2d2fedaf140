/** The parts of echarts the screen draws with (tree-shaken: only these charts and components are bundled). */
import * as echarts from 'echarts/core';
import { BarChart, EffectScatterChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  EffectScatterChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
export type Chart = echarts.ECharts;

/** Colours of the dark screen. */
export const THEME = {
  text: '#c8d6f0',
  muted: '#7f93b8',
  axis: '#2c3e63',
  panel: '#0b1a33',
  series: ['#3fa7ff', '#36d1a5', '#ffb547', '#ff6b6b', '#a98bff', '#5ad8ff', '#f78fb3', '#9ccc65'] as const,
  primary: '#3fa7ff',
  secondary: '#36d1a5',
  light: { green: '#2ecc71', yellow: '#f5c400', red: '#ff4d4f' },
};

/** A chart in `el` that follows the element's size. */
export function chartIn(el: HTMLElement): Chart {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  new ResizeObserver(() => chart.resize()).observe(el);
  return chart;
}

export const baseText = { color: THEME.text, fontFamily: 'inherit' };
